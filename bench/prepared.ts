/**
 * Prepared scenario: what building a query with Kysely costs next to running it compiled
 * once (src/db/prepared.ts), for the cycle's commonest shape, a primary-key select. Both
 * run on the same database opened as the server opens it (SQLite in memory with the
 * statement cache; PostgreSQL on one connection when DATABASE_URL is set), alternating in
 * rounds so drift in the machine's load hits both alike. Reports node CPU µs per call
 * (process.cpuUsage over each round, median of the rounds) and the saving.
 */
import { sql } from 'kysely';
import { openDatabase, type DatabaseHandle } from '../src/db/database.ts';
import { prepare } from '../src/db/prepared.ts';
import type { ScenarioContext } from './run.ts';
import { median, r3 } from './stats.ts';

const ROWS = 1000;

const byId = prepare<{ id: string }, { id: string; name: string; code: string }>((db, p) =>
  db.selectFrom('carriers').select(['id', 'name', 'code']).where('id', '=', p('id')),
);

async function setUp(h: DatabaseHandle, table: string): Promise<void> {
  await sql`drop table if exists ${sql.raw(table)}`.execute(h.db);
  await sql`create table ${sql.raw(table)} (id text primary key, code text not null, name text not null, kind text not null, created_at text not null)`.execute(
    h.db,
  );
  for (let i = 0; i < ROWS; i += 100)
    await sql`insert into ${sql.raw(table)} (id, code, name, kind, created_at) values ${sql.join(
      Array.from(
        { length: 100 },
        (_, k) =>
          sql`(${`c-${i + k}`}, ${`C${i + k}`}, ${`承运商${i + k}`}, 'express', '2026-12-05')`,
      ),
    )}`.execute(h.db);
}

/** CPU µs per call of `fn` over `n` calls. */
async function cpuPerCall(n: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  const u0 = process.cpuUsage();
  for (let i = 0; i < n; i++) await fn(i);
  const u = process.cpuUsage(u0);
  return (u.user + u.system) / n;
}

interface DialectResult {
  builderUsPerCall: number;
  compiledUsPerCall: number;
  savedUsPerCall: number;
  savedPercent: number;
  calls: number;
  rounds: number;
}

async function measure(h: DatabaseHandle, calls: number, rounds: number): Promise<DialectResult> {
  const builder: number[] = [];
  const compiled: number[] = [];
  const id = (i: number) => `c-${(i * 7919) % ROWS}`;
  const viaBuilder = (i: number) =>
    h.db
      .selectFrom('carriers')
      .select(['id', 'name', 'code'])
      .where('id', '=', id(i))
      .executeTakeFirst();
  const viaCompiled = (i: number) => byId.first(h.db, { id: id(i) });
  // Same rows either way (and both warm) before timing.
  for (let i = 0; i < 200; i++) {
    const [a, b] = [await viaBuilder(i), await viaCompiled(i)];
    if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`rows differ for ${id(i)}`);
  }
  for (let r = 0; r < rounds; r++) {
    builder.push(await cpuPerCall(calls, viaBuilder));
    compiled.push(await cpuPerCall(calls, viaCompiled));
  }
  const b = median(builder);
  const c = median(compiled);
  return {
    builderUsPerCall: r3(b),
    compiledUsPerCall: r3(c),
    savedUsPerCall: r3(b - c),
    savedPercent: r3(((b - c) / b) * 100),
    calls,
    rounds,
  };
}

/** The scenario: SQLite always, PostgreSQL when DATABASE_URL is set. */
export async function preparedScenario(ctx: ScenarioContext): Promise<object> {
  const calls = ctx.short ? 2_000 : 20_000;
  const rounds = ctx.short ? 3 : Math.max(5, ctx.runs * 2);
  const runs: Record<string, DialectResult> = {};
  const lite = await openDatabase({ kind: 'sqlite', file: ':memory:' });
  try {
    await setUp(lite, 'carriers');
    runs.sqlite = await measure(lite, calls, rounds);
  } finally {
    await lite.destroy();
  }
  const url = process.env.DATABASE_URL;
  if (url) {
    const schema = `bench_prepared_${process.pid}`;
    const pg = await openDatabase({ kind: 'postgres', url, schema, poolSize: 1 });
    try {
      await setUp(pg, 'carriers');
      runs.postgres = await measure(pg, Math.round(calls / 4), rounds);
      await sql`drop schema ${sql.raw(schema)} cascade`.execute(pg.db);
    } finally {
      await pg.destroy();
    }
  }
  console.table(runs);
  return { shape: 'primary-key select, 3 columns', runs };
}
