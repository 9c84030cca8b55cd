import { objectSpans, splice, type MemberSpan, type ObjectSpans } from './json-bytes.js';
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

/** The file as given: bytes stay bytes, text stays text (the edit itself is done on bytes). */
function sameKind<T extends string | Uint8Array>(file: T, edited: Buffer): T {
  return (typeof file === 'string' ? edited.toString('utf8') : edited) as T;
}

/** The spans of a token file that still holds `refreshToken`, else undefined: it must be left alone. */
function tokenFileSpans(bytes: Uint8Array, refreshToken: string | undefined): ObjectSpans | undefined {
  const spans = objectSpans(bytes);
  return spans?.record.refresh_token === refreshToken ? spans : undefined;
}

/**
 * How this file separates members and writes a colon, so added members look like the others. It
 * has a member to copy: only a file that still holds the refresh token is edited.
 */
function styleOf(bytes: Uint8Array, spans: ObjectSpans, first: MemberSpan): { between: string; colon: string } {
  const second = spans.members[1];
  const text = (from: number, to: number) => Buffer.from(bytes.subarray(from, to)).toString('latin1');
  const between = second === undefined ? `,${text(spans.inside, first.start)}` : text(first.valueEnd, second.start);
  return { between, colon: text(first.keyEnd, first.valueStart) };
}

/** `bytes` (whose members `spans` holds) with every value of `key` (duplicates too) set to `value`, or the member added after the last one. */
function setValue(bytes: Buffer, spans: ObjectSpans, key: string, value: string): Buffer {
  const found = spans.members.filter((member) => member.key === key);
  for (const member of found.reverse()) bytes = splice(bytes, member.valueStart, member.valueEnd, JSON.stringify(value));
  if (found.length > 0) return bytes;
  const [first] = spans.members as [MemberSpan, ...MemberSpan[]];
  const { between, colon } = styleOf(bytes, spans, first);
  const last = spans.members.at(-1) as MemberSpan;
  return splice(bytes, last.valueEnd, last.valueEnd, `${between}${JSON.stringify(key)}${colon}${JSON.stringify(value)}`);
}

/**
 * The token file with the new access token and expiry, only those values' bytes changed (the keys
 * added when absent), or undefined when it no longer holds `refreshToken` (a new mint replaced
 * it) or is no longer a token object: then it must be left alone.
 */
export function tokenFileWithAccess<T extends string | Uint8Array>(file: T, refreshToken: string, access: RefreshedAccess): T | undefined {
  const bytes = Buffer.from(file);
  const spans = tokenFileSpans(bytes, refreshToken);
  if (spans === undefined) return undefined;
  // Some writers name the field access_token; parseTokenFile reads either, so update the one present.
  const tokenKey = !('token' in spans.record) && 'access_token' in spans.record ? 'access_token' : 'token';
  const withToken = setValue(bytes, spans, tokenKey, access.accessToken);
  // Editing the token left refresh_token as it was: the edited bytes need their spans, not a second check.
  return sameKind(file, setValue(withToken, objectSpans(withToken) as ObjectSpans, 'expiry', access.expiresAt.toISOString()));
}

/** Fields that hold the stored access token and its expiry, under every name parseTokenFile reads. */
const ACCESS_FIELDS = ['token', 'access_token', 'expiry'];

/** `bytes` without the member at `index`, and the comma that joined it to a neighbour. */
function withoutMember(bytes: Buffer, members: MemberSpan[], index: number): Buffer {
  const member = members[index] as MemberSpan;
  const previous = members[index - 1];
  if (previous !== undefined) return splice(bytes, previous.valueEnd, member.valueEnd, '');
  const next = members[index + 1];
  return splice(bytes, member.start, next === undefined ? member.valueEnd : next.start, '');
}

/**
 * The token file without its access token and expiry, once its grant was revoked: Google no longer
 * takes that access token, and access-token would print it until its hour is up. Only those
 * members' bytes are removed. `refreshToken` is the one revoked (undefined for a file that holds
 * only an access token); undefined when there is nothing to remove or the file must be left alone.
 */
export function tokenFileWithoutAccess<T extends string | Uint8Array>(file: T, refreshToken: string | undefined): T | undefined {
  let bytes: Buffer = Buffer.from(file);
  const spans = tokenFileSpans(bytes, refreshToken);
  if (spans === undefined) return undefined;
  const accessAt = (members: MemberSpan[]) => members.findIndex((member) => ACCESS_FIELDS.includes(member.key));
  let members = spans.members;
  let removed = false;
  // Removing a member of a JSON object leaves a JSON object, so the edited bytes always have spans.
  for (let index = accessAt(members); index >= 0; index = accessAt(members)) {
    bytes = withoutMember(bytes, members, index);
    members = (objectSpans(bytes) as ObjectSpans).members;
    removed = true;
  }
  return removed ? sameKind(file, bytes) : undefined;
}
