import { describe, expect, it } from 'vitest';
import { sameFile, sameFileIdentity, type FileSnapshot } from '../../src/oauth/snapshot.js';

const file = (over: Partial<FileSnapshot> = {}): FileSnapshot => ({
  bytes: Buffer.from('A=1\n'),
  dev: 1,
  ino: 2,
  mode: 0o600,
  uid: 0,
  gid: 0,
  mtimeMs: 0,
  ...over,
});

describe('sameFile', () => {
  it('is the same file only with the same device, inode and bytes', () => {
    expect(sameFile(file(), file({ mode: 0o644, mtimeMs: 5 }))).toBe(true);
    expect(sameFile(file(), file({ dev: 9 }))).toBe(false);
    expect(sameFile(file(), file({ ino: 9 }))).toBe(false);
    expect(sameFile(file(), file({ bytes: Buffer.from('A=2\n') }))).toBe(false);
  });

  it('nothing there matches only nothing there', () => {
    expect(sameFile(undefined, undefined)).toBe(true);
    expect(sameFile(file(), undefined)).toBe(false);
    expect(sameFile(undefined, file())).toBe(false);
  });
});

describe('sameFileIdentity', () => {
  it('tells files apart by device and inode, whatever their bytes', () => {
    expect(sameFileIdentity(file(), file({ bytes: Buffer.from('other\n'), mtimeMs: 9 }))).toBe(true);
    expect(sameFileIdentity(file(), file({ ino: 3 }))).toBe(false);
    expect(sameFileIdentity(file(), file({ dev: 3 }))).toBe(false);
  });

  // exFAT and SMB report inode 0 for every file: two runs' locks there must not pass for one file,
  // or a run clearing a crashed run's lock would put back nothing and remove a live run's lock.
  it('with inode 0 (exFAT, SMB), by bytes and modification time', () => {
    const lock = (pid: string, mtimeMs: number) => file({ ino: 0, bytes: Buffer.from(`${pid}\n`), mtimeMs });
    expect(sameFileIdentity(lock('41', 1000), lock('41', 1000))).toBe(true);
    expect(sameFileIdentity(lock('41', 1000), lock('42', 1000))).toBe(false);
    expect(sameFileIdentity(lock('41', 1000), lock('41', 2000))).toBe(false);
    expect(sameFile(lock('41', 1000), lock('41', 2000))).toBe(false);
  });

  it('falls back to bytes and modification time when either look saw inode 0', () => {
    const seen = (ino: number, mtimeMs = 1000) => file({ ino, mtimeMs });
    expect(sameFileIdentity(seen(0), seen(2))).toBe(true);
    expect(sameFileIdentity(seen(2), seen(0))).toBe(true);
    expect(sameFileIdentity(seen(2), seen(0, 2000))).toBe(false);
  });
});
