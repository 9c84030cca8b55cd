/**
 * The package as npm ships and installs it (issues 9 and 23): files, size as `du -sk` counts it,
 * beside @google-cloud/local-auth installed the same way; and a first npx with an empty cache
 * beside a one-file package, in paired rounds.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { firstNpx } from './first-npx.js';
import { installed, packProject, tempDir } from './footprint.js';
import { ROOT } from './common.js';
import { verdict } from './rounds.js';
import { kb, mb, ms } from './table.js';

/** Issue 23's limits, and issue 9's: no bigger than local-auth, one package. */
export const PACKAGE_TARGETS = { files: 35, duKiB: 1024, firstNpx: 1.3 };

function localAuthSpec() {
  try {
    return `@google-cloud/local-auth@${JSON.parse(readFileSync(join(ROOT, 'node_modules', '@google-cloud', 'local-auth', 'package.json'), 'utf8')).version}`;
  } catch {
    return '@google-cloud/local-auth@latest';
  }
}

export async function footprint(table, { npxRuns, warmup }, progress) {
  table.section('Install footprint (npm pack; npm install of the tarball into an empty folder)');
  if (process.env.BENCH_SKIP_FOOTPRINT === '1') return table.row('skipped (BENCH_SKIP_FOOTPRINT=1)', '', '', '', '');
  const peerSpec = localAuthSpec();
  progress(`footprint: npm pack, then npm install --omit=dev of it and of ${peerSpec} into empty folders`);
  const work = tempDir('gmail-token-bench-pack-');
  try {
    const packed = await packProject(ROOT, work);
    table.row('files in the package', String(packed.files), `${kb(packed.size)} tarball, ${kb(packed.unpackedSize)} unpacked`, '', `≤ ${PACKAGE_TARGETS.files}`, verdict(packed.files, PACKAGE_TARGETS.files, { unit: 'files' }));
    const [ours, theirs] = await Promise.all([installed(packed.tarball, 'gmail-token-bench-install-'), installed(peerSpec, 'gmail-token-bench-peer-')]);
    table.row('installed, du -sk', `${ours.duKiB} KiB`, `${peerSpec}: ${theirs.duKiB} KiB`, ours.duKiB / theirs.duKiB, `≤ ${PACKAGE_TARGETS.duKiB} KiB`, verdict(ours.duKiB, PACKAGE_TARGETS.duKiB, { unit: 'KiB' }));
    table.row('installed node_modules, on disk', mb(ours.diskBytes), `local-auth: ${mb(theirs.diskBytes)}`, ours.diskBytes / theirs.diskBytes, '≤ 1.00×', verdict(ours.diskBytes / theirs.diskBytes, 1));
    table.row('production packages installed', String(ours.packages), `local-auth: ${theirs.packages}`, ours.packages / theirs.packages, '1 package', verdict(ours.packages, 1, { unit: 'packages' }));
    table.row('runtime dependencies in the packed package.json', String(packed.runtimeDependencies), '', '', '0', verdict(packed.runtimeDependencies, 0, { unit: 'dependencies' }));
    progress(`first npx: ${warmup > 0 ? 1 : 0} warm-up + ${npxRuns} paired rounds, each with an empty npm cache`);
    const npx = await firstNpx(packed.tarball, { runs: npxRuns, warmup: warmup > 0 ? 1 : 0, progress });
    table.section(`First npx with an empty npm cache (npx --yes ./<tarball> --version; median of ${npxRuns} paired rounds' ratios)`);
    table.row('gmail-token tarball', ms(npx.ours), `one-file package, no dependencies: ${ms(npx.floor)}`, npx.ratio, `≤ ${PACKAGE_TARGETS.firstNpx.toFixed(2)}×`, verdict(npx.ratio, PACKAGE_TARGETS.firstNpx));
  } catch (error) {
    table.failed('install footprint', error);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
