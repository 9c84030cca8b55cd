import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { followConsent } from '../helpers/browser.js';
import { runInProcess, runInProcessToEnd } from '../helpers/run-cli.js';
import { useEmulatorHarness } from '../helpers/harness.js';

/**
 * File-system faults at the output path. Tests run as root here, so permission bits stop nothing:
 * "not writable" is made with a read-only bind mount, a path under /proc and a file used as a
 * folder; "disk full" with a 16 KB tmpfs. Mounting needs root (CAP_SYS_ADMIN): where it is not
 * allowed, those tests are skipped and say why.
 */

function mountWorks(): boolean {
  const probe = mkdtempSync(join(tmpdir(), 'gmail-token-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}
const CAN_MOUNT = mountWorks();
const NO_MOUNT = 'skipped: needs mount(8) with CAP_SYS_ADMIN (root in a privileged container) to make a read-only or full file system';
/** The test's name, saying why when it is skipped. */
const mounting = (name: string): string => (CAN_MOUNT ? name : `${name} (${NO_MOUNT})`);

const h = useEmulatorHarness();
const mounts: string[] = [];

afterEach(() => {
  while (mounts.length > 0) execFileSync('umount', [mounts.pop() as string], { stdio: 'ignore' });
});

function mountTmpfs(dir: string, size: string): void {
  mkdirSync(dir, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir], { stdio: 'ignore' });
  mounts.push(dir);
}

function makeReadOnly(dir: string): void {
  execFileSync('mount', ['--bind', dir, dir], { stdio: 'ignore' });
  mounts.push(dir);
  execFileSync('mount', ['-o', 'remount,ro,bind', dir], { stdio: 'ignore' });
}

/** Fills a file system: the last write fails with ENOSPC, and what fit stays. */
function fill(dir: string): void {
  const chunk = Buffer.alloc(1024, 0x78);
  for (let i = 0; i < 4096; i++) {
    try {
      writeFileSync(join(dir, `filler-${i}`), chunk);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOSPC') return;
      throw error;
    }
  }
  throw new Error(`${dir} never filled up`);
}

function env() {
  return { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort };
}

/** No `.<name>.<random>.tmp` left behind, and nothing else new. */
function leftovers(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.endsWith('.tmp'));
}

/** A usage error: exit 2 before any network or browser action, one line, no stack. */
async function expectRefusedBeforeTheFlow(args: string[], message: RegExp) {
  // --timeout bounds the run should the check wrongly let the flow start.
  const result = await runInProcessToEnd(['mint', '--no-open', '--timeout', '3', ...args], { cwd: h.workspace.dir, env: env() });
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(message);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).not.toContain('/o/oauth2/');
  expect(h.emulator.received).toEqual([]);
  return result;
}

/** Runs mint through consent; the file system can be changed between planning and writing. */
async function mintThrough(args: string[], duringConsent: () => void = () => undefined, extraEnv: Record<string, string> = {}) {
  const run = runInProcess(['mint', '--no-open', ...args], { cwd: h.workspace.dir, env: { ...env(), ...extraEnv } });
  const url = await run.consentUrl();
  duringConsent();
  await followConsent(url);
  return run.exit;
}

describe('output the tool cannot write: refused before the flow (exit 2, Google never asked)', () => {
  it('a folder that does not exist', async () => {
    await expectRefusedBeforeTheFlow(['-o', 'no/such/folder/token.json'], /folder .*no\/such\/folder does not exist\. Create it first/);
  });

  it('a file used as a folder', async () => {
    await expectRefusedBeforeTheFlow(['-o', 'credentials.json/token.json'], /credentials\.json is not a folder/);
    expect(JSON.parse(readFileSync(join(h.workspace.dir, 'credentials.json'), 'utf8'))).toHaveProperty('installed');
  });

  it.skipIf(process.platform !== 'linux')('a folder under /proc (root may "access" it, but nothing can be created there; Linux only)', async () => {
    await expectRefusedBeforeTheFlow(['-o', '/proc/token.json'], /Cannot write \/proc\/token\.json: the folder \/proc is not writable/);
    await expectRefusedBeforeTheFlow(['-o', '/proc/self/token.json'], /the folder \/proc\/self is not writable/);
  });

  it.skipIf(!CAN_MOUNT)(mounting('a read-only folder (read-only bind mount)'), async () => {
    const out = join(h.workspace.dir, 'out');
    mkdirSync(out);
    makeReadOnly(out);
    await expectRefusedBeforeTheFlow(['-o', 'out/token.json'], /the folder .*out is not writable \(EROFS: the file system is read-only\)\. Choose another --out/);
    await expectRefusedBeforeTheFlow(['-f', 'env', '-o', 'out/.env'], /not writable/);
  });

  it('an output path that is a folder, or a device', async () => {
    mkdirSync(join(h.workspace.dir, 'token.json'));
    await expectRefusedBeforeTheFlow([], /token\.json is a folder\. Give a file name with --out/);
    if (existsSync('/dev/full')) await expectRefusedBeforeTheFlow(['-o', '/dev/full', '--force'], /\/dev\/full is not a regular file/);
    await expectRefusedBeforeTheFlow(['-f', 'env', '-o', '/dev/null'], /\/dev\/null is not a regular file/);
  });
});

