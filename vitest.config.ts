import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Three groups, one per kind of cost (CONTRIBUTING.md): `unit` loads src/ in the test process
 * (src/core, src/oauth, src/mail, src/emulator, src/demo, and the CLI through test/helpers/run-cli.ts), so it
 * is what the mutation run uses; `e2e` runs the shipped bundle as a child process, as people do;
 * `system` needs Debian programs (chromium, python3, msmtp, neomutt, git send-email).
 * `npm test` runs all three; `vitest run --project unit` runs one.
 */
export const UNIT_TESTS = ['test/{core,oauth,mail,emulator,cli,demo}/**/*.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['test/helpers/global-temporary-folder.ts'],
    // One more worker than cores: vitest's default (cores - 1) runs one file at a time on two cores,
    // while most files spend their time waiting on sockets, child processes and timers, not the CPU.
    maxWorkers: availableParallelism() + 1,
    testTimeout: 20_000,
    hookTimeout: 20_000,
    projects: [
      { extends: true, test: { name: 'unit', include: UNIT_TESTS } },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'] } },
      { extends: true, test: { name: 'system', include: ['test/system/**/*.test.ts'] } },
    ],
  },
});
