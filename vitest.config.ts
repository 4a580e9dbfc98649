import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Browser tests need Chromium: `npm run e2e` (vitest.e2e.config.ts).
    exclude: ['test/e2e/**', '**/node_modules/**'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: a single worker on the two-core CI
    // machines, where test files mostly wait (servers, child processes, timers). Two workers there
    // took the PGlite suite from 405 s to 307 s and the PostgreSQL one from 247 s to 164 s.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
