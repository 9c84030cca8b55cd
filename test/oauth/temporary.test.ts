import { mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FlowError } from '../../src/core/errors.js';
import { WriteFailedError } from '../../src/oauth/files.js';
import { checkPlaced, checkStillOurs, discardTemporary, renameTemporary, sameIdentity, writeTemporary } from '../../src/oauth/temporary.js';
import { makeWorkspace } from '../helpers/workspace.js';

let workspace: ReturnType<typeof makeWorkspace>;
beforeEach(() => {
  workspace = makeWorkspace();
});
afterEach(() => workspace.cleanup());

describe('sameIdentity', () => {
  const look = (over: Partial<{ dev: number; ino: number; size: number; birthtimeMs: number }> = {}) => ({ dev: 1, ino: 2, size: 10, birthtimeMs: 500, ...over });

  it('tells files apart by device and inode, whatever their size and creation time', () => {
    expect(sameIdentity(look(), look({ size: 99, birthtimeMs: 9 }))).toBe(true);
    expect(sameIdentity(look(), look({ ino: 3 }))).toBe(false);
    expect(sameIdentity(look(), look({ dev: 3 }))).toBe(false);
  });

  // exFAT and SMB report inode 0 for every file, so two different files there share dev and ino.
  it('with inode 0 at either look, by size and creation time, both of them', () => {
    for (const [a, b] of [
      [0, 0],
      [0, 2],
      [2, 0],
    ]) {
      expect(sameIdentity(look({ ino: a }), look({ ino: b }))).toBe(true);
      expect(sameIdentity(look({ ino: a }), look({ ino: b, size: 11 }))).toBe(false);
      expect(sameIdentity(look({ ino: a }), look({ ino: b, birthtimeMs: 501 }))).toBe(false);
    }
  });
});

describe('discardTemporary', () => {
  // A folder by the temporary file's name cannot be unlinked: the secret's copy "stays".
  const stuckTemporary = () => {
    const path = join(workspace.dir, '.token.json.abc.tmp');
    mkdirSync(join(path, 'inside'), { recursive: true });
    return path;
  };

  it('returns the failure as it was when the temporary file is gone', async () => {
    const failure = new FlowError('Could not write token.json.');
    expect(await discardTemporary(failure, join(workspace.dir, 'never-written.tmp'), 'linux')).toBe(failure);
  });

  it('names a temporary file that stays after the failure, keeping its kind and advice', async () => {
    const path = stuckTemporary();
    const flow = await discardTemporary(new FlowError('Could not write token.json.'), path, 'linux');
    expect(flow).toBeInstanceOf(FlowError);
    expect((flow as Error).message).toMatch(new RegExp(`^Could not write token\\.json\\. The temporary file ${path.replace(/\./g, '\\.')} holds a secret and could not be removed \\(.+\\): delete it\\.$`));

    const write = await discardTemporary(new WriteFailedError('Could not write token.json.', 'Free some space.'), path, 'linux');
    expect(write).toBeInstanceOf(WriteFailedError);
    expect((write as WriteFailedError).fact).toContain(`The temporary file ${path} holds a secret`);
    expect((write as WriteFailedError).advice).toBe('Free some space.');
  });

  it('leaves an error that is not one of its own untouched', async () => {
    const failure = new TypeError('bug');
    expect(await discardTemporary(failure, stuckTemporary(), 'linux')).toBe(failure);
  });
});

describe('checking the temporary file around its rename', () => {
  const target = () => join(workspace.dir, 'token.json');

  it('passes while the name holds the file written, and once the target holds it', async () => {
    const temporary = await writeTemporary(target(), 'secret\n', 'linux');
    await expect(checkStillOurs(temporary, target())).resolves.toBeUndefined();
    await renameTemporary(temporary, target(), 'linux');
    await expect(checkPlaced(temporary, target())).resolves.toBeUndefined();
    expect(readFileSync(target(), 'utf8')).toBe('secret\n');
  });

  it('refuses a temporary name that now holds another file, a link or nothing', async () => {
    const temporary = await writeTemporary(target(), 'secret\n', 'linux');
    const refused = async () => {
      const error = await checkStillOurs(temporary, target()).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(WriteFailedError);
      expect((error as WriteFailedError).fact).toBe(
        `Could not write ${target()}: the temporary file ${temporary.path} was replaced by something else before it was moved into place, so nothing was changed (someone else who can write in ${workspace.dir}?).`,
      );
      expect((error as WriteFailedError).advice).toBe('Choose another --out in a folder only you can write to, then run again.');
    };
    // Written beside it first, so the file put in its place cannot reuse the freed inode.
    renameSync(workspace.file('other', 'secret\n'), temporary.path);
    await refused();
    rmSync(temporary.path);
    symlinkSync(workspace.file('elsewhere', 'x'), temporary.path);
    await refused();
    rmSync(temporary.path);
    await refused();
  });

  it('refuses a target that holds another file, a link or nothing after the move', async () => {
    const temporary = await writeTemporary(target(), 'secret\n', 'linux');
    const refused = () => expect(checkPlaced(temporary, target())).rejects.toThrow(`as it was moved into place, so what is at ${target()} now is not what gmail-token wrote`);
    await refused();
    writeFileSync(target(), 'secret\n');
    await refused();
    rmSync(target());
    symlinkSync(temporary.path, target());
    await refused();
  });
});
