/**
 * Integration-test harness: a real database per dialect (SQLite in memory always,
 * PostgreSQL in a fresh schema when DATABASE_URL is set), a migrated schema and a
 * built app driven with app.inject().
 */
import { randomBytes } from 'node:crypto';
import { describe } from 'vitest';
import { buildApp, type BuiltApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { type DatabaseHandle, openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { ManualClock } from '../src/platform/clock.ts';
import type { Phone } from '../src/platform/crypto/phone.ts';
import type { SmsSender } from '../src/platform/notify/sms.ts';

export type Dialect = 'sqlite' | 'postgres';

const PG_URL = process.env['DATABASE_URL'];
export const pgEnabled = PG_URL !== undefined && /^postgres/.test(PG_URL);

export const TEST_ENV = {
  ANTNEST_TOKEN_KEY: Buffer.alloc(32, 7).toString('base64'),
  ANTNEST_PHONE_KEY: Buffer.alloc(32, 8).toString('base64'),
  ANTNEST_PHONE_HASH_KEY: Buffer.alloc(32, 9).toString('base64'),
};

/** Open and migrate an empty database of the dialect; destroy() also drops the PostgreSQL schema. */
export async function openTestDatabase(dialect: Dialect): Promise<DatabaseHandle> {
  if (dialect === 'sqlite') {
    const h = await openDatabase({ kind: 'sqlite', file: ':memory:' });
    await migrateToLatest(h.db, h.schema);
    return h;
  }
  if (!PG_URL) throw new Error('DATABASE_URL is not set');
  const schema = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const h = await openDatabase({ kind: 'postgres', url: PG_URL, schema, poolSize: 4 });
  await migrateToLatest(h.db, h.schema);
  return {
    ...h,
    destroy: async () => {
      const { sql } = await import('kysely');
      await sql.raw(`drop schema if exists ${schema} cascade`).execute(h.db);
      await h.destroy();
    },
  };
}

/** An SMS adapter that keeps what it sent, for tests to read codes from. */
export class CapturingSms implements SmsSender {
  readonly sent: { to: Phone; text: string }[] = [];
  async send(to: Phone, text: string): Promise<void> {
    this.sent.push({ to, text });
  }
  /** The last 4+ digit code sent to a phone. */
  lastCode(to: string): string {
    const m = [...this.sent].reverse().find((s) => s.to === to);
    const code = m?.text.match(/\d{6}/)?.[0];
    if (!code) throw new Error(`no code sent to ${to}`);
    return code;
  }
}

export interface TestApp extends BuiltApp {
  dialect: Dialect;
  database: DatabaseHandle;
  clock: ManualClock;
  sms: CapturingSms;
  close(): Promise<void>;
}

/** Build an app on a fresh database of the dialect. */
export async function buildTestApp(
  dialect: Dialect,
  opts: { demo?: boolean } = {},
): Promise<TestApp> {
  const database = await openTestDatabase(dialect);
  const config = loadConfig(
    {
      ...TEST_ENV,
      ...(opts.demo ? { ANTNEST_DEMO: 'true', DATA_DIR: '/tmp/antnest-test-data' } : {}),
    },
    {},
  );
  const clock = new ManualClock();
  const sms = new CapturingSms();
  const built = await buildApp({ config, database, clock, sms, logger: false });
  await built.app.ready();
  return {
    ...built,
    dialect,
    database,
    clock,
    sms,
    close: async () => {
      await built.app.close();
      await database.destroy();
    },
  };
}

/** Run a suite once per available dialect; PostgreSQL is skipped (visibly) without DATABASE_URL. */
export function describeEachDialect(name: string, fn: (dialect: Dialect) => void): void {
  describe(`${name} [sqlite]`, () => fn('sqlite'));
  describe.skipIf(!pgEnabled)(
    `${name} [postgres]${pgEnabled ? '' : ' (skipped: set DATABASE_URL to run)'}`,
    () => fn('postgres'),
  );
}

/** Poll `fn` until it returns something truthy (then return it) or time runs out. */
export async function until<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
