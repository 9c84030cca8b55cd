import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPkce, createState } from '../../src/oauth/pkce.js';

const BASE64URL_256_BITS = /^[A-Za-z0-9_-]{43}$/;

describe('state and PKCE', () => {
  it('a state is 256 random bits, new each time', () => {
    const [a, b] = [createState(), createState()];
    expect(a).toMatch(BASE64URL_256_BITS);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(a).not.toBe(b);
  });

  it('a verifier is 256 random bits, new each time, and the challenge is its S256', () => {
    const [a, b] = [createPkce(), createPkce()];
    expect(a.verifier).toMatch(BASE64URL_256_BITS);
    expect(a.verifier).not.toBe(b.verifier);
    expect(a.challenge).toBe(createHash('sha256').update(a.verifier).digest('base64url'));
    expect(b.challenge).toBe(createHash('sha256').update(b.verifier).digest('base64url'));
  });
});
