import { describe, expect, it } from 'vitest';
import { foreignTokenOrigin, foreignTokenWarning, resolveEndpoints } from '../../src/core/endpoints.js';

/** Issue 19, item 5: a token_uri outside Google's hosts is named before secrets are sent to it. */

const origin = (tokenUri: string | undefined, emulatorHost?: string) => foreignTokenOrigin(resolveEndpoints({ tokenUri, emulatorHost }), emulatorHost);

describe("the token endpoint's origin, when it is not Google's", () => {
  it("Google's token URIs, old and new, are not named", () => {
    for (const uri of [undefined, 'https://googleapis.com/token', 'https://oauth2.googleapis.com/token', 'https://accounts.google.com/o/oauth2/token', 'https://www.googleapis.com/oauth2/v4/token']) {
      expect(origin(uri)).toBeUndefined();
    }
  });

  it('any other host is named by its origin only (no path, no query)', () => {
    expect(origin('https://oauth2.googleapis.com.evil.example/token?x=1')).toBe('https://oauth2.googleapis.com.evil.example');
    expect(origin('https://evilgoogle.com/token')).toBe('https://evilgoogle.com');
    expect(origin('http://127.0.0.1:8089/token')).toBe('http://127.0.0.1:8089');
  });

  it('under GMAIL_TOKEN_EMULATOR_HOST, where the person chose to send everything, nothing is named', () => {
    expect(origin('https://elsewhere.example/token', '127.0.0.1:8089')).toBeUndefined();
  });
});

describe('foreignTokenWarning', () => {
  const endpoints = (tokenUri: string) => resolveEndpoints({ tokenUri, emulatorHost: undefined });

  it('names where the token_uri came from, its origin and what goes there', () => {
    expect(foreignTokenWarning(endpoints('https://evil.example/token?x=1'), undefined, 'credentials.json', 'the client secret goes there')).toBe(
      'The token_uri of credentials.json is at https://evil.example, which is not Google: the client secret goes there.',
    );
  });

  it("is undefined for Google's own endpoint", () => {
    expect(foreignTokenWarning(endpoints('https://oauth2.googleapis.com/token'), undefined, 'credentials.json', 'x')).toBeUndefined();
  });
});
