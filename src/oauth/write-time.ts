import { constants } from 'node:fs';
import { chown, link, open, rename, unlink } from 'node:fs/promises';
import { FlowError } from '../core/errors.js';
import { code, writeFailed, writeTemporary } from './files.js';
import { LOCK_PATIENCE_MS, withOutputLock } from './output-lock.js';
import { sameFile, snapshot, type FileSnapshot } from './snapshot.js';

/**
 * The output is checked again at the moment of writing (SPEC "Outputs"): minutes of consent lie
 * between the first check and the write, and a file can appear or change meanwhile.
 */

/** What link(2) answers on file systems without hard links (vfat, exFAT, some network mounts). */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

/**
 * Gives `path` the content of `temporary` (which holds `data`) only while nothing is at `path`
 * (EEXIST otherwise). A hard link is the first choice: it publishes a complete, synced file in one
 * step, so no reader ever sees part of it. Where the file system has no hard links, an exclusive
 * create (O_EXCL, 0600, never through a link) then write and fsync is the fallback: still
 * no-clobber, but a reader looking in those milliseconds can see a partly written file, and a
 * write that fails leaves one, which is removed (it is ours: O_EXCL made it). A mint that could not
 * write on such a disk at all would be worse.
 */
async function publishNew(temporary: string, path: string, data: string | Uint8Array): Promise<void> {
  try {
    await link(temporary, path);
    return;
  } catch (error) {
    if (!NO_HARD_LINKS.has(code(error) ?? '')) throw error;
  }
  const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
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

/**
 * Creates `path` only while nothing is there: a complete temporary file is hard-linked to the
 * name, which fails with EEXIST rather than replace a file that appeared since the check.
 */
export async function createNew(path: string, data: string | Uint8Array): Promise<void> {
  const temporary = await writeTemporary(path, data);
  try {
    await publishNew(temporary, path, data);
  } catch (error) {
    if (code(error) === 'EEXIST') {
      throw new FlowError(`${path} appeared while consent was given (another gmail-token run?) and was kept as it is.`);
    }
    throw writeFailed(path, error);
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

/**
 * Replaces `path` with `data` only while it is still the file `expected` (same file, same bytes),
 * checked right before the rename; a file that changed is left as it is.
 */
export async function replaceIfUnchanged(path: string, data: string | Uint8Array, expected: FileSnapshot | undefined): Promise<boolean> {
  const temporary = await writeTemporary(path, data);
  try {
    if (!sameFile(await snapshot(path), expected)) return false;
    if (expected === undefined) await publishNew(temporary, path, data);
    else {
      await keepOwner(temporary, expected);
      await rename(temporary, path);
    }
    return true;
  } catch (error) {
    if (code(error) === 'EEXIST') return false;
    if (error instanceof FlowError) throw error;
    throw writeFailed(path, error);
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

/**
 * The file replaced keeps its owner: `sudo gmail-token mint -o .env` must not leave an app's .env
 * or token.json readable by root alone. Only root can give a file away, and only root needs to.
 */
async function keepOwner(temporary: string, expected: FileSnapshot): Promise<void> {
  if (process.geteuid?.() !== 0 || (expected.uid === 0 && expected.gid === 0)) return;
  await chown(temporary, expected.uid, expected.gid);
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
): Promise<boolean> {
  return withOutputLock(
    path,
    async () => {
      for (let attempt = 0; attempt < MERGE_ATTEMPTS; attempt++) {
        const current = await snapshot(path);
        const data = update(current?.bytes, current);
        if (data === undefined) return false;
        if (await replaceIfUnchanged(path, data, current)) return true;
      }
      throw new FlowError(`${path} kept changing while gmail-token tried to update it, so it was left as it is.`);
    },
    lockPatienceMs,
  );
}
