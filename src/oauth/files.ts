import { constants } from 'node:fs';
import { access, lstat, open, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { FlowError, UsageError } from '../core/errors.js';
import { HELD_BY_ANOTHER_PROGRAM } from './held-retry.js';
import { discardTemporary, renameTemporary, temporaryFor, writeTemporary, type Owner } from './temporary.js';

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

/** `platform` only where the error came from replacing or removing a file, which another program can block. */
export function why(error: unknown, platform?: NodeJS.Platform): string {
  const found = code(error) ?? 'error';
  if (platform === 'win32' && HELD_BY_ANOTHER_PROGRAM.has(found)) return `${found}: another program holds the file (an editor, an antivirus, a sync client?)`;
  return WRITE_FAILURES[found] ? `${found}: ${WRITE_FAILURES[found]}` : found;
}

async function checkFolder(path: string, option: string): Promise<void> {
  const folder = dirname(path);
  try {
    // stat, not lstat: a folder reached through a symlink (/tmp on macOS, say) is a folder.
    if (!(await stat(folder)).isDirectory()) throw new UsageError(`Cannot write ${path}: ${folder} is not a folder.`);
    await access(folder, constants.W_OK);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (code(error) === 'ENOENT') throw new UsageError(`Cannot write ${path}: the folder ${folder} does not exist. Create it first.`);
    throw new UsageError(`Cannot write ${path}: the folder ${folder} is not writable (${why(error)}). Choose another ${option}.`);
  }
  // access() says yes to root almost everywhere (/proc, say); creating a file is the sure test.
  const probe = temporaryFor(path);
  try {
    await (await open(probe, 'wx', 0o600)).close();
  } catch (error) {
    throw new UsageError(`Cannot write ${path}: the folder ${folder} is not writable (${why(error)}). Choose another ${option}.`);
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
  options: {
    force: boolean;
    update: boolean;
    confirmOverwrite?: (path: string) => Promise<boolean>;
    /** The option that named the path (mint's --out, the emulator's --write-credentials), for the advice. */
    option?: string;
  },
): Promise<OutputPlan> {
  const option = options.option ?? '--out';
  await checkFolder(path, option);
  let stats;
  try {
    stats = await lstat(path);
  } catch (error) {
    if (code(error) === 'ENOENT') return 'create';
    throw new UsageError(`Cannot check ${path} (${code(error) ?? 'error'}).`);
  }
  if (stats.isSymbolicLink()) throw new UsageError(`${path} is a symbolic link; gmail-token does not write through links. Remove it or choose another ${option}.`);
  if (stats.isDirectory()) throw new UsageError(`${path} is a folder. Give a file name with ${option}.`);
  if (!stats.isFile()) throw new UsageError(`${path} is not a regular file. Choose another ${option}.`);
  if (options.update) return 'update';
  if (options.force || (await options.confirmOverwrite?.(path))) return 'overwrite';
  throw new UsageError(`${path} already exists and was kept. Pass --force to overwrite it, or choose another ${option}.`);
}

/**
 * Writes through a temporary file in the same folder and a rename, so a reader sees the old file
 * or the new one, never a part; the file is created 0600 because it holds secrets. A file that
 * root replaces keeps its owner and group, as an update does (see ownerToKeep).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, platform: NodeJS.Platform = process.platform): Promise<void> {
  const existing = await lstat(path).catch(() => undefined);
  const temporary = await writeTemporary(path, data, platform, existing?.isFile() ? ownerToKeep(existing) : undefined);
  // On Windows a read-only file cannot be replaced: no other program is to wait for.
  const readOnly = platform === 'win32' && existing !== undefined && (existing.mode & 0o200) === 0;
  try {
    await renameTemporary(temporary, path, platform, !readOnly);
  } catch (error) {
    const failure = readOnly && HELD_BY_ANOTHER_PROGRAM.has(code(error) ?? '') ? readOnlyFailed(path, error) : error;
    throw await discardTemporary(failure instanceof WriteFailedError ? failure : writeFailed(path, failure, platform), temporary.path, platform);
  }
}

function readOnlyFailed(path: string, error: unknown): WriteFailedError {
  return new WriteFailedError(
    `Could not replace ${path} (${code(error)}: the file is read-only); nothing was changed.`,
    'Clear its read-only attribute (attrib -r) to let --force replace it, or choose another --out, then run again.',
  );
}

/**
 * The owner a file written over `existing` must have: `sudo gmail-token mint -o .env` must not
 * leave an app's .env or token.json readable by root alone. Only root can give a file away, and
 * only root needs to.
 */
export function ownerToKeep(existing: { uid: number; gid: number }): Owner | undefined {
  if (process.geteuid?.() !== 0 || (existing.uid === 0 && existing.gid === 0)) return undefined;
  return { uid: existing.uid, gid: existing.gid };
}

/** A write that failed, nothing changed; `fact` is the message without the advice to run again. */
export class WriteFailedError extends FlowError {
  constructor(
    readonly fact: string,
    readonly advice: string,
  ) {
    super(`${fact} ${advice}`);
  }
}

/** The error for a write that failed, with what to do; nothing was changed when it is thrown. */
export function writeFailed(path: string, error: unknown, platform?: NodeJS.Platform): WriteFailedError {
  // The folder was checked before the flow, so ENOENT now means it went away meanwhile.
  const reason = code(error) === 'ENOENT' ? 'ENOENT: the folder is gone' : why(error, platform);
  const full = code(error) === 'ENOSPC' || code(error) === 'EDQUOT';
  return new WriteFailedError(`Could not write ${path} (${reason}); nothing was changed.`, `${full ? 'Free some space or choose' : 'Choose'} another --out, then run again.`);
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
 * `shown` is the path as the person gave it, when `path` is that resolved against the run's folder.
 */
export async function readFileBytes(path: string, what: string, hint = '', shown = path): Promise<Buffer> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const stats = await handle.stat();
    if (stats.isDirectory()) throw new UsageError(`${what} ${shown} is a folder, not a file.`);
    if (!stats.isFile()) throw new UsageError(`${what} ${shown} is not a regular file.`);
    return await handle.readFile();
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (code(error) === 'ENOENT') throw new UsageError(`${what} ${shown} does not exist.${hint && ' ' + hint}`);
    if (code(error) === 'EISDIR') throw new UsageError(`${what} ${shown} is a folder, not a file.`);
    throw new UsageError(`Cannot read ${what} ${shown} (${code(error) ?? 'error'}).`);
  } finally {
    await handle?.close();
  }
}

/** readFileBytes, decoded as UTF-8. */
export async function readTextFile(path: string, what: string, hint = '', shown = path): Promise<string> {
  return (await readFileBytes(path, what, hint, shown)).toString('utf8');
}
