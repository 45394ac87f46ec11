/**
 * Test projects (docs/testing.md):
 *   unit         needs no database (device agent, contract, pure rules)
 *   integration  uses the test harness; runs on SQLite (and shows the PostgreSQL half skipped
 *                when DATABASE_URL is unset)
 *   postgres     the PostgreSQL half of the files that have one; defined when DATABASE_URL is set
 *   mocked       files that replace modules with vi.mock, each in a fresh module graph
 * The mini-program's tests (miniprogram/test) join the same projects by the same rule.
 * A file's project follows from what it imports, so moved or new files need no list here.
 * Files share a worker's module graph (isolate: false): importing the app once per worker
 * instead of once per file is most of what makes the suite fast on 2 cores.
 */
import fs from 'node:fs';
import path from 'node:path';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

const INCLUDE = ['src/**/*.test.ts', 'test/**/*.test.ts', 'miniprogram/test/**/*.test.ts'];
const EXCLUDE = ['test/e2e/**', 'test/browser/**', 'node_modules/**', 'miniprogram/dist/**'];
const pg = /^postgres/.test(process.env['DATABASE_URL'] ?? '');

function testFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.posix.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : testFiles(p);
    return e.name.endsWith('.test.ts') ? [p] : [];
  });
}
const files = ['src', 'test', 'miniprogram/test']
  .flatMap(testFiles)
  .filter((f) => !/^test\/(e2e|browser)\//.test(f))
  .map((f) => ({ f, text: fs.readFileSync(f, 'utf8') }));
const mocked = files.filter((x) => /\bvi\.mock\(/.test(x.text)).map((x) => x.f);
const usesDb = files
  .filter((x) => !mocked.includes(x.f))
  .filter((x) => /harness\.ts'|world\.ts'|demo-actors\.ts'|describeEachDialect/.test(x.text));
const integration = usesDb.map((x) => x.f);
const postgres = usesDb.filter((x) => /describeEachDialect|pgEnabled/.test(x.text)).map((x) => x.f);

const shared = {
  testTimeout: 20_000,
  hookTimeout: 30_000,
  pool: 'forks' as const,
  isolate: false,
  globalSetup: 'test/global-setup.ts',
  setupFiles: ['test/fast-check.setup.ts'],
};

const projects: TestProjectInlineConfiguration[] = [
  {
    test: {
      ...shared,
      name: 'unit',
      include: INCLUDE,
      exclude: [...EXCLUDE, ...integration, ...mocked],
    },
  },
  {
    test: {
      ...shared,
      name: 'integration',
      include: integration,
      // With a PostgreSQL server the postgres project runs that half; without, it shows skipped here.
      env: pg ? { ANTNEST_TEST_DIALECT: 'sqlite' } : {},
    },
  },
  { test: { ...shared, name: 'mocked', include: mocked, isolate: true } },
];
if (pg)
  projects.push({
    test: {
      ...shared,
      name: 'postgres',
      include: postgres,
      env: { ANTNEST_TEST_DIALECT: 'postgres' },
    },
  });

// Vitest's default on 2 cores is one worker (cores - 1); much of the suite waits on sockets and
// timers, so two workers keep both cores busy.
export default defineConfig({ test: { projects, maxWorkers: 2 } });
