import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // expect.poll's own default (1 s) is shorter than a loaded CI machine's pauses: a poll waits for
    // something that does come, and a test that must see it sooner says so.
    expect: { poll: { timeout: 10_000 } },
    pool: 'forks',
    maxWorkers: 2,
    fileParallelism: true,
    // Files and each file's tests in random order, so that none depends on another's leftovers (the
    // seed is printed; `--sequence.seed N` repeats an order). Every file has a database of its own
    // (test/helpers.ts), so a file's place in the run changes only how the two workers are filled.
    sequence: { shuffle: { files: true, tests: true } },
  },
});
