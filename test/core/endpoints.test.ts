import { describe, expect, it } from 'vitest';
import { acceptedIssuers, resolveEndpoints } from '../../src/core/endpoints.js';
import { usageMessage } from '../helpers/usage.js';

describe('endpoints', () => {
  it("Google's own by default; the credentials file's auth_uri and token_uri when given", () => {
    expect(resolveEndpoints({})).toEqual({
      consent: 'https://accounts.google.com/o/oauth2/v2/auth',
      token: 'https://oauth2.googleapis.com/token',
      revoke: 'https://oauth2.googleapis.com/revoke',
      tokeninfo: 'https://oauth2.googleapis.com/tokeninfo',
      userinfo: 'https://openidconnect.googleapis.com/v1/userinfo',
      send: 'https://gmail.googleapis.com/gmail/v1/users/me/messages/send',
    });
    const own = resolveEndpoints({ authUri: 'https://accounts.example/auth', tokenUri: 'http://127.0.0.1:9/token' });
    expect([own.consent, own.token, own.revoke]).toEqual(['https://accounts.example/auth', 'http://127.0.0.1:9/token', 'https://oauth2.googleapis.com/revoke']);
    expect(resolveEndpoints({ tokenUri: 'http://localhost:9/t' }).token).toBe('http://localhost:9/t');
    expect(resolveEndpoints({ tokenUri: 'http://[::1]:9/t' }).token).toBe('http://[::1]:9/t');
  });

  it('refuses plain http off loopback, which would send secrets in the clear, and what is not a URL', () => {
    expect(usageMessage(() => resolveEndpoints({ tokenUri: 'http://oauth2.example/token' }))).toBe(
      'The token_uri "http://oauth2.example/token" must be an https URL. To use a local emulator, set GMAIL_TOKEN_EMULATOR_HOST.',
    );
    expect(usageMessage(() => resolveEndpoints({ authUri: 'ftp://127.0.0.1/x' }))).toMatch(/^The auth_uri "ftp:\/\/127\.0\.0\.1\/x" must be an https URL\./);
    expect(usageMessage(() => resolveEndpoints({ authUri: 'not a url' }))).toBe('The auth_uri "not a url" is not a URL. Download the credentials file again.');
  });

  it('with the emulator variable, every request goes to the emulator on Google’s paths', () => {
    expect(resolveEndpoints({ emulatorHost: '127.0.0.1:8089', tokenUri: 'https://ignored.example/token' })).toEqual({
      consent: 'http://127.0.0.1:8089/o/oauth2/v2/auth',
      token: 'http://127.0.0.1:8089/token',
      revoke: 'http://127.0.0.1:8089/revoke',
      tokeninfo: 'http://127.0.0.1:8089/tokeninfo',
      userinfo: 'http://127.0.0.1:8089/v1/userinfo',
      send: 'http://127.0.0.1:8089/gmail/v1/users/me/messages/send',
    });
    expect(resolveEndpoints({ emulatorHost: '[::1]:1' }).token).toBe('http://[::1]:1/token');
    expect(resolveEndpoints({ emulatorHost: 'localhost:65535' }).token).toBe('http://localhost:65535/token');
    for (const bad of ['127.0.0.1', '127.0.0.1:0', '127.0.0.1:65536', 'a b:1', 'x:1/path', ' 127.0.0.1:1', '127.0.0.1:1 ']) {
      expect(usageMessage(() => resolveEndpoints({ emulatorHost: bad }))).toBe(
        `GMAIL_TOKEN_EMULATOR_HOST="${bad}" is not host:port. Use what \`gmail-token emulator\` printed, e.g. 127.0.0.1:8089.`,
      );
    }
  });
});

describe('acceptedIssuers', () => {
  it('is Google alone, and the emulator too only under its variable', () => {
    expect(acceptedIssuers(undefined)).toEqual(['https://accounts.google.com']);
    expect(acceptedIssuers('')).toEqual(['https://accounts.google.com']);
    expect(acceptedIssuers('127.0.0.1:8089')).toEqual(['https://accounts.google.com', 'http://127.0.0.1:8089']);
  });
});
