// The programs beside npm's packages that some tests run (real Chromium, Python's google-auth and
// python-dotenv, the mail programs of the README's recipes) and the bench's Python peer, how to
// tell each is there, and the Debian packages that provide it. Read by system-deps.mjs (npm's
// pretest) and by test/helpers/programs.ts, which skips a test whose program is missing.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Debian's interpreter, where apt's Python modules live (not a pyenv one on PATH). */
const PYTHON = '/usr/bin/python3';

function onPath(name) {
  return (process.env.PATH ?? '').split(delimiter).some((folder) => {
    try {
      accessSync(join(folder, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const succeeds = (command, args) => spawnSync(command, args, { stdio: 'ignore' }).status === 0;
const pythonImports = (modules) => existsSync(PYTHON) && succeeds(PYTHON, ['-c', `import ${modules}`]);

function gitSendEmail() {
  const exec = spawnSync('git', ['--exec-path'], { encoding: 'utf8' });
  if (exec.status !== 0) return false;
  // git send-email needs Mail::Address, which Debian's git-email only recommends.
  return existsSync(join(exec.stdout.trim(), 'git-send-email')) && succeeds('perl', ['-MMail::Address', '-e', '1']);
}

/** Each program by the name tests ask for: its Debian packages and whether it is here. */
export const PROGRAMS = {
  chromium: { packages: ['chromium'], present: () => existsSync('/usr/bin/chromium') },
  'python3-google-auth': {
    packages: ['python3-google-auth', 'python3-requests'],
    present: () => pythonImports('google.oauth2.credentials, google.auth.transport.requests'),
  },
  'python3-dotenv': { packages: ['python3-dotenv'], present: () => pythonImports('dotenv') },
  'python3-google-auth-oauthlib (bench)': { packages: ['python3-google-auth-oauthlib'], present: () => pythonImports('google_auth_oauthlib') },
  msmtp: { packages: ['msmtp'], present: () => onPath('msmtp') },
  neomutt: { packages: ['neomutt'], present: () => onPath('neomutt') },
  openssl: { packages: ['openssl'], present: () => onPath('openssl') },
  // util-linux's script gives neomutt a terminal; BSD's (macOS) takes other options and has no --version.
  'script (util-linux)': { packages: ['bsdutils'], present: () => succeeds('script', ['--version']) },
  'git send-email': { packages: ['git', 'git-email', 'libmailtools-perl'], present: gitSendEmail },
};

const found = new Map();
/** Whether `name` is here; each is looked for once per process (some start Python). */
export function isPresent(name) {
  if (!found.has(name)) found.set(name, PROGRAMS[name].present());
  return found.get(name);
}

/** The names of PROGRAMS that are missing here. */
export function missingPrograms() {
  return Object.keys(PROGRAMS).filter((name) => !isPresent(name));
}
