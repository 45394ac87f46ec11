/**
 * Integration-test harness: a real database per dialect (SQLite in memory always,
 * PostgreSQL in a database of its own when DATABASE_URL is set), cloned from a migrated
 * template built once per run (test/templates.ts, docs/testing.md), and a built app driven
 * with app.inject().
 */
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { describe, inject } from 'vitest';
import { buildApp, type BuiltApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { type DatabaseHandle, openDatabase, openSqliteImage } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { ManualClock } from '../src/platform/clock.ts';
import type { Phone } from '../src/platform/crypto/phone.ts';
import type { SmsSender } from '../src/platform/notify/sms.ts';
import {
  adminQuery,
  databaseUrl,
  TEST_ENV,
  templateKey,
  type TemplateKind,
  type Templates,
} from './templates.ts';

export { TEST_ENV };

export type Dialect = 'sqlite' | 'postgres';

const PG_URL = process.env['DATABASE_URL'];
/** Set by the vitest project (vitest.config.ts): the one dialect its files run; unset runs both. */
const ONLY = process.env['ANTNEST_TEST_DIALECT'] as Dialect | undefined;
/** DATABASE_URL names a PostgreSQL server. */
export const pgConfigured = PG_URL !== undefined && /^postgres/.test(PG_URL);
/** The PostgreSQL half runs in this process (configured, and this project runs that dialect). */
export const pgEnabled = pgConfigured && ONLY !== 'sqlite';

/** This run's templates, when global setup built them from the code as it is now. */
export function currentTemplates(): Templates | undefined {
  // ANTNEST_TEST_TEMPLATES=off migrates and seeds every database from scratch, as before the templates.
  if (process.env['ANTNEST_TEST_TEMPLATES'] === 'off') return undefined;
  const t = inject('antnestTemplates');
  return t && t.key === templateKey() ? t : undefined;
}

const images = new Map<string, Buffer>();

/**
 * A database of the dialect, migrated (kind 'migrated') or also holding the seeded world
 * ('world', see test/world.ts). Cloned from the run's template; without one (a config with no
 * global setup, or migrations changed since it was built) an empty database is migrated
 * here, and 'world' is refused. destroy() also drops the PostgreSQL database.
 */
export async function openTestDatabase(
  dialect: Dialect,
  kind: TemplateKind = 'migrated',
): Promise<DatabaseHandle> {
  const tpl = currentTemplates();
  if (!tpl && kind === 'world') throw new Error('no current world template (see test/world.ts)');
  if (dialect === 'sqlite') {
    if (tpl) {
      const file = tpl.sqlite[kind];
      let image = images.get(file);
      if (!image) images.set(file, (image = fs.readFileSync(file)));
      return openSqliteImage(image);
    }
    const h = await openDatabase({ kind: 'sqlite', file: ':memory:' });
    await migrateToLatest(h.db, h.schema);
    return h;
  }
  if (!PG_URL) throw new Error('DATABASE_URL is not set');
  if (tpl?.postgres) {
    const name = `antnest_t_${tpl.owner}_${process.pid}_${randomBytes(4).toString('hex')}`;
    await adminQuery(PG_URL, `create database ${name} template ${tpl.postgres[kind]}`);
    const h = await openDatabase({
      kind: 'postgres',
      url: databaseUrl(PG_URL, name),
      schema: undefined,
      poolSize: 4,
    });
    return {
      ...h,
      destroy: async () => {
        await h.destroy();
        await adminQuery(PG_URL, `drop database if exists ${name} with (force)`);
      },
    };
  }
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

/** Build an app on a fresh database of the dialect (a clone of the migrated template unless `from` says 'world'). */
export async function buildTestApp(
  dialect: Dialect,
  opts: { demo?: boolean; from?: TemplateKind } = {},
): Promise<TestApp> {
  const database = await openTestDatabase(dialect, opts.from);
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

/**
 * Run a suite once per available dialect; PostgreSQL is skipped (visibly) without DATABASE_URL.
 * Under the vitest projects each project runs its own half (integration: SQLite, postgres: PostgreSQL).
 */
export function describeEachDialect(name: string, fn: (dialect: Dialect) => void): void {
  if (ONLY !== 'postgres') describe(`${name} [sqlite]`, () => fn('sqlite'));
  if (ONLY === 'sqlite') return;
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
