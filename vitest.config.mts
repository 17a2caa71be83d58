import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Training tests and the notebook runs are long on a 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // One file at a time: tests train models and the machine has two cores.
    fileParallelism: false,
    pool: 'forks',
  },
});
