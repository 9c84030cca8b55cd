import { describe, expect, it } from 'vitest';
import { parseTokenFile, tokenFromEnv, type StoredToken } from '../../src/core/stored-token.js';
import { storedAccessFresh } from '../../src/core/token-cache.js';
import { usageMessage } from '../helpers/usage.js';

const NOW = new Date('2026-11-28T12:00:00.000Z');
const HALF_HOUR = new Date(NOW.getTime() + 1_800_000);
const stored = (accessToken: string): StoredToken => ({ source: 'token.json', refreshToken: '1//r', accessToken, accessTokenExpiry: HALF_HOUR });

describe('stored tokens', () => {
  it('reads what mint wrote, and google-auth’s access_token', () => {
    const token = parseTokenFile(
      JSON.stringify({ refresh_token: 'r', token: 't', client_id: 'c', client_secret: 's', token_uri: 'u', account: 'a@b.c', refresh_token_expiry: '2026-12-01T00:00:00Z' }),
      'token.json',
    );
    expect(token).toEqual({ source: 'token.json', refreshToken: 'r', accessToken: 't', clientId: 'c', clientSecret: 's', tokenUri: 'u', account: 'a@b.c', refreshTokenExpiry: new Date('2026-12-01T00:00:00Z') });
    expect(parseTokenFile(JSON.stringify({ access_token: 'at', refresh_token: null, account: '' }), 'f')).toEqual({ source: 'f', accessToken: 'at' });
  });

  it('refuses, each with its own message, what is not a token', () => {
    expect(usageMessage(() => parseTokenFile('{', 'f'))).toBe('f is not valid JSON. Pass a token.json written by `gmail-token mint`.');
    for (const text of ['null', '[]', '"x"', '1']) expect(usageMessage(() => parseTokenFile(text, 'f'))).toBe('f is not a token object. Pass a token.json written by `gmail-token mint`.');
    for (const kind of ['installed', 'web']) {
      expect(usageMessage(() => parseTokenFile(JSON.stringify({ [kind]: {}, refresh_token: 'r' }), 'f'))).toBe(
        'f is an OAuth client (credentials.json), not a token. Run `gmail-token mint` to get a token.json.',
      );
    }
    expect(usageMessage(() => parseTokenFile('{"client_id":"c"}', 'f'))).toBe('f holds no refresh_token and no token. Run `gmail-token mint` to get one.');
    expect(usageMessage(() => parseTokenFile('{"refresh_token":1}', 'f'))).toBe('f: refresh_token should be a string.');
    expect(usageMessage(() => parseTokenFile('{"refresh_token":"r","refresh_token_expiry":"soon"}', 'f'))).toBe('f: refresh_token_expiry is not a date.');
  });

  it('reads the three env values under a prefix; no refresh token is no token', () => {
    const values = new Map([['P_REFRESH_TOKEN', 'r'], ['P_CLIENT_ID', 'c'], ['P_CLIENT_SECRET', 's']]);
    expect(tokenFromEnv((name) => values.get(name), 'P_', '.env')).toEqual({ source: '.env', refreshToken: 'r', clientId: 'c', clientSecret: 's' });
    expect(tokenFromEnv((name) => (name === 'P_REFRESH_TOKEN' ? 'r' : ''), 'P_', '.env')).toEqual({ source: '.env', refreshToken: 'r', clientId: undefined, clientSecret: undefined });
    expect(tokenFromEnv((name) => values.get(name), 'Q_', '.env')).toBeUndefined();
    expect(tokenFromEnv((name) => (name === 'P_REFRESH_TOKEN' ? '' : 'x'), 'P_', '.env')).toBeUndefined();
  });
});

describe('the stored access token shape', () => {
  it('is checked from its first character to its last', () => {
    for (const accessToken of [' ya29.a', '\r\nya29.a', '"ya29.a', 'ya29.a ', 'ya29.a\n', 'ya29.a==\n']) {
      expect(storedAccessFresh(stored(accessToken), NOW)).toBe(false);
    }
    expect(storedAccessFresh(stored('a'), NOW)).toBe(true);
    expect(storedAccessFresh(stored('ya29.a=='), NOW)).toBe(true);
  });
});

describe("token.json's expiry: only how long the access token may be reused", () => {
  const read = (expiry: unknown) => parseTokenFile(JSON.stringify({ refresh_token: 'r', token: 't', expiry }), 'token.json').accessTokenExpiry;

  it('a date is kept; anything else means "refresh it", not a file to refuse', () => {
    expect(read('2026-11-28T12:59:59.000Z')).toEqual(new Date('2026-11-28T12:59:59.000Z'));
    expect(read('soon')).toBeUndefined();
    expect(read(1764334799000)).toBeUndefined();
    expect(read(null)).toBeUndefined();
    expect(read(undefined)).toBeUndefined();
  });
});

describe('a token.json with a byte-order mark', () => {
  it('drops the mark that opens the file, and keeps U+FEFF inside a value as it is', () => {
    const file = JSON.stringify({ refresh_token: '1//a\ufeffb', client_id: 'c', client_secret: 's' });
    expect(parseTokenFile(`\ufeff${file}`, 'token.json').refreshToken).toBe('1//a\ufeffb');
    expect(parseTokenFile(file, 'token.json').refreshToken).toBe('1//a\ufeffb');
  });
});
