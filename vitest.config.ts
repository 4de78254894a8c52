import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Exploration tests run thousands of model runs; none is timed, but each needs room.
    testTimeout: 180_000,
    include: ['test/**/*.test.ts'],
    // Every core: the exploration files are CPU-bound and independent (vitest leaves one core free by default).
    maxWorkers: 2,
  },
});
