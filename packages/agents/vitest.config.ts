import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Integration tests create databases, BullMQ queues and workers; two cores are the norm here.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
