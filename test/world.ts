/**
 * useWorld(dialect): the access-test world (test/factories.ts) on a test app, cloned from the
 * run's seeded template instead of migrated and seeded again (docs/testing.md).
 *
 *   describeEachDialect('places', (dialect) => {
 *     const { t, w } = useWorld(dialect);              // one world for the file's tests
 *     const { t, w } = useWorld(dialect, { each: true }); // a fresh one before every test
 *
 * `t` and `w` stand for the current app and world: their properties are read through to
 * the objects the hooks built, so test bodies use them like plain variables.
 */
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { seedWorld, type World } from './factories.ts';
import { buildTestApp, currentTemplates, type Dialect, type TestApp } from './harness.ts';

/** A test app on a fresh copy of the world, and that world's ids and tokens. */
export async function openWorld(
  dialect: Dialect,
  opts: { demo?: boolean } = {},
): Promise<{ t: TestApp; w: World }> {
  const world = currentTemplates()?.world[dialect];
  if (!world) {
    // No current template (another config, or the code changed under a watch run): build it here.
    const t = await buildTestApp(dialect, opts);
    return { t, w: await seedWorld(t) };
  }
  const t = await buildTestApp(dialect, { ...opts, from: 'world' });
  return { t, w: structuredClone(world) };
}

/** Stand-in that reads through to whatever `current()` holds when a test runs. */
function readThrough<T extends object>(what: string, current: () => T | undefined): T {
  const target = (): T => {
    const v = current();
    if (!v) throw new Error(`useWorld: ${what} is only there inside tests and hooks`);
    return v;
  };
  return new Proxy({} as T, {
    get: (_, p) => Reflect.get(target(), p),
    set: (_, p, v) => Reflect.set(target(), p, v),
    has: (_, p) => Reflect.has(target(), p),
    ownKeys: () => Reflect.ownKeys(target()),
    getOwnPropertyDescriptor: (_, p) => {
      const d = Reflect.getOwnPropertyDescriptor(target(), p);
      return d && { ...d, configurable: true };
    },
  });
}

/**
 * Register the hooks that give a suite its world: built before the suite's first test and
 * closed after its last (`each: true`: built before and closed after every test).
 */
export function useWorld(
  dialect: Dialect,
  opts: { each?: boolean; demo?: boolean } = {},
): { t: TestApp; w: World } {
  let cur: { t: TestApp; w: World } | undefined;
  const open = async () => {
    cur = await openWorld(dialect, opts);
  };
  const close = async () => {
    const c = cur;
    cur = undefined;
    await c?.t.close();
  };
  if (opts.each) {
    beforeEach(open);
    afterEach(close);
  } else {
    beforeAll(open);
    afterAll(close);
  }
  return { t: readThrough('t', () => cur?.t), w: readThrough('w', () => cur?.w) };
}
