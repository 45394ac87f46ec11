/**
 * Test database templates (docs/testing.md). Global setup migrates one database per dialect
 * and seeds a copy with the access-test world (test/factories.ts seedWorld) once per run;
 * test files then clone them instead of migrating and seeding again: SQLite from a
 * serialized image, PostgreSQL with CREATE DATABASE … TEMPLATE. Built from the migrations
 * on disk at run time (never a checked-in snapshot) and keyed by a hash of the migrations
 * and the world builder, so a template older than the code is never cloned.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { Kysely, SqliteDialect } from 'kysely';
import { type DatabaseHandle, openDatabase, SQLITE_PRAGMAS } from '../src/db/database.ts';
import type { DB } from '../src/db/schema.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { cryptoRandom, ManualClock } from '../src/platform/clock.ts';
import { TokenService } from '../src/platform/auth/tokens.ts';
import { PhoneVault } from '../src/platform/crypto/phone.ts';
import type { AppDeps } from '../src/platform/deps.ts';
import { seedWorld, type World } from './factories.ts';

/** Keys every test app signs and encrypts with (fixed, so tokens minted in a template stay valid). */
export const TEST_ENV = {
  ANTNEST_TOKEN_KEY: Buffer.alloc(32, 7).toString('base64'),
  ANTNEST_PHONE_KEY: Buffer.alloc(32, 8).toString('base64'),
  ANTNEST_PHONE_HASH_KEY: Buffer.alloc(32, 9).toString('base64'),
  WECHAT_PROVIDER: 'local',
};

/** What a database starts from: the migrated schema, or that plus the seeded world. */
export type TemplateKind = 'migrated' | 'world';

/** Where this run's templates are; handed from global setup to the workers (vitest provide/inject). */
export interface Templates {
  /** templateKey() when they were built; a worker seeing another key migrates from scratch. */
  key: string;
  /** Process id of the vitest run that owns them (clone names carry it, for cleaning up after a crash). */
  owner: number;
  /** Serialized SQLite images, by kind. */
  sqlite: Record<TemplateKind, string>;
  /** PostgreSQL template database names, by kind; null without DATABASE_URL. */
  postgres: Record<TemplateKind, string> | null;
  /** The world seeded into each dialect's 'world' template (its ids and signed tokens). */
  world: { sqlite: World; postgres: World | null };
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const KEYED = ['src/db/migrate.ts', 'test/factories.ts', 'test/templates.ts'];

/** A hash of every migration file and of the code that builds the templates. */
export function templateKey(): string {
  const dir = path.join(ROOT, 'src/db/migrations');
  const files = [
    ...KEYED,
    ...fs
      .readdirSync(dir)
      .sort()
      .map((f) => `src/db/migrations/${f}`),
  ];
  const h = createHash('sha256');
  for (const f of files)
    h.update(f)
      .update('\0')
      .update(fs.readFileSync(path.join(ROOT, f)));
  return h.digest('hex').slice(0, 16);
}

/** A postgres:// URL pointing at another database on the same server. */
export function databaseUrl(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Run statements on the server's maintenance connection (DATABASE_URL's own database). */
export async function adminQuery(url: string, ...statements: string[]): Promise<pg.QueryResult[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const out: pg.QueryResult[] = [];
    for (const s of statements) out.push(await c.query(s));
    return out;
  } finally {
    await c.end();
  }
}

/** Seed the world the way a test app would, without building the HTTP app. */
async function seed(database: DatabaseHandle): Promise<World> {
  const config = loadConfig(TEST_ENV, {});
  const clock = new ManualClock();
  const deps = {
    config,
    db: database.db,
    clock,
    random: cryptoRandom,
    vault: new PhoneVault(config.secrets.phoneKey, config.secrets.phoneHashKey),
    tokens: new TokenService(config.secrets.tokenKey, config.accessTokenTtl, clock),
  } as unknown as AppDeps;
  return seedWorld({ database, clock, deps } as unknown as Parameters<typeof seedWorld>[0]);
}

/** Drop clone and template databases left by test runs whose process is gone (a crash, a kill). */
async function dropOrphans(url: string): Promise<void> {
  const [rows] = await adminQuery(
    url,
    "select datname from pg_database where datname like 'antnest\\_t%'",
  );
  const dead = rows!.rows
    .map((r: { datname: string }) => r.datname)
    .filter((name) => {
      const pid = Number(/^antnest_tp?l?_(\d+)_/.exec(name)?.[1]);
      if (!pid) return false;
      try {
        process.kill(pid, 0);
        return false;
      } catch (e) {
        return (e as NodeJS.ErrnoException).code === 'ESRCH';
      }
    });
  for (const name of dead) await adminQuery(url, `drop database if exists ${name} with (force)`);
}

/** Build this run's templates; the returned teardown removes them. */
export async function buildTemplates(
  pgUrl: string | undefined,
): Promise<{ templates: Templates; teardown: () => Promise<void> }> {
  const key = templateKey();
  const owner = process.pid;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'antnest-templates-'));

  // The server's own pragmas on a raw handle, so the image can be serialized.
  const raw = new SQLite(':memory:');
  for (const p of SQLITE_PRAGMAS) raw.pragma(p);
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: raw }) });
  const lite: DatabaseHandle = {
    db,
    dialect: 'sqlite',
    ping: async () => {},
    destroy: () => db.destroy(),
  };
  await migrateToLatest(db);
  fs.writeFileSync(path.join(dir, 'migrated.sqlite'), raw.serialize());
  const world: Templates['world'] = { sqlite: await seed(lite), postgres: null };
  fs.writeFileSync(path.join(dir, 'world.sqlite'), raw.serialize());
  await lite.destroy();

  let postgres: Templates['postgres'] = null;
  if (pgUrl) {
    await dropOrphans(pgUrl);
    const tag = `${owner}_${randomBytes(3).toString('hex')}`;
    postgres = { migrated: `antnest_tpl_${tag}_m`, world: `antnest_tpl_${tag}_w` };
    await adminQuery(pgUrl, `create database ${postgres.migrated}`);
    const m = await openDatabase({
      kind: 'postgres',
      url: databaseUrl(pgUrl, postgres.migrated),
      schema: undefined,
      poolSize: 1,
    });
    await migrateToLatest(m.db);
    await m.destroy();
    await adminQuery(pgUrl, `create database ${postgres.world} template ${postgres.migrated}`);
    const w = await openDatabase({
      kind: 'postgres',
      url: databaseUrl(pgUrl, postgres.world),
      schema: undefined,
      poolSize: 1,
    });
    world.postgres = await seed(w);
    await w.destroy();
  }
  const templates: Templates = {
    key,
    owner,
    sqlite: {
      migrated: path.join(dir, 'migrated.sqlite'),
      world: path.join(dir, 'world.sqlite'),
    },
    postgres,
    world,
  };
  return {
    templates,
    teardown: async () => {
      fs.rmSync(dir, { recursive: true, force: true });
      if (pgUrl && postgres)
        await adminQuery(
          pgUrl,
          `drop database if exists ${postgres.world} with (force)`,
          `drop database if exists ${postgres.migrated} with (force)`,
        );
    },
  };
}
