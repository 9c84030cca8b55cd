/**
 * Mutation testing (`npm run mutation`): outside `npm test` and CI, like the bench. It changes
 * src/core, src/oauth and src/cli one small edit at a time and reports each edit no test noticed.
 * The machine it runs on is usually shared, so at most two test processes.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  mutate: ['src/core/**/*.ts', 'src/oauth/**/*.ts', 'src/cli/**/*.ts'],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  // A later run re-tests only the mutants in code or tests that changed since this file was written.
  incremental: true,
  incrementalFile: 'reports/mutation/incremental.json',
  reporters: ['clear-text', 'progress', 'html'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  clearTextReporter: { reportTests: false, reportMutants: true, reportScoreTable: true, allowColor: false },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  // Not copied into the sandbox: another run's sandbox (a part run with its own --tempDirName) or reports.
  ignorePatterns: ['/.stryker-tmp*', '/reports'],
  cleanTempDir: 'always',
  timeoutMS: 5_000,
};
