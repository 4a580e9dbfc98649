// Browser tests (test/e2e): real Chromium through playwright-core against a real Keiyaku server.
// `npm run e2e`; not part of `npm test`, which needs no browser.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    globalSetup: ['test/e2e/global-setup.ts', 'test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Each file starts its own server and browser; a few at once keep the run short.
    maxWorkers: 3,
  },
});
