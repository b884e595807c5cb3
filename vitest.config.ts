import { defineConfig } from 'vitest/config';

// Test lanes. `unit` runs pure rules; `api` runs every *.api.test.ts against PGlite, and again against
// PostgreSQL when TEST_DATABASE_URL is set (.ci/run starts one); `browser` drives Debian's chromium.
const lanes = [
  {
    test: {
      name: 'unit',
      include: ['src/**/*.test.ts', 'bench/**/*.test.ts'],
      exclude: ['src/**/*.api.test.ts', 'src/**/*.browser.test.ts', 'src/**/*.pg.test.ts'],
      testTimeout: 60_000,
    },
  },
  {
    test: {
      name: 'api-pglite',
      include: ['src/**/*.api.test.ts'],
      env: { TEST_DB: 'pglite' },
      isolate: false,
      testTimeout: 90_000,
      hookTimeout: 120_000,
    },
  },
  ...(process.env.TEST_DATABASE_URL
    ? [
        {
          test: {
            name: 'api-postgres',
            include: ['src/**/*.api.test.ts', 'src/**/*.pg.test.ts'],
            env: { TEST_DB: 'postgres' },
            setupFiles: ['src/testing/postgres-lane-setup.ts'],
            isolate: false,
            testTimeout: 90_000,
            hookTimeout: 120_000,
          },
        },
      ]
    : []),
  ...(process.env.SKIP_BROWSER_TESTS
    ? []
    : [
        {
          test: {
            name: 'browser',
            include: ['src/**/*.browser.test.ts'],
            testTimeout: 60_000,
            hookTimeout: 120_000,
            fileParallelism: false,
          },
        },
      ]),
];

export default defineConfig({
  test: {
    projects: lanes,
    env: { TZ: 'UTC' },
  },
});
