import { describe, expect, it } from 'vitest';
import { tokenFileWithAccess, tokenFileWithoutAccess } from '../../src/core/token-cache.js';

describe('the token file, edited in place', () => {
  const access = { accessToken: 'ya29.new', expiresAt: new Date('2026-11-28T12:59:59.000Z') };

  it('keeps a compact file compact, and a value inside it as it was', () => {
    expect(tokenFileWithAccess('{"refresh_token":"1//r","extra":{\n  "a":1}}', '1//r', access)).toBe(
      '{"refresh_token":"1//r","extra":{\n  "a":1},"token":"ya29.new","expiry":"2026-11-28T12:59:59.000Z"}',
    );
  });

  it('keeps the indentation of a file with CRLF or tab indents', () => {
    expect(tokenFileWithAccess('{\r\n  "refresh_token": "1//r",\r\n  "token": "ya29.old"\r\n}', '1//r', access)).toBe(
      '{\r\n  "refresh_token": "1//r",\r\n  "token": "ya29.new",\r\n  "expiry": "2026-11-28T12:59:59.000Z"\r\n}',
    );
    expect(tokenFileWithAccess('{\n\t"refresh_token": "1//r"\n}\n', '1//r', access)).toBe(
      '{\n\t"refresh_token": "1//r",\n\t"token": "ya29.new",\n\t"expiry": "2026-11-28T12:59:59.000Z"\n}\n',
    );
  });

  it('writes token when the file has neither name or both, access_token only when that alone is there', () => {
    expect(tokenFileWithAccess('{"refresh_token":"1//r"}', '1//r', access)).toBe('{"refresh_token":"1//r","token":"ya29.new","expiry":"2026-11-28T12:59:59.000Z"}');
    expect(tokenFileWithAccess('{"refresh_token":"1//r","token":"a","access_token":"b"}', '1//r', access)).toBe(
      '{"refresh_token":"1//r","token":"ya29.new","access_token":"b","expiry":"2026-11-28T12:59:59.000Z"}',
    );
  });

  it('drops the access token and expiry under every name after a revoke, and keeps the rest', () => {
    const text = '{\n  "refresh_token": "1//r",\n  "token": "a",\n  "access_token": "b",\n  "expiry": "2026-11-28T12:59:59Z",\n  "scopes": []\n}\n';
    expect(tokenFileWithoutAccess(text, '1//r')).toBe('{\n  "refresh_token": "1//r",\n  "scopes": []\n}\n');
    expect(tokenFileWithoutAccess('{"token":"a","expiry":"x"}', undefined)).toBe('{}');
  });

  it('is nothing after a revoke when the file holds no access token, another grant, or no token object', () => {
    expect(tokenFileWithoutAccess('{"refresh_token":"1//r","scopes":[]}', '1//r')).toBeUndefined();
    expect(tokenFileWithoutAccess('{"refresh_token":"1//other","token":"a"}', '1//r')).toBeUndefined();
    for (const text of ['null', '5', '"token"', '[]', 'not json']) expect(tokenFileWithoutAccess(text, undefined)).toBeUndefined();
  });
});
