/**
 * First `npx` of a package with an empty npm cache (issue 9): what a person waits for the first
 * time they type `npx gmail-token`, minus the download (both tarballs are local files). The floor
 * is the same command for a one-file package with no dependencies: npm's own start, resolve and
 * unpack, and a Node start. Runs are paired: each round times both, in random order, each
 * with a new empty cache, and the ratio is taken per round before the median.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { childEnv, median, timedRun } from './common.js';
import { packProject, tempDir } from './footprint.js';

const run = promisify(execFile);
const NPM_FLAGS = ['--yes', '--no-audit', '--no-fund', '--no-update-notifier', '--loglevel=error'];

/** Packs a package whose whole content is one bin file printing a version. */
export async function packOneFilePackage(into) {
  const dir = join(into, 'one-file-package');
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'one-file-package', version: '1.0.0', bin: { 'one-file-package': 'cli.js' } }));
  writeFileSync(join(dir, 'cli.js'), "#!/usr/bin/env node\nconsole.log('1.0.0');\n");
  chmodSync(join(dir, 'cli.js'), 0o755);
  return packProject(dir, into);
}

/** As the issue measured it: `npx --yes ./name.tgz --version` from the tarball's folder. */
async function npxOnce(tarball) {
  const cache = tempDir('gmail-token-bench-npx-cache-');
  try {
    const result = await timedRun('npx', [...NPM_FLAGS, '--cache', cache, `./${basename(tarball)}`, '--version'], { env: childEnv(), cwd: dirname(tarball), timeoutMs: 120_000 });
    if (result.code !== 0) throw new Error(`npx ${tarball} --version exited ${result.code}: ${result.stderr.trim().slice(-200)}`);
    return result.wallMs;
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}

/** `{ ours, floor, ratios }`: wall times (ms) and per-round ratios of `runs` paired rounds after `warmup`. */
export async function firstNpx(tarball, { runs, warmup, progress = () => undefined }) {
  const work = tempDir('gmail-token-bench-npx-');
  try {
    const floorTarball = (await packOneFilePackage(work)).tarball;
    await run('npm', ['--version']);
    const ours = [];
    const floor = [];
    for (let round = 0; round < warmup + runs; round += 1) {
      const order = Math.random() < 0.5 ? [tarball, floorTarball] : [floorTarball, tarball];
      const times = new Map();
      for (const which of order) times.set(which, await npxOnce(which));
      if (round < warmup) continue;
      ours.push(times.get(tarball));
      floor.push(times.get(floorTarball));
      progress(`first npx, round ${round - warmup + 1}/${runs}: ${times.get(tarball).toFixed(0)} ms vs ${times.get(floorTarball).toFixed(0)} ms`);
    }
    return { ours: median(ours), floor: median(floor), ratio: median(ours.map((ms, i) => ms / floor[i])) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
