import { describe, expect, it } from 'vitest';
import { consentUrl, parseCallback } from '../../src/core/consent.js';
import { resolveEndpoints } from '../../src/core/endpoints.js';

describe('consentUrl', () => {
  it('asks for offline access with PKCE S256 and forced consent', () => {
    const url = new URL(
      consentUrl('https://accounts.google.com/o/oauth2/v2/auth', {
        clientId: 'cid',
        redirectUri: 'http://127.0.0.1:5000/oauth2callback',
        scopes: ['a', 'b'],
        state: 'st',
        codeChallenge: 'ch',
        loginHint: 'me@example.com',
      }),
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'cid',
      redirect_uri: 'http://127.0.0.1:5000/oauth2callback',
      scope: 'a b',
      state: 'st',
      code_challenge: 'ch',
      code_challenge_method: 'S256',
      access_type: 'offline',
      prompt: 'consent',
      login_hint: 'me@example.com',
    });
  });
});

describe('parseCallback', () => {
  const expected = { path: '/cb', state: 'good-state' };

  it('accepts the code with the right state on the right path', () => {
    expect(parseCallback('/cb?code=c1&scope=a%20b&state=good-state', expected)).toEqual({ kind: 'code', code: 'c1', scopes: ['a', 'b'] });
  });

  it('passes on an error from Google', () => {
    expect(parseCallback('/cb?error=access_denied&state=good-state', expected)).toEqual({ kind: 'error', error: 'access_denied' });
  });

  it.each([
    '/cb?code=c1&state=bad',
    '/cb?code=c1',
    '/cb?code=c1&state=good-state&state=bad',
    '/cb?code=c1&state=good-stat',
    '/cb?state=good-state',
  ])('rejects %s', (target) => {
    expect(parseCallback(target, expected).kind).toBe('rejected');
  });

  it.each(['/', '/other?code=c&state=good-state', '//evil.example/cb?code=c&state=good-state', '/favicon.ico'])('does not know %s', (target) => {
    expect(parseCallback(target, expected).kind).toBe('not-found');
  });
});

describe('resolveEndpoints', () => {
  it('routes every Google request to the emulator on Google paths', () => {
    expect(resolveEndpoints({ emulatorHost: '127.0.0.1:9000', tokenUri: 'https://oauth2.googleapis.com/token' })).toEqual({
      consent: 'http://127.0.0.1:9000/o/oauth2/v2/auth',
      token: 'http://127.0.0.1:9000/token',
      revoke: 'http://127.0.0.1:9000/revoke',
      tokeninfo: 'http://127.0.0.1:9000/tokeninfo',
      userinfo: 'http://127.0.0.1:9000/v1/userinfo',
      send: 'http://127.0.0.1:9000/gmail/v1/users/me/messages/send',
    });
  });

  it('uses auth_uri and token_uri from the credentials file otherwise', () => {
    const endpoints = resolveEndpoints({ authUri: 'https://accounts.google.com/o/oauth2/auth', tokenUri: 'https://oauth2.googleapis.com/token' });
    expect(endpoints.consent).toBe('https://accounts.google.com/o/oauth2/auth');
    expect(endpoints.revoke).toBe('https://oauth2.googleapis.com/revoke');
  });

  it('rejects a malformed emulator host and a plain-http Google URL', () => {
    expect(() => resolveEndpoints({ emulatorHost: 'localhost' })).toThrow(/not host:port/);
    expect(() => resolveEndpoints({ tokenUri: 'http://example.com/token' })).toThrow(/must be an https URL/);
  });
});
