/** The only SQL on the local social-security provider's demo records. */
import type { Executor } from '../../db/database.ts';
import type { SocialSecurityRecordTable } from './notice.table.ts';

export type SocialSecurityRow = SocialSecurityRecordTable;

/** The record of one insured person, by the keyed hash of their phone. */
export async function findRecord(
  db: Executor,
  phoneHash: string,
): Promise<SocialSecurityRow | undefined> {
  return db
    .selectFrom('social_security_records')
    .selectAll()
    .where('phone_hash', '=', phoneHash)
    .executeTakeFirst();
}

/** Add or replace a record (demo seed). */
export async function upsertRecord(db: Executor, row: SocialSecurityRow): Promise<void> {
  await db
    .insertInto('social_security_records')
    .values(row)
    .onConflict((oc) => oc.column('phone_hash').doUpdateSet({ ...row }))
    .execute();
}
