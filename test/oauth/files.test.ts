import { linkSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { FlowError, UsageError } from '../../src/core/errors.js';
import { code, ownerToKeep, planOutput, why, writeFailed, writeFileAtomic } from '../../src/oauth/files.js';
import { snapshot } from '../../src/oauth/snapshot.js';
import { useEmulatorHarness } from '../helpers/harness.js';

const h = useEmulatorHarness();

describe('output files', () => {
  let dir: string;
  beforeEach(() => {
    dir = h.workspace.dir;
  });

  const noTemporaries = () => expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);

  it('plans create, update, overwrite only with --force or a yes, and keeps an existing file otherwise', async () => {
    const path = join(dir, 'token.json');
    expect(await planOutput(path, { force: false, update: false })).toBe('create');
    writeFileSync(path, 'precious');
    expect(await planOutput(path, { force: false, update: true })).toBe('update');
    expect(await planOutput(path, { force: true, update: false })).toBe('overwrite');
    expect(await planOutput(path, { force: false, update: false, confirmOverwrite: async () => true })).toBe('overwrite');
    const kept = planOutput(path, { force: false, update: false, confirmOverwrite: async () => false });
    await expect(kept).rejects.toBeInstanceOf(UsageError);
    await expect(kept).rejects.toThrow(`${path} already exists and was kept. Pass --force to overwrite it, or choose another --out.`);
    await expect(planOutput(path, { force: false, update: false })).rejects.toThrow(/already exists and was kept/);
    expect(readFileSync(path, 'utf8')).toBe('precious');
    noTemporaries();
  });

  it('refuses a symbolic link, even with --force or as a .env update, and a folder', async () => {
    writeFileSync(join(dir, 'target'), 'elsewhere');
    const link = join(dir, 'token.json');
    symlinkSync(join(dir, 'target'), link);
    for (const options of [{ force: true, update: false }, { force: false, update: true }]) {
      const refused = planOutput(link, options);
      await expect(refused).rejects.toBeInstanceOf(UsageError);
      await expect(refused).rejects.toThrow(`${link} is a symbolic link; gmail-token does not write through links.`);
    }
    mkdirSync(join(dir, 'folder'));
    await expect(planOutput(join(dir, 'folder'), { force: true, update: false })).rejects.toThrow(/is a folder\. Give a file name with --out\./);
    await expect(planOutput(join(dir, 'no', 'token.json'), { force: true, update: false })).rejects.toThrow(/the folder .* does not exist/);
    expect(readFileSync(join(dir, 'target'), 'utf8')).toBe('elsewhere');
  });

  it('writes a new file 0600', async () => {
    const path = join(dir, 'token.json');
    await writeFileAtomic(path, 'secret');
    expect(readFileSync(path, 'utf8')).toBe('secret');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    noTemporaries();
  });

  it('replaces a file by rename: the old file is never written in place, and the new one is 0600', async () => {
    const path = join(dir, 'token.json');
    writeFileSync(path, 'old', { mode: 0o644 });
    const before = join(dir, 'old-inode');
    linkSync(path, before);
    await writeFileAtomic(path, 'new');
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(readFileSync(before, 'utf8')).toBe('old');
    expect(statSync(path).ino).not.toBe(statSync(before).ino);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    noTemporaries();
  });

  it('when the rename fails, removes its temporary file, changes nothing and says so', async () => {
    const path = join(dir, 'token.json');
    mkdirSync(path);
    writeFileSync(join(path, 'inside'), 'kept');
    const failure = writeFileAtomic(path, 'secret-value');
    await expect(failure).rejects.toBeInstanceOf(FlowError);
    await expect(failure).rejects.toThrow(new RegExp(`^Could not write ${path} \\(E[A-Z]+\\); nothing was changed\\. Choose another --out, then run again\\.$`));
    await expect(failure).rejects.not.toThrow(/secret-value/);
    expect(readFileSync(join(path, 'inside'), 'utf8')).toBe('kept');
    noTemporaries();
  });

  it('reads a .env to update without following a symbolic link planted there', async () => {
    writeFileSync(join(dir, 'other'), 'OTHER_SECRET=1\n');
    symlinkSync(join(dir, 'other'), join(dir, '.env'));
    const refused = snapshot(join(dir, '.env'));
    await expect(refused).rejects.toBeInstanceOf(FlowError);
    await expect(refused).rejects.toThrow(/\(ELOOP: it is now a symbolic link\); nothing was changed\./);
    writeFileSync(join(dir, 'real.env'), 'A=1\n');
    expect((await snapshot(join(dir, 'real.env')))?.bytes.toString('utf8')).toBe('A=1\n');
  });
});

describe('write failures in words', () => {
  it('names each code people meet, with space to free only when the disk is full or over quota', () => {
    const said = (failure: string) => writeFailed('token.json', Object.assign(new Error(failure), { code: failure })).message;
    expect(said('ENOSPC')).toBe('Could not write token.json (ENOSPC: the disk is full); nothing was changed. Free some space or choose another --out, then run again.');
    expect(said('EDQUOT')).toBe('Could not write token.json (EDQUOT: over the disk quota); nothing was changed. Free some space or choose another --out, then run again.');
    expect(said('EROFS')).toBe('Could not write token.json (EROFS: the file system is read-only); nothing was changed. Choose another --out, then run again.');
    expect(said('EACCES')).toBe('Could not write token.json (EACCES: permission denied); nothing was changed. Choose another --out, then run again.');
    expect(said('EPERM')).toBe('Could not write token.json (EPERM: permission denied); nothing was changed. Choose another --out, then run again.');
    expect(said('ELOOP')).toBe('Could not write token.json (ELOOP: it is now a symbolic link); nothing was changed. Choose another --out, then run again.');
    expect(said('EIO')).toBe('Could not write token.json (EIO); nothing was changed. Choose another --out, then run again.');
  });

  it('an error without a code, or no error at all, is "error"', () => {
    expect(code(undefined)).toBeUndefined();
    expect(why(undefined)).toBe('error');
    expect(why(new Error('odd'))).toBe('error');
  });
});

describe('ownerToKeep', () => {
  it.runIf(process.geteuid?.() === 0)("as root, gives a replaced file back to its owner, and root's own file to nobody else", () => {
    expect(ownerToKeep({ uid: 1000, gid: 1000 })).toEqual({ uid: 1000, gid: 1000 });
    expect(ownerToKeep({ uid: 0, gid: 1000 })).toEqual({ uid: 0, gid: 1000 });
    expect(ownerToKeep({ uid: 1000, gid: 0 })).toEqual({ uid: 1000, gid: 0 });
    expect(ownerToKeep({ uid: 0, gid: 0 })).toBeUndefined();
  });

  it.runIf(process.geteuid?.() !== 0)('as anyone else, gives nothing away', () => {
    expect(ownerToKeep({ uid: 1000, gid: 1000 })).toBeUndefined();
  });
});
