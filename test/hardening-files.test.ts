import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { followConsent } from './helpers/browser.js';
import { runCli, runCliToEnd } from './helpers/cli.js';
import { useEmulatorHarness } from './helpers/harness.js';

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
  const result = await runCliToEnd(['mint', '--no-open', '--timeout', '3', ...args], { cwd: h.workspace.dir, env: env() });
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(message);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).not.toContain('/o/oauth2/');
  expect(h.emulator.received).toEqual([]);
  return result;
}

/** Runs mint through consent; the file system can be changed between planning and writing. */
async function mintThrough(args: string[], duringConsent: () => void = () => undefined) {
  const run = runCli(['mint', '--no-open', ...args], { cwd: h.workspace.dir, env: env() });
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
    const [rescued] = readdirSync(h.workspace.dir).filter((name) => name.startsWith('token.json.rescued-'));
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

describe('failures while writing, after consent (exit 1, the previous file intact, no partial file)', () => {
  it.skipIf(!CAN_MOUNT)(mounting('a disk that fills up (16 KB tmpfs)'), async () => {
    const disk = join(h.workspace.dir, 'disk');
    mountTmpfs(disk, '16k');
    writeFileSync(join(disk, 'token.json'), 'previous token.json\n');
    const dotenv = '# kept\nGMAIL_API_REFRESH_TOKEN=previous\n';
    writeFileSync(join(disk, '.env'), dotenv);
    fill(disk);
    const before = readdirSync(disk).sort();

    for (const args of [['--force', '-o', 'disk/token.json'], ['-f', 'env', '-o', 'disk/.env']]) {
      const result = await mintThrough(args);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/Could not write .*disk\/(token\.json|\.env) \(ENOSPC: the disk is full\); nothing was changed\. Free some space or choose another --out, then run again/);
      expect(result.stderr).not.toMatch(/\n\s+at /);
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
    const result = await mintThrough(['--force', '-o', 'out/token.json'], () => makeReadOnly(out));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Could not write .*out\/token\.json \(EROFS: the file system is read-only\); nothing was changed/);
    expect(readFileSync(join(out, 'token.json'), 'utf8')).toBe('previous token.json\n');
    expect(readdirSync(out)).toEqual(['token.json']);
  });

  it('a folder removed while consent is pending', async () => {
    const out = join(h.workspace.dir, 'out');
    mkdirSync(out);
    const result = await mintThrough(['-o', 'out/token.json'], () => rmSync(out, { recursive: true }));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Could not write .*out\/token\.json \(ENOENT: the folder is gone\); nothing was changed/);
    expect(existsSync(out)).toBe(false);
    expect(leftovers(h.workspace.dir)).toEqual([]);
  });
});
