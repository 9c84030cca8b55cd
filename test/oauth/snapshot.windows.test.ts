import { execFileSync } from 'node:child_process';
import { renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { snapshot } from '../../src/oauth/snapshot.js';
import { makeWorkspace } from '../helpers/workspace.js';

/**
 * The write-time re-read on Windows (issue 18.5), injected on Linux: Node leaves O_NOFOLLOW and
 * O_NONBLOCK undefined there, so `O_RDONLY | O_NOFOLLOW | O_NONBLOCK` silently became O_RDONLY and
 * followed a link (or junction) planted during consent, or blocked on a FIFO-like target. exFAT and
 * SMB report inode 0, so "same inode" proves nothing there.
 */

const seams = vi.hoisted(() => ({
  beforeOpen: undefined as ((path: string) => void) | undefined,
  /** exFAT/SMB: every stat says inode 0. */
  inodeZero: false,
}));

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const constants = { ...real.constants, O_NOFOLLOW: undefined, O_NONBLOCK: undefined } as unknown as typeof real.constants;
  return { ...real, default: { ...real, constants }, constants };
});

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const zeroed = <T extends { ino: number }>(stats: T): T => (seams.inodeZero ? Object.assign(stats, { ino: 0 }) : stats);
  const lstat = (async (path: string) => zeroed(await real.lstat(path))) as typeof real.lstat;
  const open: typeof real.open = async (path, ...rest) => {
    const hook = seams.beforeOpen;
    seams.beforeOpen = undefined;
    hook?.(String(path));
    const handle = await real.open(path, ...rest);
    const stat = handle.stat.bind(handle);
    handle.stat = (async () => zeroed(await stat())) as typeof handle.stat;
    return handle;
  };
  return { ...real, default: { ...real, lstat, open }, lstat, open };
});

let workspace: ReturnType<typeof makeWorkspace>;
beforeEach(() => {
  workspace = makeWorkspace();
  seams.inodeZero = false;
});
afterEach(() => {
  seams.beforeOpen = undefined;
  workspace.cleanup();
});

describe('the re-read without O_NOFOLLOW and O_NONBLOCK', () => {
  it('refuses a symbolic link at the path without reading what it points to', async () => {
    const secret = workspace.file('elsewhere', 'someone else\'s secret');
    const path = join(workspace.dir, 'token.json');
    symlinkSync(secret, path);
    await expect(snapshot(path)).rejects.toThrow(`Could not read ${path} to update it (ELOOP: it is now a symbolic link); nothing was changed.`);
  });

  it('refuses a FIFO without opening it, so nothing blocks', async () => {
    const path = join(workspace.dir, '.env');
    execFileSync('mkfifo', [path]);
    await expect(snapshot(path)).rejects.toThrow(`${path} is no longer a regular file (a FIFO, a device or a folder appeared there), so it was left as it is.`);
  });

  it('refuses a file put in place between the look at the name and the open', async () => {
    const path = workspace.file('token.json', 'ours');
    seams.beforeOpen = () => {
      writeFileSync(join(workspace.dir, 'other'), 'theirs');
      renameSync(join(workspace.dir, 'other'), path);
    };
    await expect(snapshot(path)).rejects.toThrow(`${path} was replaced as it was opened (by a link or another file), so it was left as it is.`);
  });

  it('reads a regular file as it is', async () => {
    const path = workspace.file('token.json', 'ours');
    expect((await snapshot(path))?.bytes.toString()).toBe('ours');
  });
});

describe('where every inode is 0 (exFAT, SMB)', () => {
  beforeEach(() => {
    seams.inodeZero = true;
  });

  it('still reads an unchanged file', async () => {
    const path = workspace.file('token.json', 'ours');
    expect((await snapshot(path))?.bytes.toString()).toBe('ours');
  });

  it('tells a file put in its place by size and creation time', async () => {
    const path = workspace.file('token.json', 'ours');
    seams.beforeOpen = () => {
      writeFileSync(join(workspace.dir, 'other'), 'theirs, longer');
      renameSync(join(workspace.dir, 'other'), path);
    };
    await expect(snapshot(path)).rejects.toThrow(/was replaced as it was opened/);
  });
});
