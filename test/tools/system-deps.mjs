// npm's pretest: the programs some tests run beside npm's packages (system-programs.mjs). As root
// on Debian (CI, the project's machines) it installs what is missing with apt-get. Elsewhere (a
// Mac, Windows, a non-root Linux user) it installs nothing: it names what is missing and how to
// install it in one line, and the tests that need it skip (test/helpers/programs.ts). Under CI a
// missing program fails instead, so CI can never pass by skipping.
import { execFileSync } from 'node:child_process';
import { missingPrograms, PROGRAMS } from './system-programs.mjs';

const missing = missingPrograms();
if (missing.length === 0) process.exit(0);

const packages = [...new Set(missing.flatMap((name) => PROGRAMS[name].packages))];
const root = process.getuid?.() === 0;
const apt = root && process.platform === 'linux' && hasAptGet();

function hasAptGet() {
  try {
    execFileSync('apt-get', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

if (apt) {
  console.error(`Installing ${packages.join(' ')} for the tests (apt-get)`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  process.exit(0);
}

const install = `apt-get install -y ${packages.join(' ')}`;
const how = process.platform === 'linux' ? `sudo ${install} (Debian/Ubuntu)` : `they run on Debian/Ubuntu, after ${install}`;
if (process.env.CI) {
  console.error(`The tests need ${missing.join(', ')}, which are missing; install them with: ${how}`);
  process.exit(1);
}
console.error(`Skipping the tests that need ${missing.join(', ')} (missing here); to run them: ${how}`);
