import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OutputBusyError, withOutputLock } from '../../src/oauth/output-lock.js';
import { forgetRevokedAccess } from '../../src/oauth/token-cache.js';
import { makeWorkspace } from '../helpers/workspace.js';

/**
 * A lock left by a run that is gone but that cannot be moved aside (issue 19.2) made the tool spin
 * at full CPU for ever: the failed rename was ignored and the wait had no deadline and no sleep.
 * Every wait now ends at its patience with "busy", and mint keeps the token, access-token warns.
 */

const fsSwitch = vi.hoisted(() => ({
  renameFails: undefined as string | undefined,
  renames: 0,
  /** What another run does in the instant before this one moves a lock aside. */
  beforeAside: undefined as (() => void) | undefined,
  afterAside: undefined as (() => void) | undefined,
}));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const rename: typeof real.rename = async (from, to) => {
    const failure = fsSwitch.renameFails;
    if (failure !== undefined && String(to).endsWith('.stale')) {
      fsSwitch.renames++;
      throw Object.assign(new Error(`${failure}: rename`), { code: failure });
    }
    if (!String(to).endsWith('.stale')) return real.rename(from, to);
    fsSwitch.beforeAside?.();
    await real.rename(from, to);
    fsSwitch.afterAside?.();
  };
  return { ...real, default: { ...real, rename }, rename };
});

const GONE = '999999999\n';
let workspace: ReturnType<typeof makeWorkspace>;
beforeEach(() => {
  workspace = makeWorkspace();
  fsSwitch.renames = 0;
});
afterEach(() => {
  fsSwitch.renameFails = undefined;
  fsSwitch.beforeAside = undefined;
  fsSwitch.afterAside = undefined;
  workspace.cleanup();
});

describe('an abandoned lock that cannot be moved aside', () => {
  it('ends the wait at its patience, sleeping between tries, and says why the output is busy', async () => {
    fsSwitch.renameFails = 'EPERM';
    const path = join(workspace.dir, 'token.json');
    const lock = join(workspace.dir, '.token.json.gmail-token.lock');
    writeFileSync(lock, GONE);
    let worked = false;
    const started = Date.now();
    const error = await withOutputLock(path, async () => (worked = true), 1_000).catch((caught: Error) => caught);
    const took = Date.now() - started;

    expect(error).toBeInstanceOf(OutputBusyError);
    expect((error as Error).message).toBe(
      `The output ${path} is busy: the lock ${lock} was left by a run that is gone, and gmail-token could not remove it (EPERM: permission denied); nothing was changed. Remove the lock (its owner or root can), then run again.`,
    );
    expect(worked).toBe(false);
    expect(took).toBeGreaterThanOrEqual(1_000);
    expect(took).toBeLessThan(2_000);
    // 10 ms doubling to 200 ms: about a dozen tries in a second, not thousands.
    expect(fsSwitch.renames).toBeLessThan(20);
    expect(readFileSync(lock, 'utf8')).toBe(GONE);
  }, 10_000);

  it("revoke's clean-up waits its 2 s and says the file was left with the lock named", async () => {
    fsSwitch.renameFails = 'EACCES';
    const path = workspace.file('token.json', '{"refresh_token":"1//r","token":"ya29.a"}');
    writeFileSync(join(workspace.dir, '.token.json.gmail-token.lock'), GONE);
    const said = await forgetRevokedAccess({ source: path, file: path, refreshToken: '1//r' });
    expect(said?.warning).toBe(true);
    expect(said?.said).toMatch(/still holds the revoked access token: .* The output .*token\.json is busy: the lock .* could not remove it \(EACCES: permission denied\)/);
    expect(readFileSync(path, 'utf8')).toBe('{"refresh_token":"1//r","token":"ya29.a"}');
  }, 10_000);
});

