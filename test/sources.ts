/**
 * Static checks of the code itself: the app's source files, and which of them write a table.
 * Used by the tests that keep an in-memory copy of a table's rows exact (locker-rows.test.ts,
 * carrier-cache.test.ts): a write that nobody told the copy about is a stale row.
 */
import fs from 'node:fs';
import path from 'node:path';

/** The repository's `src/`. */
export const SRC = path.resolve(import.meta.dirname, '../src');

/** Every TypeScript file under `dir` except tests and migrations; `skipDir` leaves a folder out. */
export function sourceFiles(dir = SRC, skipDir: (dir: string) => boolean = () => false): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory())
      return e.name === 'migrations' || skipDir(p) ? [] : sourceFiles(p, skipDir);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

/** A statement that writes `table` in one of the `kinds`, through the builder or as SQL text. */
export function tableWrite(
  table: string,
  kinds: readonly ('insert' | 'update' | 'delete')[] = ['insert', 'update', 'delete'],
): RegExp {
  const builder = { insert: 'insertInto', update: 'updateTable', delete: 'deleteFrom' };
  const text = { insert: 'insert into', update: 'update', delete: 'delete from' };
  return new RegExp(
    `(${kinds.map((k) => builder[k]).join('|')})\\(\\s*'${table}'\\)|\\b(${kinds
      .map((k) => text[k])
      .join('|')})\\s+"?${table}\\b`,
    'i',
  );
}

/** The files under `SRC` (relative to it) whose text matches `pattern`. */
export function filesMatching(pattern: RegExp, skipDir?: (dir: string) => boolean): string[] {
  return sourceFiles(SRC, skipDir)
    .filter((p) => pattern.test(fs.readFileSync(p, 'utf8')))
    .map((p) => path.relative(SRC, p));
}
