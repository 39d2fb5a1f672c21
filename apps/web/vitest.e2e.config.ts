import { defineConfig } from 'vitest/config';

// Browser tests against a production build of this app (see e2e/testing/next-app.ts).
export default defineConfig({
  test: {
    environment: 'node',
    include: ['e2e/**/*.spec.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    // beforeAll builds the app: about a minute on two cores.
    hookTimeout: 300_000,
  },
});
