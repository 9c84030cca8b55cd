import { constants } from 'node:fs';
import { link, open, unlink } from 'node:fs/promises';
import { FlowError } from '../core/errors.js';
import { code, ownerToKeep, writeFailed } from './files.js';
import { LOCK_PATIENCE_MS, withOutputLock } from './output-lock.js';
import { sameFile, snapshot, type FileSnapshot } from './snapshot.js';
import { checkPlaced, checkStillOurs, discardTemporary, removeTemporary, renameTemporary, writeTemporary, type Temporary } from './temporary.js';

/**
 * The output is checked again at the moment of writing (SPEC "Outputs"): minutes of consent lie
 * between the first check and the write, and a file can appear or change meanwhile.
 */

/**
 * What link(2) answers on file systems without hard links: vfat, exFAT and some network mounts
 * on Linux (EPERM and the rest), exFAT and FAT on Windows (EISDIR: Node's name for
 * ERROR_INVALID_FUNCTION).
 */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EISDIR']);

/** The output was written, but a temporary copy of it (a secret) stayed behind: said, never silent. */
export class TemporaryLeftError extends FlowError {}

/**
 * Gives `path` the content of `temporary` (which holds `data`) only while nothing is at `path`
 * (EEXIST otherwise). A hard link is the first choice: it publishes a complete, synced file in one
 * step, so no reader ever sees part of it. Where the file system has no hard links, an exclusive
 * create (O_EXCL, 0600, never through a link) then write and fsync is the fallback: still
 * no-clobber, but a reader looking in those milliseconds can see a partly written file, and a
 * write that fails leaves one, which is removed (it is ours: O_EXCL made it). A mint that could not
 * write on such a disk at all would be worse.
 */
async function publishNew(temporary: Temporary, path: string, data: string | Uint8Array): Promise<void> {
  try {
    await checkStillOurs(temporary, path);
    await link(temporary.path, path);
    await checkPlaced(temporary, path);
    return;
  } catch (error) {
    if (!NO_HARD_LINKS.has(code(error) ?? '')) throw error;
  }
  // O_EXCL alone refuses a link at the path (POSIX; CREATE_NEW on Windows, where O_NOFOLLOW is undefined).
  const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await unlink(path).catch(() => undefined);
    throw error;
  } finally {
    await handle.close();
  }
}

/** Removes the temporary file once the output is settled; one that stays is said, with where it is. */
async function leaveNoTemporary(temporary: Temporary, path: string, platform: NodeJS.Platform, written: boolean): Promise<void> {
  const left = await removeTemporary(temporary.path, platform);
  if (left === undefined) return;
  throw written ? new TemporaryLeftError(`${path} was written. ${left}`) : new FlowError(`${path} was left as it is. ${left}`);
}

/**
 * Creates `path` only while nothing is there: a complete temporary file is hard-linked to the
 * name, which fails with EEXIST rather than replace a file that appeared since the check.
 */
export async function createNew(path: string, data: string | Uint8Array, platform: NodeJS.Platform = process.platform): Promise<void> {
  const temporary = await writeTemporary(path, data, platform);
  try {
    await publishNew(temporary, path, data);
  } catch (error) {
    const failure =
      code(error) === 'EEXIST' ? new FlowError(`${path} appeared while consent was given (another gmail-token run?) and was kept as it is.`) : error instanceof FlowError ? error : writeFailed(path, error);
    throw await discardTemporary(failure, temporary.path, platform);
  }
  await leaveNoTemporary(temporary, path, platform, true);
}

/**
 * Replaces `path` with `data` only while it is still the file `expected` (same file, same bytes),
 * checked right before the rename; a file that changed is left as it is. Root's file keeps its
 * owner, given on the open handle before the rename (see writeTemporary).
 */
export async function replaceIfUnchanged(
  path: string,
  data: string | Uint8Array,
  expected: FileSnapshot | undefined,
  platform: NodeJS.Platform = process.platform,
): Promise<boolean> {
  const temporary = await writeTemporary(path, data, platform, expected && ownerToKeep(expected));
  let written = false;
  try {
    if (sameFile(await snapshot(path), expected)) {
      if (expected === undefined) await publishNew(temporary, path, data);
      else await renameTemporary(temporary, path, platform);
      written = true;
    }
  } catch (error) {
    if (code(error) !== 'EEXIST') {
      const failure = error instanceof FlowError ? error : writeFailed(path, error, platform);
      throw await discardTemporary(failure, temporary.path, platform);
    }
  }
  await leaveNoTemporary(temporary, path, platform, written);
  return written;
}

/** Tries to merge into a file being edited by someone else before giving up. */
const MERGE_ATTEMPTS = 3;

/**
 * Updates `path` from what it holds at the moment of writing, under the lock: `update` gets the
 * current bytes (undefined when there is no file), and the file as read, and returns the new
 * bytes, or undefined to leave the file as it is. If the file changes between that read and the rename, the update is done
 * again on the new content, and after a few tries the file is left untouched (exit 1). Returns
 * whether the file was written.
 */
export async function updateAtWriteTime(
  path: string,
  update: (current: Buffer | undefined, file: FileSnapshot | undefined) => string | Uint8Array | undefined,
  lockPatienceMs = LOCK_PATIENCE_MS,
  platform: NodeJS.Platform = process.platform,
): Promise<boolean> {
  return withOutputLock(
    path,
    async () => {
      for (let attempt = 0; attempt < MERGE_ATTEMPTS; attempt++) {
        const current = await snapshot(path);
        const data = update(current?.bytes, current);
        if (data === undefined) return false;
        if (await replaceIfUnchanged(path, data, current, platform)) return true;
      }
      throw new FlowError(`${path} kept changing while gmail-token tried to update it, so it was left as it is.`);
    },
    lockPatienceMs,
  );
}
