/**
 * Runs before each browser-test file. The files of a worker share one module graph
 * (vitest.config.ts: isolate: false), so the console errors a file allowed on purpose (an
 * offline page's failed fetches) would otherwise reach the next file's "no console error" check.
 */
import { beforeAll } from 'vitest';
import { consoleErrors } from './browser.ts';

beforeAll(() => {
  consoleErrors.length = 0;
});
