import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Integration tests create databases and spawn the server as a child process; the defaults
    // are too tight for a two-core machine under load.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
