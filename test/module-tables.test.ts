/**
 * A module's SQL touches only its own tables (docs/architecture.md, "Modules and their walls").
 * The owner of each table is the module whose `*.table.ts` declares it (in its `…Tables`
 * interface); every Kysely call that names a table (`selectFrom`, joins, `insertInto`,
 * `updateTable`, `deleteFrom`) in a module's non-test files must name one of its own tables
 * or a platform table. Names owned by another module are read through that module's
 * index.ts instead (places' `hallNames`, identity's `displayNames`, lockers' `lockerPlaces`).
 * Raw `sql` templates are not scanned.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const MODULES = 'src/modules';

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Table names declared in the `…Tables` interfaces of a `*.table.ts` source. */
export function declaredTables(source: string): string[] {
  return [
    ...source.matchAll(/export interface \w+Tables\s*(?:extends [^{]*)?\{([^}]*)\}/g),
  ].flatMap((m) => [...m[1]!.matchAll(/^\s*([a-z_0-9]+)\s*:/gm)].map((t) => t[1]!));
}

/** Tables a source names in Kysely calls, with their line numbers. */
export function namedTables(source: string): { table: string; line: number }[] {
  return [
    ...source.matchAll(
      /\b(?:selectFrom|innerJoin|leftJoin|rightJoin|fullJoin|insertInto|updateTable|deleteFrom|mergeInto)\(\s*\[?\s*['"]([a-z_0-9]+)/g,
    ),
  ].map((m) => ({ table: m[1]!, line: source.slice(0, m.index).split('\n').length }));
}

function owners(): Map<string, string> {
  const owner = new Map<string, string>();
  for (const f of files('src/platform').filter((f) => f.endsWith('.table.ts')))
    for (const t of declaredTables(readFileSync(f, 'utf8'))) owner.set(t, 'platform');
  for (const m of readdirSync(MODULES))
    for (const f of files(join(MODULES, m)).filter((f) => f.endsWith('.table.ts')))
      for (const t of declaredTables(readFileSync(f, 'utf8'))) owner.set(t, m);
  return owner;
}

/** The tables owned by another module that one module's source names. */
function crossingsIn(module: string, file: string, source: string, owner: Map<string, string>) {
  return namedTables(source)
    .map((n) => ({ file, ...n, owner: owner.get(n.table) ?? '?' }))
    .filter((n) => n.owner !== module && n.owner !== 'platform' && n.owner !== '?');
}

function crossings(): { file: string; table: string; line: number; owner: string }[] {
  const owner = owners();
  return readdirSync(MODULES).flatMap((m) =>
    files(join(MODULES, m))
      .filter((f) => !/\.test\.ts$|\.property\.|\.testkit\.ts$/.test(f))
      .flatMap((file) => crossingsIn(m, file, readFileSync(file, 'utf8'), owner)),
  );
}

describe("a module's SQL touches only its own tables", () => {
  it('reads the owners from the table files and the names from the calls', () => {
    expect(
      declaredTables('export interface XTables {\n  parcels: ParcelTable;\n  halls: H;\n}'),
    ).toEqual(['parcels', 'halls']);
    expect(
      namedTables("db\n  .selectFrom('parcels as p')\n  .innerJoin(\n    'lockers as l', 'l.id')"),
    ).toEqual([
      { table: 'parcels', line: 2 },
      { table: 'lockers', line: 3 },
    ]);
    const owner = owners();
    expect(owner.get('parcels')).toBe('parcels');
    expect(owner.get('halls')).toBe('places');
    expect(owner.get('users')).toBe('identity');
    expect(owner.get('ledger_entries')).toBe('ledger');
  });

  it('no module names another module’s table', () => {
    const found = crossings().map(
      (c) => `${c.file}:${c.line} names ${c.table} (owned by ${c.owner})`,
    );
    expect(
      found,
      "read another module's rows through a function exported from its index.ts, or keep a copy fed by its events (ADR 0038)",
    ).toEqual([]);
  });

  it('finds a crossing: the join the lockers directory used to make', () => {
    const source =
      "db.selectFrom('lockers as l')\n  .innerJoin('locker_sites as s', 's.id', 'l.site_id')";
    expect(crossingsIn('lockers', 'x.ts', source, owners())).toEqual([
      { file: 'x.ts', table: 'locker_sites', line: 2, owner: 'places' },
    ]);
  });
});
