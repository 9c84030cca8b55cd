import { mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { planOutput, writeFileAtomic } from '../../src/oauth/files.js';
import { OutputBusyError, withOutputLock } from '../../src/oauth/output-lock.js';
import { createNew, updateAtWriteTime } from '../../src/oauth/write-time.js';
import { makeWorkspace } from '../helpers/workspace.js';

/**
 * macOS's traps, injected on Linux (issue 18, "keep it so"): /tmp and /var are symlinks to
 * /private/…, and only the last path component is checked, so an output under them is written
 * where asked; the default APFS volume is case-insensitive, so Token.json and token.json are one
 * file and must share one lock; EPERM there means what it says (no Windows retry).
 */

const seams = vi.hoisted(() => ({ caseInsensitive: false, renameFails: undefined as string | undefined, renames: 0 }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const { basename: base, dirname: dir, join: joined } = await import('node:path');
  /** A case-insensitive volume: every name in a folder is one file whatever its case. */
  const folded = (path: unknown) => (seams.caseInsensitive ? joined(dir(String(path)), base(String(path)).toLowerCase()) : String(path));
  const open = ((path: string, ...rest: []) => real.open(folded(path), ...rest)) as typeof real.open;
  const lstat = ((path: string, ...rest: []) => real.lstat(folded(path), ...rest)) as typeof real.lstat;
  const unlink = ((path: string) => real.unlink(folded(path))) as typeof real.unlink;
  const writeFile = ((path: string, ...rest: [string]) => real.writeFile(folded(path), ...rest)) as typeof real.writeFile;
  const link = ((from: string, to: string) => real.link(folded(from), folded(to))) as typeof real.link;
  const rename = (async (from: string, to: string) => {
    if (seams.renameFails !== undefined && String(from).endsWith('.tmp')) {
      seams.renames++;
      throw Object.assign(new Error(`${seams.renameFails}: rename`), { code: seams.renameFails });
    }
    return real.rename(folded(from), folded(to));
  }) as typeof real.rename;
  const replaced = { open, lstat, unlink, writeFile, link, rename };
  return { ...real, ...replaced, default: { ...real, ...replaced } };
});

let workspace: ReturnType<typeof makeWorkspace>;
beforeEach(() => {
  workspace = makeWorkspace();
  Object.assign(seams, { caseInsensitive: false, renameFails: undefined, renames: 0 });
});
afterEach(() => workspace.cleanup());

describe('an output under a folder that is a symlink (/tmp -> /private/tmp)', () => {
  it('is planned, created, updated and replaced where asked, the lock beside it', async () => {
    const real = join(workspace.dir, 'private', 'tmp');
    mkdirSync(real, { recursive: true });
    const tmp = join(workspace.dir, 'tmp');
    symlinkSync(real, tmp);
    const path = join(tmp, 'token.json');

    expect(await planOutput(path, { force: false, update: false })).toBe('create');
    await createNew(path, 'one', 'darwin');
    expect(await updateAtWriteTime(path, () => 'two', 2_000, 'darwin')).toBe(true);
    await writeFileAtomic(path, 'three', 'darwin');

    expect(readFileSync(join(real, 'token.json'), 'utf8')).toBe('three');
    expect(readdirSync(real)).toEqual(['token.json']);
  });
});

describe('a case-insensitive volume', () => {
  it('Token.json and token.json share one lock: a second writer waits for the first', async () => {
    seams.caseInsensitive = true;
    let release = () => {};
    let firstIn = () => {};
    const firstHolds = new Promise<void>((resolve) => (firstIn = resolve));
    const first = withOutputLock(join(workspace.dir, 'Token.json'), () => {
      firstIn();
      return new Promise<void>((resolve) => (release = resolve));
    });
    await firstHolds;
    const second = await withOutputLock(join(workspace.dir, 'token.json'), async () => 'taken', 200).catch((error: Error) => error);
    release();
    await first;
    expect(second).toBeInstanceOf(OutputBusyError);
    expect(readdirSync(workspace.dir)).toEqual([]);
  });
});

describe('EPERM on macOS', () => {
  it('is permission denied at once, not retried as on Windows', async () => {
    const path = workspace.file('token.json', 'old');
    seams.renameFails = 'EPERM';
    const error = (await writeFileAtomic(path, 'new', 'darwin').catch((caught: Error) => caught)) as Error;
    expect(error.message).toBe(`Could not write ${path} (EPERM: permission denied); nothing was changed. Choose another --out, then run again.`);
    expect(seams.renames).toBe(1);
    expect(readFileSync(path, 'utf8')).toBe('old');
  });
});
