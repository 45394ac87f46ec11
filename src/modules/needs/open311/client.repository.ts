/** SQL of Open311 API clients (keys stored as hashes). */
import type { Executor } from '../../../db/database.ts';
import type { Open311ClientTable } from '../need.table.ts';

export type ClientRow = Open311ClientTable;

/** Store a new client. */
export async function insertClient(db: Executor, row: ClientRow): Promise<void> {
  await db.insertInto('open311_clients').values(row).execute();
}

/** Every client, newest first. */
export async function listClients(db: Executor): Promise<ClientRow[]> {
  return db.selectFrom('open311_clients').selectAll().orderBy('created_at', 'desc').execute();
}

/** The live client holding a key hash. */
export async function findLiveByHash(db: Executor, hash: string): Promise<ClientRow | undefined> {
  return db
    .selectFrom('open311_clients')
    .selectAll()
    .where('key_hash', '=', hash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

/** Revoke a client's key; true when it was live. */
export async function revokeClient(db: Executor, id: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('open311_clients')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
