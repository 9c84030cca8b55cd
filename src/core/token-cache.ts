import type { StoredToken } from './stored-token.js';

/**
 * A stored access token is handed out again only while it has more than this left, so the program
 * that asked (msmtp, curl) still has time to connect and use it before Google stops taking it.
 */
export const FRESH_MARGIN_MS = 60_000;

/**
 * Google's access tokens live an hour (expires_in 3599, google-oauth-facts); the slack allows for a
 * clock that was a little behind when the file was written. An expiry further away than this was
 * not written by Google's answer (a hand-edited 2099), and trusting it would reuse a token for ever.
 */
export const LONGEST_LIFETIME_MS = 3_600_000 + 5 * 60_000;

/**
 * A bearer token as RFC 6750 §2.1 (b64token) allows it. Anything else, a CR/LF above all, would
 * end up in `Authorization: Bearer $(gmail-token access-token)` as a header of its own.
 */
const BEARER_TOKEN = /^[A-Za-z0-9._~+/-]+=*$/;

/** Whether an access token may be printed or stored: every one, from a file or from a token endpoint. */
export function hasBearerShape(token: string): boolean {
  return BEARER_TOKEN.test(token);
}

/**
 * Whether the stored access token can be used as it is at `now`; undefined when none is stored.
 * One of an impossible shape or with an expiry Google never gives counts as stale, so a new one
 * is asked for rather than the file's value printed.
 */
export function storedAccessFresh(stored: StoredToken, now: Date): boolean | undefined {
  if (!stored.accessToken) return undefined;
  if (!stored.accessTokenExpiry || !hasBearerShape(stored.accessToken)) return false;
  const left = stored.accessTokenExpiry.getTime() - now.getTime();
  return left > FRESH_MARGIN_MS && left <= LONGEST_LIFETIME_MS;
}

/** The stored access token when it is fresh enough to print instead of asking Google for one. */
export function reusableAccessToken(stored: StoredToken, now: Date): string | undefined {
  return storedAccessFresh(stored, now) ? stored.accessToken : undefined;
}

export interface RefreshedAccess {
  accessToken: string;
  expiresAt: Date;
}

/** The indentation the file was written with ("  " for mint's, none for Python's compact to_json()). */
function indentOf(text: string): string | undefined {
  return /^\{\r?\n([ \t]+)"/.exec(text)?.[1];
}

/**
 * The token file's text after `edit` changed its fields, every other field as it was and in its
 * place, or undefined when the file no longer holds `refreshToken` (a new mint replaced it), is no
 * longer a token object, or `edit` changed nothing: then it must be left alone.
 */
function editTokenFile(text: string, refreshToken: string | undefined, edit: (record: Record<string, unknown>) => boolean): string | undefined {
  let file: unknown;
  try {
    file = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (file === null || typeof file !== 'object' || Array.isArray(file)) return undefined;
  const record = file as Record<string, unknown>;
  if (record.refresh_token !== refreshToken || !edit(record)) return undefined;
  const ending = text.endsWith('\n') ? '\n' : '';
  return JSON.stringify(record, null, indentOf(text)) + ending;
}

/** The token file's text with the new access token and expiry (see editTokenFile for undefined). */
export function tokenFileWithAccess(text: string, refreshToken: string, access: RefreshedAccess): string | undefined {
  return editTokenFile(text, refreshToken, (record) => {
    // Some writers name the field access_token; parseTokenFile reads either, so update the one present.
    const tokenKey = !('token' in record) && 'access_token' in record ? 'access_token' : 'token';
    record[tokenKey] = access.accessToken;
    record.expiry = access.expiresAt.toISOString();
    return true;
  });
}

/** Fields that hold the stored access token and its expiry, under every name parseTokenFile reads. */
const ACCESS_FIELDS = ['token', 'access_token', 'expiry'];

/**
 * The token file's text without its access token and expiry, once its grant was revoked: Google
 * no longer takes that access token, and access-token would print it until its hour is up.
 * `refreshToken` is the one revoked (undefined for a file that holds only an access token).
 */
export function tokenFileWithoutAccess(text: string, refreshToken: string | undefined): string | undefined {
  return editTokenFile(text, refreshToken, (record) => {
    const present = ACCESS_FIELDS.filter((key) => key in record);
    for (const key of present) delete record[key];
    return present.length > 0;
  });
}
