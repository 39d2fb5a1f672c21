import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // The nginx and compose tests start real processes; the defaults are tight on two cores.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