describe('two runs clearing one abandoned lock', () => {
  const lock = () => join(workspace.dir, '.token.json.gmail-token.lock');
  const busyWith = (path: string) => `Another gmail-token run is writing ${path} (lock ${lock()}); nothing was changed. Remove the lock if no such run exists, then run again.`;

  /** Another run, in the instant before this one moves the dead lock aside, replaces it with its own (a new file). */
  const anotherRunTakesTheLock = (pid: string) => {
    fsSwitch.beforeAside = () => {
      fsSwitch.beforeAside = undefined;
      writeFileSync(join(workspace.dir, 'other-run'), pid);
      renameSync(join(workspace.dir, 'other-run'), lock());
    };
  };

  it('puts back the lock the other run took in the meantime, and waits for that run', async () => {
    const path = join(workspace.dir, 'token.json');
    writeFileSync(lock(), GONE);
    const live = `${process.ppid}\n`;
    anotherRunTakesTheLock(live);
    let worked = false;
    const error = await withOutputLock(path, async () => (worked = true), 300).catch((caught: Error) => caught);
    expect((error as Error).message).toBe(busyWith(path));
    expect(worked).toBe(false);
    expect(readFileSync(lock(), 'utf8')).toBe(live);
    expect(readdirSync(workspace.dir)).toEqual(['.token.json.gmail-token.lock']);
  });

  it("never writes over a third run's lock taken while the second's was aside", async () => {
    const path = join(workspace.dir, 'token.json');
    writeFileSync(lock(), GONE);
    const third = `${process.ppid}\n`;
    anotherRunTakesTheLock('1\n');
    fsSwitch.afterAside = () => {
      fsSwitch.afterAside = undefined;
      writeFileSync(lock(), third);
    };
    const error = await withOutputLock(path, async () => 'taken', 300).catch((caught: Error) => caught);
    expect((error as Error).message).toBe(busyWith(path));
    expect(readFileSync(lock(), 'utf8')).toBe(third);
  });

  it('takes a lock already gone when it came to move it (ENOENT) as cleared, not as stuck', async () => {
    fsSwitch.renameFails = 'ENOENT';
    const path = join(workspace.dir, 'token.json');
    writeFileSync(lock(), GONE);
    const error = await withOutputLock(path, async () => 'taken', 200).catch((caught: Error) => caught);
    expect((error as Error).message).toBe(busyWith(path));
  });
});

/** The lock code as one file another user can run: the real rename refusal, no injection. */
const NOBODY = 65534;
const canSwitchUser = process.getuid?.() === 0 && existsSync('/usr/sbin/runuser');
const OUTPUT_LOCK = fileURLToPath(new URL('../../src/oauth/output-lock.ts', import.meta.url));

/**
 * A Node that nobody may run: this one, unless it lives where nobody cannot enter (Node 24 from
 * npm exec sits under /root/.npm), then the one on PATH; the lock code runs the same on either.
 */
function nodeForNobody(): string {
  const runnable = (node: string) => spawnSync('runuser', ['-u', 'nobody', '--', node, '-e', '0']).status === 0;
  return [process.execPath, 'node'].find(runnable) ?? process.execPath;
}

async function asNobody(dir: string, path: string): Promise<{ outcome: string; ms: number }> {
  const script = join(dir, 'lock.mjs');
  await build({
    stdin: {
      contents: `import { withOutputLock } from ${JSON.stringify(OUTPUT_LOCK)};
const started = Date.now();
const done = (outcome) => console.log(JSON.stringify({ outcome, ms: Date.now() - started }));
withOutputLock(process.argv[2], async () => 'taken', 1000).then(done, (error) => done(error.message));`,
      resolveDir: dir,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: script,
    logLevel: 'silent',
  });
  chmodSync(script, 0o644);
  return new Promise((resolve, reject) => {
    // The old code never ended: the timeout turns that into a failure instead of a hung suite.
    execFile('runuser', ['-u', 'nobody', '--', nodeForNobody(), script, path], { timeout: 8_000 }, (error, stdout) => {
      if (error) reject(error);
      else resolve(JSON.parse(stdout) as { outcome: string; ms: number });
    });
  });
}

describe.skipIf(!canSwitchUser)('a lock another user left (needs root and runuser, to run as nobody)', () => {
  beforeEach(() => chmodSync(workspace.dir, 0o755));

  it('in a sticky folder (EPERM): busy after the wait, not a spin for ever', async () => {
    const shared = join(workspace.dir, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    writeFileSync(join(shared, '.token.json.gmail-token.lock'), GONE);
    const { outcome, ms } = await asNobody(workspace.dir, join(shared, 'token.json'));
    expect(outcome).toMatch(/is busy: the lock .* could not remove it \(EPERM: permission denied\)/);
    expect(ms).toBeLessThan(2_000);
  }, 15_000);

  it('in a read-only folder (EACCES): busy after the wait', async () => {
    const app = join(workspace.dir, 'app');
    mkdirSync(app);
    writeFileSync(join(app, '.token.json.gmail-token.lock'), GONE);
    chownSync(app, NOBODY, NOBODY);
    chmodSync(app, 0o555);
    const { outcome } = await asNobody(workspace.dir, join(app, 'token.json'));
    expect(outcome).toMatch(/is busy: the lock .* could not remove it \(EACCES: permission denied\)/);
  }, 15_000);
});
