/**
 * CredentialWatch reads recently changed lockers once a second on every node with the
 * embedded broker: that read must use its index, not scan every locker of a city.
 */
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DB } from '../../db/schema.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { credentialsChangedSince } from './credentials.repository.ts';

const raw = new SQLite(':memory:');
const seen: { sql: string; parameters: readonly unknown[] }[] = [];
const db = new Kysely<DB>({
  dialect: new SqliteDialect({ database: raw }),
  log: (e) =>
    void (e.level === 'query' && seen.push({ sql: e.query.sql, parameters: e.query.parameters })),
});
beforeAll(async () => migrateToLatest(db));
afterAll(async () => db.destroy());

it('reads recently changed credentials through lockers_credentials_changed_idx', async () => {
  seen.length = 0;
  await credentialsChangedSince(db, '2026-12-05T01:00:00.000Z');
  const plan = seen.flatMap((q) =>
    (raw.prepare(`explain query plan ${q.sql}`).all(...q.parameters) as { detail: string }[]).map(
      (r) => r.detail,
    ),
  );
  expect(plan.join('\n')).toMatch(/USING INDEX lockers_credentials_changed_idx/);
});
