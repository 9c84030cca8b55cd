import { randomBytes } from 'node:crypto';
import { rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { GoogleEndpoints } from '../core/endpoints.js';
import type { StoredToken } from '../core/stored-token.js';
import { reusableAccessToken, tokenFileWithAccess, type RefreshedAccess } from '../core/token-cache.js';
import { readFileToUpdate, writeFileAtomic } from './files.js';
import type { ClientSecrets, HttpPolicy } from './google.js';
import { refreshAccess } from './refresh.js';

export interface AccessTokenRequest {
  stored: StoredToken;
  secrets: ClientSecrets;
  endpoints: GoogleEndpoints;
  /** --no-cache: ask Google even when the stored token is fresh (the new one is still saved). */
  noCache: boolean;
  now: () => Date;
  /** For people, on stderr: why the new token could not be saved. */
  warn: (line: string) => void;
  http?: HttpPolicy;
}

/** Where the new file waits, complete and flushed, for the last look before it replaces the old one. */
function stagingPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.refreshed`);
}

/**
 * Writes the refreshed access token back only if the file still holds the refresh token it was
 * read with: one replaced meanwhile (a new mint) is left alone. The new file is written and
 * flushed first, then the old one is read once more right before the rename, so the window in
 * which another writer could be overwritten is one read long. A file changed by another
 * access-token meanwhile is left as well: the token it holds is as good as ours.
 */
async function saveAccess(path: string, refreshToken: string, access: RefreshedAccess, warn: (line: string) => void): Promise<void> {
  const staged = stagingPath(path);
  try {
    const read = await readFileToUpdate(path);
    const updated = tokenFileWithAccess(read, refreshToken, access);
    if (updated !== undefined) {
      await writeFileAtomic(staged, updated);
      if ((await readFileToUpdate(path)) === read) return await rename(staged, path);
    }
    if (tokenFileWithAccess(await readFileToUpdate(path), refreshToken, access) === undefined) {
      warn(`${path} changed while the token was refreshed (a new mint?), so it was left as it is.`);
    }
  } catch {
    warn(`The new access token could not be saved in ${path} (check that the file is not a link and its folder is writable); the next call will refresh again.`);
  } finally {
    await unlink(staged).catch(() => undefined);
  }
}

/** SPEC `access-token`: the stored token while it is fresh, else a refreshed one, saved where it came from. */
export async function accessTokenFor(request: AccessTokenRequest): Promise<string> {
  const { stored } = request;
  const reusable = request.noCache ? undefined : reusableAccessToken(stored, request.now());
  if (reusable) return reusable;
  const fresh = await refreshAccess(stored, request.secrets, request.endpoints, request.http);
  if (stored.file && stored.refreshToken) await saveAccess(stored.file, stored.refreshToken, fresh, request.warn);
  return fresh.accessToken;
}
