import { constants } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import { FlowError } from '../core/errors.js';
import { code, why } from './files.js';
import { sameIdentity } from './temporary.js';

/** A file as read at one moment: its bytes and which file it was. */
export interface FileSnapshot {
  bytes: Buffer;
  dev: number;
  ino: number;
  /** Its permission bits (0o600, say). */
  mode: number;
  uid: number;
  gid: number;
  mtimeMs: number;
}

function notRegular(path: string): FlowError {
  return new FlowError(`${path} is no longer a regular file (a FIFO, a device or a folder appeared there), so it was left as it is.`);
}

/**
 * The file at `path` now, read without following a symbolic link (one planted at that path must
 * not pull another file's contents into ours), or undefined when nothing is there. O_NOFOLLOW and
 * O_NONBLOCK do not exist on Windows (Node leaves them undefined), so the check that holds
 * everywhere is a look at the name first (a link, a FIFO or a device is refused before it is
 * opened, so a FIFO cannot block mint for ever after Google issued the token) and a comparison of
 * what was opened with that look (same file, a regular one) before a byte is read.
 */
export async function snapshot(path: string): Promise<FileSnapshot | undefined> {
  let handle;
  try {
    const named = await lstat(path);
    if (named.isSymbolicLink()) throw Object.assign(new Error(`ELOOP: ${path}`), { code: 'ELOOP' });
    if (!named.isFile()) throw notRegular(path);
    handle = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
    const stats = await handle.stat();
    if (!stats.isFile()) throw notRegular(path);
    if (!sameIdentity(stats, named)) throw new FlowError(`${path} was replaced as it was opened (by a link or another file), so it was left as it is.`);
    return { bytes: await handle.readFile(), dev: stats.dev, ino: stats.ino, mode: stats.mode & 0o7777, uid: stats.uid, gid: stats.gid, mtimeMs: stats.mtimeMs };
  } catch (error) {
    if (code(error) === 'ENOENT') return undefined;
    if (error instanceof FlowError) throw error;
    throw new FlowError(`Could not read ${path} to update it (${why(error)}); nothing was changed.`);
  } finally {
    await handle?.close();
  }
}

/**
 * Whether two snapshots saw one file. exFAT and SMB shares report inode 0 (see sameIdentity):
 * there the bytes and the modification time are what tell two files apart (another run's lock
 * holds another pid, or was written at another moment).
 */
export function sameFileIdentity(a: FileSnapshot, b: FileSnapshot): boolean {
  if (a.ino === 0 || b.ino === 0) return a.mtimeMs === b.mtimeMs && a.bytes.equals(b.bytes);
  return a.dev === b.dev && a.ino === b.ino;
}

/** The same file with the same bytes, or nothing at both looks. */
export function sameFile(a: FileSnapshot | undefined, b: FileSnapshot | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return sameFileIdentity(a, b) && a.bytes.equals(b.bytes);
}
