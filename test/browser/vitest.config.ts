import { defineConfig } from 'vitest/config';

/**
 * Browser tests (npm run test:browser): real Chromium; skipped with a notice without
 * /usr/bin/chromium. Two files at a time: a browser test mostly waits (on Chromium painting, the
 * node answering, a door's timers), so two workers keep the 2 cores busy and take ~40 % off the
 * wall time. Each file starts its own node and browser; the files of a worker share its module
 * graph (isolate: false) so the app is imported once per worker, not once per file, and
 * setup.ts empties the shared console-error list before each file.
 */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    isolate: false,
    setupFiles: ['test/browser/setup.ts'],
    testTimeout: 90_000,
    hookTimeout: 120_000,
  },
});
