import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { lstat, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { FlowError } from '../core/errors.js';
import { code, why, writeFailed, WriteFailedError } from './files.js';
import { retryWhileHeld } from './held-retry.js';

/** A temporary file as written: which file it is, so what is renamed can be checked to be it. */
export interface Temporary {
  path: string;
  dev: number;
  ino: number;
  size: number;
  birthtimeMs: number;
}

/** Who a file written by root must belong to: the owner of the file it replaces. */
export interface Owner {
  uid: number;
  gid: number;
}

export function temporaryFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Whether two looks at a path saw the same file. exFAT and SMB shares report inode 0 (Node on
 * Windows too, for them): then size and creation time are all there is to compare.
 */
export function sameIdentity(a: Pick<Stats, 'dev' | 'ino' | 'size' | 'birthtimeMs'>, b: Pick<Stats, 'dev' | 'ino' | 'size' | 'birthtimeMs'>): boolean {
  if (a.ino === 0 || b.ino === 0) return a.size === b.size && a.birthtimeMs === b.birthtimeMs;
  return a.dev === b.dev && a.ino === b.ino;
}

/**
 * Removes a temporary file; returns what to tell the person when it stays (it holds a secret, so
 * it is never left without saying where), else undefined.
 */
export async function removeTemporary(temporary: string, platform: NodeJS.Platform): Promise<string | undefined> {
  try {
    await retryWhileHeld(() => unlink(temporary), platform);
    return undefined;
  } catch (error) {
    if (code(error) === 'ENOENT') return undefined;
    return `The temporary file ${temporary} holds a secret and could not be removed (${why(error, platform)}): delete it.`;
  }
}

/** `error` with `note` (a temporary file left behind) after its message. */
function withNote(error: unknown, note: string | undefined): unknown {
  if (note === undefined) return error;
  if (error instanceof WriteFailedError) return new WriteFailedError(`${error.fact} ${note}`, error.advice);
  if (error instanceof FlowError) return new FlowError(`${error.message} ${note}`);
  return error;
}

/** For a write that failed: removes its temporary file, and returns `failure`, naming that file if it stays. */
export async function discardTemporary(failure: unknown, temporary: string, platform: NodeJS.Platform): Promise<unknown> {
  return withNote(failure, await removeTemporary(temporary, platform));
}

/**
 * `data` in a new 0600 file beside `path`, synced to disk. Root gives it to `owner` through the
 * open handle (fchown), never by name: the folder may be another user's, who could put a link to
 * any file in its place between the write and a chown by path.
 */
export async function writeTemporary(path: string, data: string | Uint8Array, platform: NodeJS.Platform, owner?: Owner): Promise<Temporary> {
  const temporary = temporaryFor(path);
  let handle;
  try {
    handle = await open(temporary, 'wx', 0o600);
    await handle.writeFile(data);
    await handle.sync();
    if (owner) await handle.chown(owner.uid, owner.gid);
    const stats = await handle.stat();
    await handle.close();
    return { path: temporary, dev: stats.dev, ino: stats.ino, size: stats.size, birthtimeMs: stats.birthtimeMs };
  } catch (error) {
    if (handle === undefined) throw writeFailed(path, error);
    await handle.close().catch(() => undefined);
    throw await discardTemporary(writeFailed(path, error), temporary, platform);
  }
}

function swapped(path: string, temporary: Temporary, fact: string): WriteFailedError {
  return new WriteFailedError(
    `Could not write ${path}: the temporary file ${temporary.path} was replaced by something else ${fact} (someone else who can write in ${dirname(path)}?).`,
    'Choose another --out in a folder only you can write to, then run again.',
  );
}

/** Throws unless the temporary file's name still holds the file written: a regular file, same inode. */
export async function checkStillOurs(temporary: Temporary, path: string): Promise<void> {
  const now = await lstat(temporary.path).catch(() => undefined);
  if (!now?.isFile() || !sameIdentity(now, temporary)) throw swapped(path, temporary, 'before it was moved into place, so nothing was changed');
}

/** Throws unless `path` now holds the file written, after it was moved or linked there. */
export async function checkPlaced(temporary: Temporary, path: string): Promise<void> {
  const now = await lstat(path).catch(() => undefined);
  if (!now?.isFile() || !sameIdentity(now, temporary)) throw swapped(path, temporary, `as it was moved into place, so what is at ${path} now is not what gmail-token wrote`);
}

/**
 * Renames the temporary file onto `path`, checking right before that the name still holds the
 * file written and right after that `path` now does. On Windows a rename another program blocks
 * for a moment is tried again, unless `retry` is false (a read-only target: nothing to wait for).
 */
export async function renameTemporary(temporary: Temporary, path: string, platform: NodeJS.Platform, retry = true): Promise<void> {
  await checkStillOurs(temporary, path);
  const move = () => rename(temporary.path, path);
  await (retry ? retryWhileHeld(move, platform) : move());
  await checkPlaced(temporary, path);
}
