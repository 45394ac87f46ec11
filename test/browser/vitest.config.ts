import { defineConfig } from 'vitest/config';

/** Browser tests (npm run test:browser): real Chromium, one file at a time; skipped with a notice without /usr/bin/chromium. */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 120_000,
  },
});
