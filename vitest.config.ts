import { defineConfig } from 'vitest/config';

// Two tiers: `unit` (judges, writers, options, parsers; no Docker, seconds) and `integration`
// (containers, whole-harness runs). `npm run test:unit` runs the first, `npm run test:self` both.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Integration files start containers; two at a time is what 2 cores take comfortably.
    maxWorkers: 2,
    reporters: ['default', './test/support/summary-line-reporter.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts'], isolate: false } },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts'] } },
    ],
  },
});
