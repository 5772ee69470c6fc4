import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    fileParallelism: true,
    // Each file's tests in random order, so that none depends on another's leftovers (the seed is
    // printed; `--sequence.seed N` repeats an order). Files keep vitest's order, longest first:
    // shuffling them would only make a run on two cores slower.
    sequence: { shuffle: { files: false, tests: true } },
  },
});
