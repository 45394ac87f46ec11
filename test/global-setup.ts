/**
 * Once per run: say whether the PostgreSQL half runs, and build the template databases that
 * test files clone (test/templates.ts). Every project shares one set of templates.
 */
import type { TestProject } from 'vitest/node';
import { buildTemplates, type Templates } from './templates.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    antnestTemplates: Templates;
  }
}

interface Shared {
  built: Promise<Awaited<ReturnType<typeof buildTemplates>>>;
  users: number;
}
const SHARED = Symbol.for('antnest.test.templates');
const store = globalThis as { [SHARED]?: Shared };

/** Build (or join) this run's templates and hand them to the project's workers. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const url = process.env['DATABASE_URL'];
  const pg = url !== undefined && /^postgres/.test(url);
  if (!store[SHARED]) {
    if (pg) {
      process.stdout.write(
        `\n[antnest] integration tests run on SQLite and on PostgreSQL (${new URL(url).host}, a database cloned from a template per file)\n\n`,
      );
    } else {
      process.stdout.write(
        '\n[antnest] NOTICE: DATABASE_URL is not set, so the PostgreSQL integration tests are SKIPPED (SQLite ran). .ci/run sets it.\n\n',
      );
    }
    store[SHARED] = { built: buildTemplates(pg ? url : undefined), users: 0 };
  }
  const shared = store[SHARED];
  shared.users++;
  const { templates } = await shared.built;
  project.provide('antnestTemplates', templates);
  return async () => {
    if (--shared.users > 0) return;
    delete store[SHARED];
    await (await shared.built).teardown();
  };
}
