/**
 * The UV queries run per fact (closing a cycle) or per parcel shown (when was it
 * disinfected), so none may read a locker's whole history: SQLite is asked for each
 * one's plan as the code runs it.
 */
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrateToLatest } from '../../db/migrate.ts';
import type { DB } from '../../db/schema.ts';
import { lastPickedUpFrom } from '../parcels/index.ts';
import {
  completedCycleBetween,
  endLastCycleIfRunning,
  prunableCycles,
  recentCycles,
} from './uv.repository.ts';

const raw = new SQLite(':memory:');
const seen: { sql: string; parameters: readonly unknown[] }[] = [];
const db = new Kysely<DB>({
  dialect: new SqliteDialect({ database: raw }),
  log: (e) =>
    void (e.level === 'query' && seen.push({ sql: e.query.sql, parameters: e.query.parameters })),
});
beforeAll(async () => migrateToLatest(db));
afterAll(async () => db.destroy());

const plansOf = async (run: () => Promise<unknown>) => {
  seen.length = 0;
  await run();
  return seen.flatMap((q) =>
    (raw.prepare(`explain query plan ${q.sql}`).all(...q.parameters) as { detail: string }[]).map(
      (r) => r.detail,
    ),
  );
};

const at = '2026-12-05T01:00:00.000Z';
it.each([
  [
    'closing the last cycle',
    () =>
      endLastCycleIfRunning(db, 'lk-1', 3, {
        outcome: 'completed',
        reason: null,
        ran_seconds: 300,
        ended_at: at,
      }),
    /uv_cycles.*(PRIMARY KEY|sqlite_autoindex_uv_cycles)/,
  ],
  [
    'the first completed cycle after a pickup',
    () => completedCycleBetween(db, 'lk-1', 3, at, null, true),
    /uv_cycles_compartment_idx/,
  ],
  [
    'the last completed cycle while it waited',
    () => completedCycleBetween(db, 'lk-1', 3, at, at, false),
    /uv_cycles_compartment_idx/,
  ],
  [
    "a compartment's recent cycles",
    () => recentCycles(db, 'lk-1', 3, 20),
    /uv_cycles_compartment_idx/,
  ],
  ['old finished cycles to prune', () => prunableCycles(db, at, 1000), /uv_cycles_recorded_idx/],
  [
    'the parcel a cycle followed',
    () => lastPickedUpFrom(db, 'lk-1', 3, at),
    /parcels_pickup_compartment_idx/,
  ],
])('%s uses an index', async (_name, run, index) => {
  const lines = await plansOf(run);
  expect(lines.join('\n')).toMatch(index);
  expect(lines.filter((l) => /^SCAN (uv_cycles|parcels)\b/.test(l))).toEqual([]);
});
