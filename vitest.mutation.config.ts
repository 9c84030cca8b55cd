import { defineConfig } from 'vitest/config';

/**
 * The tests `npm run mutation` runs against each mutant: only those that load src/ in this process.
 * Stryker switches mutants inside the test process, so the tests that run the built CLI as a child
 * process (mint, check, revoke, access-token, emulator-command, browser, interop, manual, package,
 * open-browser, hardening-files, hardening-leaks, atomic-write) run dist/, never the mutant, and
 * only cost time; hardening-faults is left out for the same reason (most of its cases start the
 * CLI). emulator.test.ts tests the emulator, which is not mutated. hardening-loopback stays: all
 * but its last case run the loopback server in-process. nothing-lost-bytes (the .env byte merge,
 * on any bytes) and nothing-lost-race (the write-time update) stay for the same reason. A static
 * mutant (a module-level constant) runs every test listed here, CLI cases included, so files that
 * are mostly CLI cases are left out even with one in-process case (nothing-lost-terminal,
 * access-token-lock, google-edges-consent, demo): mutants-core-new tests the neutraliser in-process.
 */
export default defineConfig({
  test: {
    include: [
      'test/core-*.test.ts',
      'test/hardening-dotenv.test.ts',
      'test/hardening-properties.test.ts',
      'test/loopback.test.ts',
      'test/hardening-loopback.test.ts',
      'test/mint-flow.test.ts',
      'test/mint-closes-port.test.ts',
      'test/nothing-lost-bytes.test.ts',
      'test/nothing-lost-race.test.ts',
      'test/mutants-*.test.ts',
    ],
    // A fixed seed and fewer property runs per mutant: the same verdict on every rerun, in seconds.
    env: { FC_SEED: '20261128', FC_MAX_RUNS: '400' },
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
