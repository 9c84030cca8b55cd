#!/usr/bin/env node
/**
 * `npm run mutation [-- PART...] [--force]`: the mutation score of each part of src/ (core, oauth,
 * cli, or one file such as core/terminal.ts), in two passes.
 *
 * 1. Stryker with per-test coverage and --ignoreStatic: each mutant runs only the unit tests that
 *    reach it, in long-lived test processes. Without --ignoreStatic every module-level mutant
 *    would re-run the whole unit project (hours on two cores).
 * 2. The mutants that pass 1 reports as static and surviving (or ignores), again, each in a fresh vitest
 *    process over the part's own test folder (Stryker's command runner). A module-level edit
 *    (a table of scope names, a regex constant) takes effect only when its module loads; in pass
 *    1's long-lived processes it never does, so Stryker reports it survived even where a test
 *    fails on it (`full` dropped from scopes.ts's table "survived" while test/core/scopes fails).
 *
 * Pass 1 is incremental (reports/mutation/PART.json): a later run re-tests only what changed. A
 * whole part starts from test/mutation/PART.json.gz when there is no local result yet, so a fresh
 * clone does not spend hours on code that has not changed since; `--save` writes the result back
 * there. Prints, per part, each file's score with both passes counted, and the mutants that
 * survive both.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';

const args = process.argv.slice(2);
const force = args.includes('--force');
const save = args.includes('--save');
const parts = args.filter((arg) => !arg.startsWith('-'));

/**
 * `core` → every file of src/core, tested by test/core; `core/terminal.ts` → that file only.
 * src/core is pure, so pass 1 gives its mutants test/core's tests only (`ownTests`): the command
 * tests also reach that code, but through sockets, files and waits, and a surviving mutant runs
 * every test that reaches it (a minute each, hours in all). src/oauth and src/cli are judged by
 * the whole unit project, since test/cli is what drives much of src/oauth.
 */
function partOf(spec) {
  const [folder] = spec.split('/');
  const mutate = spec.includes('/') ? `src/${spec}` : `src/${spec}/**/*.ts`;
  const tests = `test/${folder}`;
  return { name: spec.replace(/\W+/g, '-'), mutate, tests, ownTests: folder === 'core' ? tests : undefined, baseline: spec.includes('/') ? undefined : `test/mutation/${spec}.json.gz` };
}

function stryker(strykerArgs, env = {}) {
  const result = spawnSync('npx', ['stryker', 'run', ...strykerArgs], { stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const place = (file, mutant) => `${file}:${mutant.location.start.line}:${mutant.location.start.column}:${mutant.mutatorName}:${mutant.replacement}`;

/** Pass 2 for the static survivors of pass 1; returns their statuses by place. */
function retestStatic(part, report) {
  const survivors = Object.entries(report.files).flatMap(([file, { mutants }]) =>
    mutants.filter((mutant) => mutant.static && (mutant.status === 'Survived' || mutant.status === 'Ignored')).map((mutant) => ({ file, mutant })),
  );
  if (survivors.length === 0) return new Map();
  const lines = [...new Set(survivors.map(({ file, mutant }) => `${file}:${mutant.location.start.line}-${mutant.location.end.line}`))];
  const config = `.stryker-static-${part.name}.config.mjs`;
  const output = `reports/mutation/${part.name}-static.json`;
  writeFileSync(
    config,
    `import base from './stryker.config.mjs';
export default {
  ...base,
  mutate: ${JSON.stringify(lines)},
  testRunner: 'command',
  commandRunner: { command: 'npx vitest run --config vitest.mutation.config.ts --bail 1 ${part.tests}' },
  coverageAnalysis: 'off',
  incremental: false,
  concurrency: base.concurrency,
  tempDirName: '.stryker-tmp-static',
  ignorePatterns: [...base.ignorePatterns, '/.stryker-static-*'],
  reporters: ['json', 'progress'],
  jsonReporter: { fileName: ${JSON.stringify(output)} },
  timeoutMS: 60000,
};
`,
  );
  try {
    stryker([config]);
  } finally {
    rmSync(config, { force: true });
  }
  const again = JSON.parse(readFileSync(output, 'utf8'));
  return new Map(Object.entries(again.files).flatMap(([file, { mutants }]) => mutants.map((mutant) => [place(file, mutant), mutant.status])));
}

const COUNTED = ['Killed', 'Timeout', 'Survived', 'NoCoverage'];

function score(part, report, retested) {
  const rows = [];
  const left = [];
  for (const [file, { mutants, source }] of Object.entries(report.files)) {
    const counts = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0 };
    for (const mutant of mutants) {
      const status = (mutant.static && retested.get(place(file, mutant))) || mutant.status;
      if (!COUNTED.includes(status)) continue;
      counts[status] += 1;
      if (status === 'Survived' || status === 'NoCoverage') {
        const line = source.split('\n')[mutant.location.start.line - 1].trim();
        left.push(`${file}:${mutant.location.start.line}:${mutant.location.start.column} ${mutant.mutatorName}: ${line} => ${mutant.replacement}`);
      }
    }
    rows.push([file, counts]);
  }
  const total = (counts) => COUNTED.reduce((sum, status) => sum + counts[status], 0);
  const percent = (counts) => (total(counts) === 0 ? 'n/a' : `${((100 * (counts.Killed + counts.Timeout)) / total(counts)).toFixed(2)}%`);
  const all = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0 };
  for (const [, counts] of rows) for (const status of COUNTED) all[status] += counts[status];
  console.log(`\n${left.join('\n')}\n\n${part.mutate}: both passes\n| file | score | mutants | killed | timed out | survived | no coverage |\n| --- | --- | --- | --- | --- | --- | --- |`);
  for (const [file, counts] of [[`**${part.mutate}**`, all], ...rows]) {
    console.log(`| ${file} | ${percent(counts)} | ${total(counts)} | ${counts.Killed} | ${counts.Timeout} | ${counts.Survived} | ${counts.NoCoverage} |`);
  }
}

for (const part of (parts.length > 0 ? parts : ['core', 'oauth', 'cli']).map(partOf)) {
  const incremental = `reports/mutation/${part.name}.json`;
  if (!force && part.baseline && existsSync(part.baseline) && !existsSync(incremental)) {
    mkdirSync('reports/mutation', { recursive: true });
    writeFileSync(incremental, gunzipSync(readFileSync(part.baseline)));
  }
  stryker(['--mutate', part.mutate, '--ignoreStatic', '--incrementalFile', incremental, ...(force ? ['--force'] : [])], part.ownTests ? { MUTATION_TESTS: part.ownTests } : {});
  const report = JSON.parse(readFileSync(incremental, 'utf8'));
  if (save && part.baseline) writeFileSync(part.baseline, gzipSync(readFileSync(incremental), { level: 9 }));
  score(part, report, retestStatic(part, report));
}
