import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Loads every `YYYY-MM-DDTHHMM_name.ts` file in db/migrations, in name order. */
class DirectoryMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await fs.readdir(MIGRATIONS_DIR))
      .filter((f) => /^\d{4}-\d{2}-\d{2}T\d{4}_[a-z0-9_]+\.ts$/.test(f))
      .sort();
    const out: Record<string, Migration> = {};
    for (const f of files)
      out[f.replace(/\.ts$/, '')] = (await import(
        pathToFileURL(path.join(MIGRATIONS_DIR, f)).href
      )) as Migration;
    return out;
  }
}

/**
 * Bring the schema to the latest migration; returns the names applied now. With a
 * PostgreSQL schema, Kysely's bookkeeping tables live in it too (otherwise Kysely finds
 * another schema's lock table on the same server and skips creating its own).
 */
export async function migrateToLatest(db: Kysely<any>, schema?: string): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: new DirectoryMigrationProvider(),
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    if (!error)
      return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    // `results` is undefined when the failure came before any migration ran (Kysely's own
    // bookkeeping and introspection); a migration that failed is listed in it.
    if (attempt < 5 && otherSchemaVanished(error, schema, results === undefined)) {
      await new Promise((r) => setTimeout(r, 50 * attempt));
      continue;
    }
    throw error instanceof Error ? error : new Error(String(error));
  }
}

/**
 * Kysely looks for its bookkeeping table by introspecting every schema of the database
 * (`has_schema_privilege` on each), so a schema another process drops at that moment fails
 * this migration with "schema … does not exist" (SQLSTATE 3F000). Nothing was applied then:
 * trying again is safe. Seen when parallel test workers tear down their schemas in one
 * database (and a moment later as a vanished `<schema>.kysely_migration`, 42P01); a server
 * whose own schema is gone still fails.
 */
export function otherSchemaVanished(
  error: unknown,
  schema: string | undefined,
  beforeAnyMigration = false,
): boolean {
  const e = error as { code?: unknown; message?: unknown };
  if (typeof e?.message !== 'string') return false;
  // The introspection asks `pg_get_serial_sequence(schema.table, column)` of every column it
  // lists, which looks the table up again by name: a table another worker drops between the two
  // fails it with 'column "attempts" of relation "otp_challenges" does not exist' (42703), naming
  // no schema (seen in CI, 2026-12-07). A migration's own 42703 is a bug in it and is not retried.
  if (e.code === '42703')
    return (
      beforeAnyMigration && /^column "[^"]+" of relation "[^"]+" does not exist$/.test(e.message)
    );
  if (e.code === '3F000') return schema === undefined || !e.message.includes(`"${schema}"`);
  // The same race one step later: the schema was still there, its bookkeeping table no longer
  // ('relation "w_1_2_3.kysely_migration" does not exist', SQLSTATE 42P01). Only a table
  // qualified with another schema counts.
  const table =
    e.code === '42P01' ? /relation "([^".]+)\.[^"]+" does not exist/.exec(e.message) : null;
  return table !== null && table[1] !== schema;
}
