import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Integration files start containers; two at a time is what 2 cores take comfortably.
    maxWorkers: 2,
    reporters: ['default', './test/support/summary-line-reporter.ts'],
  },
});
