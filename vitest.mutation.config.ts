import { defineConfig } from 'vitest/config';
import { UNIT_TESTS } from './vitest.config.js';

/**
 * The tests `npm run mutation` runs against each mutant: the unit project's, picked by folder
 * (vitest.config.ts), so a new test file there is used without being listed. Stryker switches
 * mutants inside the test process, so only tests that load src/ here can notice one: test/cli
 * runs the program in-process (test/helpers/run-cli.ts) and counts; test/e2e and test/system run
 * the built bundle and would only cost time.
 */
export default defineConfig({
  test: {
    // MUTATION_TESTS (a folder, from scripts/mutation.mjs) narrows the run to one part's own tests.
    include: process.env.MUTATION_TESTS ? [`${process.env.MUTATION_TESTS}/**/*.test.ts`] : UNIT_TESTS,
    globalSetup: ['test/helpers/global-temporary-folder.ts'],
    // A fixed seed and fewer property runs per mutant: the same verdict on every rerun, in seconds.
    // A 64 KB .env still takes a quadratic reader minutes (15 s at 60 KB uninstrumented), at a
    // quarter of the 256 KB tests' cost for each of the many mutants that test reaches.
    env: { FC_SEED: '20261128', FC_MAX_RUNS: '400', LARGE_ENV_BYTES: String(64 * 1024) },
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
