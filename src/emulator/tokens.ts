import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hasEmailScope } from './scopes.js';

/** Prefixes mimic Google's so tools that sniff token shapes behave as they would in production. */
export const CODE_PREFIX = '4/0emu-';
export const ACCESS_PREFIX = 'ya29.emu-';
export const REFRESH_PREFIX = '1//emu-';

export function randomId(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Compares digests so the time taken does not reveal how much of a secret matched. */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(sha256(given), sha256(expected));
}

export function pkceChallenge(verifier: string): string {
  return sha256(verifier).toString('base64url');
}

/** A stable, Google-looking numeric subject (21 digits) so the same account keeps its `sub`. */
export function subjectFor(account: string): string {
  const n = sha256(account.toLowerCase()).readBigUInt64BE(0) % 10n ** 20n;
  return `1${n.toString().padStart(20, '0')}`;
}

export interface IdTokenInput {
  clientId: string;
  account: string;
  scopes: readonly string[];
  lifetimeSeconds: number;
}

/** Unsigned on purpose (alg "none"): nothing should trust an emulator's identity assertions. */
export function idToken(input: IdTokenInput): string {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    iss: 'https://accounts.google.com',
    azp: input.clientId,
    aud: input.clientId,
    sub: subjectFor(input.account),
    iat: now,
    exp: now + input.lifetimeSeconds,
  };
  if (hasEmailScope(input.scopes)) Object.assign(claims, { email: input.account, email_verified: true });
  const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`;
}