describe('a symlink at the output path is never followed', () => {
  for (const [name, args] of [
    ['token.json with --force', ['--force']],
    ['an env update', ['-f', 'env', '-o', 'token.json']],
  ] as const) {
    it(`${name}: refused before the flow, link and target untouched`, async () => {
      const victim = h.workspace.file('victim.txt', 'do not touch\n');
      symlinkSync(victim, join(h.workspace.dir, 'token.json'));
      await expectRefusedBeforeTheFlow([...args], /token\.json is a symbolic link; gmail-token does not write through links/);
      expect(readFileSync(victim, 'utf8')).toBe('do not touch\n');
      expect(readlinkSync(join(h.workspace.dir, 'token.json'))).toBe(victim);
    });
  }

  it('a dangling link is refused too (nothing is created at its target)', async () => {
    const target = join(h.workspace.dir, 'created-through-link.json');
    symlinkSync(target, join(h.workspace.dir, 'token.json'));
    await expectRefusedBeforeTheFlow([], /symbolic link/);
    expect(existsSync(target)).toBe(false);
  });

  it('a link planted while consent is pending is neither followed nor replaced: link and target stay, the token goes beside', async () => {
    const victim = h.workspace.file('victim.txt', 'do not touch\n');
    const result = await mintThrough([], () => symlinkSync(victim, join(h.workspace.dir, 'token.json')));
    expect(result.code).toBe(1);
    expect(readFileSync(victim, 'utf8')).toBe('do not touch\n');
    expect(readlinkSync(join(h.workspace.dir, 'token.json'))).toBe(victim);
    const [rescued] = readdirSync(h.workspace.dir).filter((name) => /^token\.rescued-[0-9a-f]{6}\.json$/.test(name));
    const written = lstatSync(join(h.workspace.dir, rescued ?? 'missing'));
    expect(written.isFile()).toBe(true);
    expect(written.mode & 0o777).toBe(0o600);
    expect(leftovers(h.workspace.dir)).toEqual([]);
  });

  it('a .env swapped for a link while consent is pending is not read through: exit 1, the link target stays out of it', async () => {
    const secret = h.workspace.file('private.txt', 'PRIVATE_KEY=do-not-copy\n');
    const envPath = h.workspace.file('.env', 'A=1\n');
    const result = await mintThrough(['-f', 'env', '-o', '.env'], () => {
      rmSync(envPath);
      symlinkSync(secret, envPath);
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Could not read .*\.env to update it \(ELOOP: it is now a symbolic link\)/);
    expect(readFileSync(secret, 'utf8')).toBe('PRIVATE_KEY=do-not-copy\n');
    expect(readlinkSync(envPath)).toBe(secret);
    expect(leftovers(h.workspace.dir)).toEqual([]);
  });

  it('a folder reached through a symlink is a folder (like /tmp on macOS): the token is written in it', async () => {
    const real = join(h.workspace.dir, 'real');
    mkdirSync(real);
    symlinkSync(real, join(h.workspace.dir, 'linked'));
    const result = await mintThrough(['-o', 'linked/token.json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(readFileSync(join(real, 'token.json'), 'utf8')).type).toBe('authorized_user');
    expect(statSync(join(real, 'token.json')).mode & 0o777).toBe(0o600);
  });
});

/** The system's temporary folder the child sees (TMPDIR), where the last copy of the token goes. */
function childTmp(): string {
  const dir = join(h.workspace.dir, 'system-tmp');
  mkdirSync(dir, { recursive: true });
  return dir;
}

async function refreshes(refreshToken: string): Promise<boolean> {
  const { clientId, clientSecret } = h.emulator.defaultClient;
  const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId, client_secret: clientSecret });
  return (await fetch(`${h.emulator.origin}/token`, { method: 'POST', body })).ok;
}

/**
 * The token was kept, not lost: the output's folder failed, and so did beside it, so it is in a new
 * private folder (0700) under the temporary folder, as a new 0600 file, named on stderr, and live.
 */
async function expectKeptInTemporaryFolder(result: { stderr: string }, tmp: string, name: string): Promise<string> {
  const folders = readdirSync(tmp).filter((entry) => entry.startsWith('gmail-token-rescued-'));
  expect(folders).toHaveLength(1);
  const folder = join(tmp, folders[0] as string);
  expect(statSync(folder).mode & 0o777).toBe(0o700);
  expect(readdirSync(folder)).toEqual([name]);
  const file = join(folder, name);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(result.stderr).toContain(`it was written to ${file} (mode 0600) in the temporary folder, which the system empties after a while (macOS after days unused, Windows' Storage Sense): move it now.`);
  expect(result.stderr).not.toMatch(/run again|so it is lost/);
  const text = readFileSync(file, 'utf8');
  const refreshToken = name === '.env' ? (/REFRESH_TOKEN=(\S+)/.exec(text)?.[1] ?? '') : (JSON.parse(text) as { refresh_token: string }).refresh_token;
  expect(result.stderr).not.toContain(refreshToken);
  expect(await refreshes(refreshToken)).toBe(true);
  rmSync(folder, { recursive: true });
  return refreshToken;
}

describe('failures while writing, after consent (exit 1, the previous file intact, no partial file, the token kept)', () => {
  it.skipIf(!CAN_MOUNT)(mounting('a disk that fills up (16 KB tmpfs)'), async () => {
    const disk = join(h.workspace.dir, 'disk');
    mountTmpfs(disk, '16k');
    writeFileSync(join(disk, 'token.json'), 'previous token.json\n');
    const dotenv = '# kept\nGMAIL_API_REFRESH_TOKEN=previous\n';
    writeFileSync(join(disk, '.env'), dotenv);
    fill(disk);
    const before = readdirSync(disk).sort();

    const tmp = childTmp();
    for (const [args, name] of [[['--force', '-o', 'disk/token.json'], 'token.json'], [['-f', 'env', '-o', 'disk/.env'], '.env']] as const) {
      const result = await mintThrough([...args], undefined, { TMPDIR: tmp });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/Could not write .*disk\/(token\.json|\.env) \(ENOSPC: the disk is full\); nothing was changed\./);
      expect(result.stderr).toMatch(/could not be kept beside the output either: .*ENOSPC/);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      await expectKeptInTemporaryFolder(result, tmp, name);
    }
    expect(readFileSync(join(disk, 'token.json'), 'utf8')).toBe('previous token.json\n');
    expect(readFileSync(join(disk, '.env'), 'utf8')).toBe(dotenv);
    expect(readdirSync(disk).sort()).toEqual(before);
    expect(leftovers(disk)).toEqual([]);
  });

  it.skipIf(!CAN_MOUNT)(mounting('a folder that turns read-only while consent is pending'), async () => {
    const out = join(h.workspace.dir, 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'token.json'), 'previous token.json\n');
    const tmp = childTmp();
    const result = await mintThrough(['--force', '-o', 'out/token.json'], () => makeReadOnly(out), { TMPDIR: tmp });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Could not write .*out\/token\.json \(EROFS: the file system is read-only\); nothing was changed/);
    expect(readFileSync(join(out, 'token.json'), 'utf8')).toBe('previous token.json\n');
    expect(readdirSync(out)).toEqual(['token.json']);
    await expectKeptInTemporaryFolder(result, tmp, 'token.json');
  });

  it('a folder removed while consent is pending', async () => {
    const out = join(h.workspace.dir, 'out');
    mkdirSync(out);
    const tmp = childTmp();
    const result = await mintThrough(['-o', 'out/token.json'], () => rmSync(out, { recursive: true }), { TMPDIR: tmp });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Could not write .*out\/token\.json \(ENOENT: the folder is gone\); nothing was changed/);
    expect(existsSync(out)).toBe(false);
    expect(leftovers(h.workspace.dir)).toEqual([]);
    await expectKeptInTemporaryFolder(result, tmp, 'token.json');
  });

  it('a folder removed while consent is pending, and no temporary folder either: the token is revoked, not left live', async () => {
    const out = join(h.workspace.dir, 'out');
    mkdirSync(out);
    const tmp = join(h.workspace.dir, 'no-such-tmp');
    const result = await mintThrough(['-o', 'out/token.json'], () => rmSync(out, { recursive: true }), { TMPDIR: tmp });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Nor in .*no-such-tmp: .*Revoking it, so no live token is left behind/);
    expect(result.stderr).toMatch(/it was revoked at Google, so no live token was left behind\. Run mint again\./);
    expect(result.stderr).not.toMatch(/so it is lost/);
    const revoked = h.emulator.received.find((request) => request.path === '/revoke');
    const token = revoked?.form.token ?? revoked?.query.token ?? '';
    expect(token).toMatch(/^1\/\//);
    expect(await refreshes(token)).toBe(false);
    expect(existsSync(tmp)).toBe(false);
  });
});
