import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Integration tests create databases and start child processes; two cores are the norm here.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
