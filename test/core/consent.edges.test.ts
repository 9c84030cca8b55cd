import { describe, expect, it } from 'vitest';
import { GOOGLE_ISSUER, consentUrl, parseCallback, parsePasted } from '../../src/core/consent.js';
const EXPECTED = { path: '/cb', state: 'our-state' };

describe('consent URL and callback', () => {
  const request = { clientId: 'c', redirectUri: 'http://127.0.0.1:1/cb', scopes: ['a', 'b'], state: 's', codeChallenge: 'ch' };

  it('carries a login hint only when there is one', () => {
    expect(new URL(consentUrl('https://x/auth', request)).searchParams.has('login_hint')).toBe(false);
    expect(new URL(consentUrl('https://x/auth', { ...request, loginHint: '' })).searchParams.has('login_hint')).toBe(false);
    expect(new URL(consentUrl('https://x/auth', { ...request, loginHint: 'a@b.c' })).searchParams.get('login_hint')).toBe('a@b.c');
  });

  it('a request with no query at all is refused, not read', () => {
    expect(parseCallback('/cb', EXPECTED)).toEqual({ kind: 'rejected', reason: 'state does not match' });
    expect(parseCallback('/cb?state=our-state', EXPECTED)).toEqual({ kind: 'rejected', reason: 'no code and no error' });
  });

  it('an error keeps its description only when Google gave one', () => {
    expect(parseCallback('/cb?state=our-state&error=access_denied', EXPECTED)).toStrictEqual({ kind: 'error', error: 'access_denied' });
    expect(parseCallback('/cb?state=our-state&error=x&error_description=why%20not', EXPECTED)).toStrictEqual({ kind: 'error', error: 'x', description: 'why not' });
    expect(parseCallback('/cb?state=our-state&error=x&error=y', EXPECTED)).toEqual({ kind: 'rejected', reason: 'no code and no error' });
  });

  it('a pasted URL or code, judged, with a reason for each refusal', () => {
    const url = 'http://127.0.0.1:1/cb?state=our-state&code=4%2F0abc&scope=a%20b';
    expect(parsePasted(`  ${url}\n`, EXPECTED)).toEqual({ kind: 'code', code: '4/0abc', scopes: ['a', 'b'] });
    expect(parsePasted('HTTPS://127.0.0.1:1/cb?state=our-state&error=access_denied', EXPECTED)).toEqual({ kind: 'error', error: 'access_denied' });
    expect(parsePasted(' \n', EXPECTED)).toEqual({ kind: 'invalid', problem: 'Nothing was pasted.' });
    expect(parsePasted('http://[oops/cb', EXPECTED)).toEqual({ kind: 'invalid', problem: 'That is not a whole URL; copy the full address from the browser.' });
    expect(parsePasted('http://127.0.0.1:1/other?state=our-state&code=x', EXPECTED)).toEqual({ kind: 'invalid', problem: "That URL is not this run's redirect (its path should be /cb)." });
    expect(parsePasted('http://127.0.0.1:1/cb?state=forged&code=x', EXPECTED)).toEqual({
      kind: 'invalid',
      problem: "That URL does not carry this run's state; paste the address from the consent you just gave.",
    });
    expect(parsePasted('4/0abc', EXPECTED)).toEqual({ kind: 'code', code: '4/0abc', scopes: [] });
    const neither = { kind: 'invalid', problem: 'Paste the whole URL from the browser address bar, or just the value of its code parameter.' };
    expect(parsePasted('x http://127.0.0.1:1/cb?state=our-state&code=x', EXPECTED)).toEqual(neither);
    expect(parsePasted('4/0a%E0%A4%A', EXPECTED)).toEqual({ kind: 'invalid', problem: 'That code is not well formed; paste the whole URL instead.' });
    expect(parseCallback('/cb?state=our-state&code=c', EXPECTED)).toEqual({ kind: 'code', code: 'c', scopes: [] });
  });
});

describe('the callback names its issuer (RFC 9207 iss)', () => {
  const expected = { path: '/cb', state: 'good-state' };
  const google = `iss=${encodeURIComponent(GOOGLE_ISSUER)}`;
  const refused = { kind: 'rejected', reason: 'its issuer (iss) is not the one consent was asked of' };

  it("Google's iss, or none, is accepted by default; another, or Google's twice, is refused like a wrong state", () => {
    expect(parseCallback(`/cb?state=good-state&${google}&code=c&scope=a`, expected)).toEqual({ kind: 'code', code: 'c', scopes: ['a'] });
    expect(parseCallback('/cb?state=good-state&code=c', expected)).toEqual({ kind: 'code', code: 'c', scopes: [] });
    expect(parseCallback('/cb?state=good-state&iss=https%3A%2F%2Fevil.example&code=c', expected)).toEqual(refused);
    expect(parseCallback(`/cb?state=good-state&${google}&${google}&code=c`, expected)).toEqual(refused);
    expect(parseCallback('/cb?state=good-state&iss=&code=c', expected)).toEqual(refused);
    expect(parseCallback('/cb?state=good-state&iss=https%3A%2F%2Fevil.example&error=access_denied', expected)).toEqual(refused);
  });

  it('a wrong state is told before a wrong issuer', () => {
    expect(parseCallback('/cb?state=bad-state&iss=x&code=c', expected)).toEqual({ kind: 'rejected', reason: 'state does not match' });
  });

  it('the issuers given (the emulator) replace Google', () => {
    const emulator = { ...expected, issuers: ['http://127.0.0.1:9'] };
    expect(parseCallback('/cb?state=good-state&iss=http%3A%2F%2F127.0.0.1%3A9&code=c', emulator)).toEqual({ kind: 'code', code: 'c', scopes: [] });
    expect(parseCallback(`/cb?state=good-state&${google}&code=c`, emulator)).toEqual(refused);
  });

  it('a redirect URI whose path is / (a Desktop client on its root) reads the query after it', () => {
    expect(parseCallback('/?state=good-state&code=c', { ...expected, path: '/' })).toEqual({ kind: 'code', code: 'c', scopes: [] });
  });

  it('--manual: a pasted redirect from another issuer is refused saying so, not as a wrong state', () => {
    const paste = (query: string) => parsePasted(`http://127.0.0.1:1/cb?${query}`, expected);
    expect(paste('state=good-state&iss=https%3A%2F%2Fevil.example&code=c')).toEqual({
      kind: 'invalid',
      problem: 'That URL was refused: its issuer (iss) is not the one consent was asked of.',
    });
    expect(paste('state=other&code=c')).toEqual({
      kind: 'invalid',
      problem: "That URL does not carry this run's state; paste the address from the consent you just gave.",
    });
  });
});
