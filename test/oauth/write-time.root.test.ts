import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { writeFileAtomic } from '../../src/oauth/files.js';
import { updateAtWriteTime } from '../../src/oauth/write-time.js';
import { makeWorkspace } from '../helpers/workspace.js';

/**
 * Root updating a file in a folder another user owns (issue 19.1: `sudo gmail-token access-token`,
 * `mint -o .env`, revoke's clean-up). That user can put a symlink in place of the temporary file
 * between its write and the chown; a chown by name then gave them any file (/etc/shadow). The swap
 * is made by a real second user (nobody, through runuser) at a fixed point, the re-read of the
 * file right before the rename, instead of by timing.
 */

const hook = vi.hoisted(() => ({ onOpen: undefined as ((path: string) => void) | undefined }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof real.open = async (path, ...rest) => {
    hook.onOpen?.(String(path));
    return real.open(path, ...rest);
  };
  return { ...real, default: { ...real, open }, open };
});

const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;
const hasRunuser = asRoot && existsSync('/usr/sbin/runuser') && (() => {
  try {
    return execFileSync('id', ['-u', 'nobody']).toString().trim() === String(NOBODY);
  } catch {
    return false;
  }
})();

/** Runs a shell command as nobody, the other user who owns the folder. */
function asNobody(script: string, ...args: string[]): void {
  execFileSync('runuser', ['-u', 'nobody', '--', 'sh', '-c', script, 'sh', ...args]);
}

let workspace: ReturnType<typeof makeWorkspace>;
let app: string;
let victim: string;
beforeEach(() => {
  workspace = makeWorkspace();
  chmodSync(workspace.dir, 0o755);
  app = join(workspace.dir, 'app');
  mkdirSync(app, { mode: 0o755 });
  chownSync(app, NOBODY, NOBODY);
  victim = join(workspace.dir, 'shadow');
  writeFileSync(victim, 'root:secret\n', { mode: 0o600 });
});
afterEach(() => {
  hook.onOpen = undefined;
  workspace.cleanup();
});

function nobodysFile(name: string, content: string): string {
  const path = join(app, name);
  writeFileSync(path, content, { mode: 0o600 });
  chownSync(path, NOBODY, NOBODY);
  return path;
}

describe.skipIf(!hasRunuser)('root writing in a folder another user owns (needs root, runuser and the nobody user)', () => {
  it('a temporary file swapped for a symlink cannot make root give away the file it points to', async () => {
    const path = nobodysFile('token.json', '{"refresh_token":"1//r"}');
    hook.onOpen = (opened) => {
      const temporary = readdirSync(app).find((name) => name.endsWith('.tmp'));
      if (opened !== path || temporary === undefined) return;
      hook.onOpen = undefined;
      asNobody('rm -f "$1" && ln -s "$2" "$1"', join(app, temporary), victim);
    };

    const outcome = await updateAtWriteTime(path, () => '{"refresh_token":"1//r","token":"ya29.new"}').catch((error: Error) => error);

    expect(statSync(victim).uid).toBe(0);
    expect(statSync(victim).gid).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe('root:secret\n');
    expect(outcome).toBeInstanceOf(Error);
    expect((outcome as Error).message).toMatch(/^Could not write .*token\.json: the temporary file .*\.tmp was replaced by something else before it was moved into place, so nothing was changed/);
    expect(lstatSync(path).isFile()).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe('{"refresh_token":"1//r"}');
  });

  it('an update by root leaves the file with its owner and group', async () => {
    const path = nobodysFile('.env', 'A=1\n');
    expect(await updateAtWriteTime(path, () => 'A=2\n')).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe('A=2\n');
    expect([statSync(path).uid, statSync(path).gid, statSync(path).mode & 0o777]).toEqual([NOBODY, NOBODY, 0o600]);
  });

  it('mint --force by root over another user\'s file keeps its owner and group, as the update does', async () => {
    const path = nobodysFile('token.json', '{"old":true}');
    await writeFileAtomic(path, '{"new":true}');
    expect(readFileSync(path, 'utf8')).toBe('{"new":true}');
    expect([statSync(path).uid, statSync(path).gid, statSync(path).mode & 0o777]).toEqual([NOBODY, NOBODY, 0o600]);
  });

  it('a new file root creates is root\'s, not the folder owner\'s', async () => {
    const path = join(app, 'token.json');
    await writeFileAtomic(path, '{"new":true}');
    expect(statSync(path).uid).toBe(0);
  });
});
