import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, lstat, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { FlowError, UsageError } from '../core/errors.js';

export type OutputPlan = 'create' | 'overwrite' | 'update';

export function code(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** What a failed write means, in words, after the code people can search for. */
const WRITE_FAILURES: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'over the disk quota',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ELOOP: 'it is now a symbolic link',
};

export function why(error: unknown): string {
  const found = code(error) ?? 'error';
  return WRITE_FAILURES[found] ? `${found}: ${WRITE_FAILURES[found]}` : found;
}

export function temporaryFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
}

async function checkFolder(path: string): Promise<void> {
  const folder = dirname(path);
  try {
    // stat, not lstat: a folder reached through a symlink (/tmp on macOS, say) is a folder.
    if (!(await stat(folder)).isDirectory()) throw new UsageError(`Cannot write ${path}: ${folder} is not a folder.`);
    await access(folder, constants.W_OK);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (code(error) === 'ENOENT') throw new UsageError(`Cannot write ${path}: the folder ${folder} does not exist. Create it first.`);
    throw new UsageError(`Cannot write ${path}: the folder ${folder} is not writable (${why(error)}). Choose another --out.`);
  }
  // access() says yes to root almost everywhere (/proc, say); creating a file is the sure test.
  const probe = temporaryFor(path);
  try {
    await (await open(probe, 'wx', 0o600)).close();
  } catch (error) {
    throw new UsageError(`Cannot write ${path}: the folder ${folder} is not writable (${why(error)}). Choose another --out.`);
  }
  await unlink(probe).catch(() => undefined);
}

/**
 * Decides, before any network or browser action, what writing `path` will mean, and refuses what
 * would lose data or be unsafe: an existing file without --force (unless it is a .env update),
 * a folder, a symlink (never followed, so a planted link cannot redirect the secret elsewhere).
 */
export async function planOutput(
  path: string,
  options: { force: boolean; update: boolean; confirmOverwrite?: (path: string) => Promise<boolean> },
): Promise<OutputPlan> {
  await checkFolder(path);
  let stats;
  try {
    stats = await lstat(path);
  } catch (error) {
    if (code(error) === 'ENOENT') return 'create';
    throw new UsageError(`Cannot check ${path} (${code(error) ?? 'error'}).`);
  }
  if (stats.isSymbolicLink()) throw new UsageError(`${path} is a symbolic link; gmail-token does not write through links. Remove it or choose another --out.`);
  if (stats.isDirectory()) throw new UsageError(`${path} is a folder. Give a file name with --out.`);
  if (!stats.isFile()) throw new UsageError(`${path} is not a regular file. Choose another --out.`);
  if (options.update) return 'update';
  if (options.force || (await options.confirmOverwrite?.(path))) return 'overwrite';
  throw new UsageError(`${path} already exists and was kept. Pass --force to overwrite it, or choose another --out.`);
}

/**
 * Writes through a temporary file in the same folder and a rename, so a reader sees the old file
 * or the new one, never a part; the file is created 0600 because it holds secrets.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temporary = await writeTemporary(path, data);
  try {
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw writeFailed(path, error);
  }
}

/** A write that failed, nothing changed; `fact` is the message without the advice to run again. */
export class WriteFailedError extends FlowError {
  constructor(
    readonly fact: string,
    advice: string,
  ) {
    super(`${fact} ${advice}`);
  }
}

/** The error for a write that failed, with what to do; nothing was changed when it is thrown. */
export function writeFailed(path: string, error: unknown): WriteFailedError {
  // The folder was checked before the flow, so ENOENT now means it went away meanwhile.
  const reason = code(error) === 'ENOENT' ? 'ENOENT: the folder is gone' : why(error);
  const full = code(error) === 'ENOSPC' || code(error) === 'EDQUOT';
  return new WriteFailedError(`Could not write ${path} (${reason}); nothing was changed.`, `${full ? 'Free some space or choose' : 'Choose'} another --out, then run again.`);
}

/** `data` in a new 0600 file beside `path`, synced to disk; returns its name. */
export async function writeTemporary(path: string, data: string | Uint8Array): Promise<string> {
  const temporary = temporaryFor(path);
  let handle;
  try {
    handle = await open(temporary, 'wx', 0o600);
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    return temporary;
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
    throw writeFailed(path, error);
  }
}

/** Whether something is at `path`: for the default files (./credentials.json, ./token.json). */
export function fileExists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * `hint` follows the message when the file is missing: what to do to get one. O_NONBLOCK, then a
 * look at what was opened: a FIFO planted at the path is refused instead of waiting for a writer.
 */
/** `shown` is the path as the person gave it, when `path` is that resolved against the run's folder. */
export async function readTextFile(path: string, what: string, hint = '', shown = path): Promise<string> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const stats = await handle.stat();
    if (stats.isDirectory()) throw new UsageError(`${what} ${shown} is a folder, not a file.`);
    if (!stats.isFile()) throw new UsageError(`${what} ${shown} is not a regular file.`);
    return await handle.readFile('utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (code(error) === 'ENOENT') throw new UsageError(`${what} ${shown} does not exist.${hint && ' ' + hint}`);
    if (code(error) === 'EISDIR') throw new UsageError(`${what} ${shown} is a folder, not a file.`);
    throw new UsageError(`Cannot read ${what} ${shown} (${code(error) ?? 'error'}).`);
  } finally {
    await handle?.close();
  }
}
