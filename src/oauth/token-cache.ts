import type { GoogleEndpoints } from '../core/endpoints.js';
import { FlowError } from '../core/errors.js';
import type { StoredToken } from '../core/stored-token.js';
import { reusableAccessToken, tokenFileWithAccess, tokenFileWithoutAccess, type RefreshedAccess } from '../core/token-cache.js';
import type { ClientSecrets, HttpPolicy } from './google.js';
import { refreshAccess } from './refresh.js';
import { WriteFailedError } from './files.js';
import { OutputBusyError } from './output-lock.js';
import type { FileSnapshot } from './snapshot.js';
import { updateAtWriteTime } from './write-time.js';

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
  /** Runs the write-back to its end, whatever signal comes meanwhile (its temporary file holds secrets). */
  uninterrupted?: <T>(write: () => Promise<T>) => Promise<T>;
}

/**
 * How long the write-back waits for the lock beside token.json. Whoever holds it is writing this
 * file right now: a mint replacing it (a file the write-back must leave alone anyway) or another
 * access-token saving a token as good as ours; and the token this call got works whether or not it
 * is saved. So a lock still held after this short wait (a second call normally waits milliseconds)
 * is no reason to fail the mail program that asked, nor to keep it waiting as long as mint would:
 * the write-back is skipped with a warning, exit 0, and the next call refreshes again.
 */
const WRITE_BACK_PATIENCE_MS = 2_000;

/** What became of an edit to a token.json (see rewriteTokenFile). */
type Rewrite = { kind: 'written' } | { kind: 'left-alone' } | { kind: 'busy' } | { kind: 'read-only'; mode: number } | { kind: 'stuck' | 'failed'; fact: string };

/**
 * Edits a token.json through the same write-time mechanism as mint's outputs: under the lock
 * beside the file, from the file as it is then (`edit` returns undefined to leave it alone: it no
 * longer holds the refresh token it was read with, after a new mint, say). The file read is
 * compared (same file, same bytes) right before the rename, so a writer that does not take the
 * lock is not overwritten either.
 */
async function rewriteTokenFile(path: string, edit: (bytes: Buffer) => Uint8Array | undefined): Promise<Rewrite> {
  let readOnly: number | undefined;
  const update = (current: Buffer | undefined, file: FileSnapshot | undefined) => {
    if (current === undefined || file === undefined) return undefined;
    // A token.json without its owner's write bit was made read-only on purpose (the rename would
    // not care, and would bring it back 0600): it is left as it is, mode included.
    if ((file.mode & 0o200) === 0) {
      readOnly = file.mode;
      return undefined;
    }
    return edit(current);
  };
  try {
    if (await updateAtWriteTime(path, update, WRITE_BACK_PATIENCE_MS)) return { kind: 'written' };
    return readOnly === undefined ? { kind: 'left-alone' } : { kind: 'read-only', mode: readOnly };
  } catch (error) {
    if (error instanceof OutputBusyError) return error.stuck ? { kind: 'stuck', fact: error.fact } : { kind: 'busy' };
    return { kind: 'failed', fact: error instanceof WriteFailedError ? error.fact : error instanceof FlowError ? error.message : '' };
  }
}

/**
 * Saves the refreshed access token where it came from; when it cannot, says why on stderr, naming
 * the file as the person gave it (`shown`), not as resolved against the run's folder.
 */
async function saveAccess(path: string, shown: string, refreshToken: string, access: RefreshedAccess, warn: (line: string) => void): Promise<void> {
  const done = await rewriteTokenFile(path, (bytes) => tokenFileWithAccess(bytes, refreshToken, access));
  const notSaved = 'the next call will refresh again';
  if (done.kind === 'left-alone') warn(`${shown} changed while the token was refreshed (a new mint?), so it was left as it is.`);
  if (done.kind === 'read-only') warn(`${shown} is read-only (mode 0${done.mode.toString(8)}), so the new access token was not saved there; ${notSaved}.`);
  if (done.kind === 'busy') warn(`Another gmail-token run is writing ${shown}, so the new access token was not saved there; ${notSaved}.`);
  if (done.kind === 'stuck' || done.kind === 'failed') warn(`The new access token was not saved: ${done.fact || `${shown} could not be written.`} The next call will refresh again.`);
}

/**
 * After `revoke`: removes the access token and expiry from the token.json the revoked token came
 * from, so access-token does not print an access token Google no longer takes for the rest of its
 * hour. Only while the file still holds the revoked refresh token (a new mint's file is left as it
 * is). Returns what to tell the person, or undefined when the file holds no such access token.
 */
export async function forgetRevokedAccess(stored: StoredToken): Promise<{ said: string; warning: boolean } | undefined> {
  const path = stored.file;
  if (path === undefined) return undefined;
  const shown = stored.source;
  const done = await rewriteTokenFile(path, (bytes) => tokenFileWithoutAccess(bytes, stored.refreshToken));
  if (done.kind === 'written') return { said: `Removed the revoked access token and its expiry from ${shown}, so access-token cannot print it.`, warning: false };
  if (done.kind === 'left-alone') return undefined;
  const advice = 'access-token prints it until it expires unless you pass --no-cache or delete the file.';
  if (done.kind === 'stuck' || done.kind === 'failed') return { said: `${shown} still holds the revoked access token: ${advice} ${done.fact || 'It could not be written.'}`, warning: true };
  const why = done.kind === 'read-only' ? `it is read-only (mode 0${done.mode.toString(8)})` : 'another gmail-token run is writing it';
  return { said: `${shown} still holds the revoked access token (${why}): ${advice}`, warning: true };
}

/** SPEC `access-token`: the stored token while it is fresh, else a refreshed one, saved where it came from. */
export async function accessTokenFor(request: AccessTokenRequest): Promise<string> {
  const { stored } = request;
  const reusable = request.noCache ? undefined : reusableAccessToken(stored, request.now());
  if (reusable) return reusable;
  const fresh = await refreshAccess(stored, request.secrets, request.endpoints, request.http);
  const { file, refreshToken } = stored;
  const uninterrupted = request.uninterrupted ?? ((write) => write());
  if (file && refreshToken) await uninterrupted(() => saveAccess(file, stored.source, refreshToken, fresh, request.warn));
  return fresh.accessToken;
}
