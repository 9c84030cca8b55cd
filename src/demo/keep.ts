import { lstat, mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { keptEnv, keptTokenJson } from '../core/demo.js';
import { UsageError } from '../core/errors.js';
import type { MintedToken } from '../core/output.js';
import { code } from '../oauth/files.js';
import { createNew } from '../oauth/write-time.js';

async function isLink(path: string): Promise<boolean> {
  return lstat(path).then(
    (stats) => stats.isSymbolicLink(),
    () => false,
  );
}

/** What the desktop writes into any folder it shows (Finder, Explorer): no one's token file. */
const FOLDER_LITTER = new Set(['.ds_store', 'desktop.ini', 'thumbs.db']);

/**
 * A new --keep folder is made now, 0700, not after consent: one that cannot be made (/sys/…, a
 * read-only disk) must stop the demo before it starts, not fail it at the end. Not recursive:
 * Node 20's recursive mkdir never returns for a path in /proc.
 */
async function createKeepFolder(dir: string): Promise<void> {
  try {
    await mkdir(dir, { mode: 0o700 });
  } catch (error) {
    throw new UsageError(`Cannot create the --keep folder ${dir} (${code(error) ?? 'error'}). Name a new or empty folder, in one that exists and you can write to.`);
  }
}

/**
 * --keep takes a folder that is new or empty (but for FOLDER_LITTER), so the demo's files never
 * replace, or mix with, a real token.json or .env that a later command (or an app) would pick up.
 */
export async function checkKeepFolder(dir: string): Promise<void> {
  let entries: string[];
  try {
    if (!(await stat(dir)).isDirectory()) throw new UsageError(`--keep ${dir} is a file. Name a new or empty folder.`);
    entries = await readdir(dir);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    // stat follows a link; one to nothing would make the folder's creation fail after consent.
    if (code(error) === 'ENOENT' && (await isLink(dir))) {
      throw new UsageError(`--keep ${dir} is a symbolic link to nothing. Remove it, or name a new or empty folder.`);
    }
    if (code(error) === 'ENOENT') return createKeepFolder(dir);
    throw new UsageError(`Cannot read the --keep folder ${dir} (${code(error) ?? 'error'}).`);
  }
  if (entries.some((name) => !FOLDER_LITTER.has(name.toLowerCase()))) {
    throw new UsageError(`--keep ${dir} is not empty. Name a new or empty folder, so the demo's files cannot be mistaken for real ones.`);
  }
}

/**
 * Writes the token.json and .env that `mint` would have, both marked as the emulator's (0600).
 * The folder was found empty, or made, before consent; a file put there since is kept, never replaced.
 */
export async function keepFiles(dir: string, token: MintedToken): Promise<string[]> {
  const tokenFile = join(dir, 'token.json');
  const envFile = join(dir, '.env');
  await createNew(tokenFile, keptTokenJson(token));
  await createNew(envFile, keptEnv(token));
  return [tokenFile, envFile];
}
