// `npm audit` of the whole lockfile. Everything the package ships is bundled from devDependencies
// now (issue 9), so --omit=dev would check nothing: an advisory for a package the bundle contains
// fails; one for a tool that only builds or tests (eslint, vitest…) is printed but does not.
// Only warns when the advisory service itself cannot be reached (this workplace's mirror refuses it).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundle, ROOT } from '../scripts/build.mjs';
import { bundledPackages } from '../scripts/licences.mjs';

const run = spawnSync('npm', ['audit', '--json'], { encoding: 'utf8', cwd: ROOT });
let report;
try {
  report = JSON.parse(run.stdout);
} catch {
  console.error('npm audit printed no JSON:', run.stderr.trim());
  process.exit(1);
}
if (!report.metadata?.vulnerabilities) {
  console.log(`npm audit: the advisory service could not be reached (${report.statusCode ?? report.message ?? 'no answer'}); nothing was checked.`);
  process.exit(0);
}
const { metafile } = await bundle({ write: false });
const bundled = new Set(bundledPackages(metafile).map((dir) => JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')).name));
const advisories = Object.values(report.vulnerabilities ?? {});
const shipped = advisories.filter((advisory) => bundled.has(advisory.name));
const toolsOnly = advisories.filter((advisory) => !bundled.has(advisory.name));
const list = (items) => items.map((advisory) => `${advisory.name} (${advisory.severity})`).join(', ') || 'none';
console.log(`npm audit: ${bundled.size} bundled packages; advisories for them: ${list(shipped)}`);
console.log(`npm audit: advisories for build and test tools only (not shipped): ${list(toolsOnly)}`);
process.exit(shipped.length === 0 ? 0 : 1);
