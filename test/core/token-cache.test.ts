import { describe, expect, it } from 'vitest';
import { parseTokenFile, type StoredToken } from '../../src/core/stored-token.js';
import { FRESH_MARGIN_MS, LONGEST_LIFETIME_MS, reusableAccessToken, storedAccessFresh, tokenFileWithAccess } from '../../src/core/token-cache.js';

const NOW = new Date('2026-11-28T12:00:00.000Z');
const at = (ms: number) => new Date(NOW.getTime() + ms);
const stored = (fields: Partial<StoredToken>): StoredToken => ({ source: 'token.json', refreshToken: '1//r', ...fields });

describe('whether a stored access token is fresh', () => {
  it('is fresh only with more than the 60 s margin left', () => {
    expect(FRESH_MARGIN_MS).toBe(60_000);
    expect(reusableAccessToken(stored({ accessToken: 'ya29.a', accessTokenExpiry: at(60_001) }), NOW)).toBe('ya29.a');
    expect(reusableAccessToken(stored({ accessToken: 'ya29.a', accessTokenExpiry: at(60_000) }), NOW)).toBeUndefined();
    expect(reusableAccessToken(stored({ accessToken: 'ya29.a', accessTokenExpiry: at(-1) }), NOW)).toBeUndefined();
  });

  it('is stale when its expiry is further away than Google ever gives (an hour, plus clock slack)', () => {
    expect(LONGEST_LIFETIME_MS).toBe(3_900_000);
    expect(reusableAccessToken(stored({ accessToken: 'ya29.a', accessTokenExpiry: at(3_599_000) }), NOW)).toBe('ya29.a');
    expect(reusableAccessToken(stored({ accessToken: 'ya29.a', accessTokenExpiry: at(3_900_000) }), NOW)).toBe('ya29.a');
    expect(reusableAccessToken(stored({ accessToken: 'ya29.a', accessTokenExpiry: at(3_900_001) }), NOW)).toBeUndefined();
    expect(storedAccessFresh(stored({ accessToken: 'ya29.a', accessTokenExpiry: new Date('2099-01-01T00:00:00Z') }), NOW)).toBe(false);
  });

  it.each([
    ['CR LF and a header', 'ya29.a\r\nX-Injected: 1'],
    ['a space', 'ya29.a b'],
    ['an escape code', 'ya29.\u001b[2Ja'],
    ['a quote', 'ya29."a'],
    ['= before the end', 'ya29.a=b'],
    ['nothing but =', '=='],
  ])('is stale when the stored token has %s, which no bearer token has', (_, accessToken) => {
    expect(reusableAccessToken(stored({ accessToken, accessTokenExpiry: at(1_800_000) }), NOW)).toBeUndefined();
    expect(storedAccessFresh(stored({ accessToken, accessTokenExpiry: at(1_800_000) }), NOW)).toBe(false);
  });

  it('reuses every character a bearer token may have (RFC 6750 b64token)', () => {
    const accessToken = 'ya29.AZaz09-._~+/==';
    expect(reusableAccessToken(stored({ accessToken, accessTokenExpiry: at(1_800_000) }), NOW)).toBe(accessToken);
  });

  it('is stale without an expiry, and unknown without an access token', () => {
    expect(storedAccessFresh(stored({ accessToken: 'ya29.a' }), NOW)).toBe(false);
    expect(storedAccessFresh(stored({ accessTokenExpiry: at(3_600_000) }), NOW)).toBeUndefined();
  });

  it('reads an expiry it cannot parse as none, instead of refusing the file', () => {
    const token = parseTokenFile(JSON.stringify({ refresh_token: '1//r', token: 'ya29.a', expiry: 'soon' }), 'token.json');
    expect(token.accessTokenExpiry).toBeUndefined();
    expect(storedAccessFresh(token, NOW)).toBe(false);
  });
});

describe('the token file with a refreshed access token', () => {
  const access = { accessToken: 'ya29.new', expiresAt: at(3_599_000) };

  it('changes token and expiry in place and keeps everything else, layout included', () => {
    const text = '{\n    "refresh_token": "1//r",\n    "token": "ya29.old",\n    "extra": [1, {"a": null}],\n    "expiry": "2020-01-01T00:00:00Z"\n}\n';
    const updated = tokenFileWithAccess(text, '1//r', access);
    expect(updated).toBe('{\n    "refresh_token": "1//r",\n    "token": "ya29.new",\n    "extra": [1, {"a": null}],\n    "expiry": "2026-11-28T12:59:59.000Z"\n}\n');
  });

  it('updates access_token when the file names it so, and adds expiry when missing', () => {
    const updated = tokenFileWithAccess('{"refresh_token":"1//r","access_token":"ya29.old"}', '1//r', access);
    expect(updated).toBe('{"refresh_token":"1//r","access_token":"ya29.new","expiry":"2026-11-28T12:59:59.000Z"}');
  });

  it.each([
    ['another refresh token', '{"refresh_token":"1//other","token":"ya29.old"}'],
    ['no refresh token', '{"token":"ya29.old"}'],
    ['not JSON', '{"refresh_token":"1//r",'],
    ['not an object', '["1//r"]'],
  ])('is nothing when the file now holds %s', (_, text) => {
    expect(tokenFileWithAccess(text, '1//r', access)).toBeUndefined();
  });
});
