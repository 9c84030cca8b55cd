import { createHash, randomBytes } from 'node:crypto';

export interface Pkce {
  verifier: string;
  challenge: string;
}

/** RFC 7636: a 43-character verifier (256 bits) and its S256 challenge. */
export function createPkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

/** 256 bits, well over SPEC's 128-bit floor, so the callback cannot be guessed. */
export function createState(): string {
  return randomBytes(32).toString('base64url');
}
