import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { objectSpans } from '../../src/core/json-bytes.js';
import { parseTokenFile } from '../../src/core/stored-token.js';
import { tokenFileWithAccess, tokenFileWithoutAccess } from '../../src/core/token-cache.js';

/**
 * The write-back and revoke's clean-up change only the bytes of `token` and `expiry` (issue 19.6):
 * re-serialising token.json lost big integers, 1e400, duplicate keys, Latin-1 bytes and CRLF.
 */

const access = { accessToken: 'ya29.new', expiresAt: new Date('2026-11-28T12:59:59.000Z') };
const NEW_EXPIRY = '"2026-11-28T12:59:59.000Z"';

function bytes(...parts: (string | number[])[]): Buffer {
  return Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part))));
}

describe('the write-back changes only the two values', () => {
  it('keeps a big integer, 1e400, a duplicate key, Latin-1 bytes and CRLF exactly', () => {
    const before = bytes(
      '{\r\n  "refresh_token": "1//r",\r\n  "n": 12345678901234567890123,\r\n  "huge": 1e400,\r\n  "dup": 1,\r\n  "dup": 2,\r\n  "name": "Jos',
      [0xe9],
      '",\r\n  "token": "ya29.old",\r\n  "expiry": "2020-01-01T00:00:00Z"\r\n}\r\n',
    );
    const after = tokenFileWithAccess(before, '1//r', access);
    expect(after).toEqual(
      bytes(
        '{\r\n  "refresh_token": "1//r",\r\n  "n": 12345678901234567890123,\r\n  "huge": 1e400,\r\n  "dup": 1,\r\n  "dup": 2,\r\n  "name": "Jos',
        [0xe9],
        `",\r\n  "token": "ya29.new",\r\n  "expiry": ${NEW_EXPIRY}\r\n}\r\n`,
      ),
    );
  });

  it('keeps a UTF-8 byte order mark, and reads through it', () => {
    const before = bytes([0xef, 0xbb, 0xbf], '{"refresh_token": "1//r", "token": "ya29.old"}');
    expect(tokenFileWithAccess(before, '1//r', access)).toEqual(bytes([0xef, 0xbb, 0xbf], `{"refresh_token": "1//r", "token": "ya29.new", "expiry": ${NEW_EXPIRY}}`));
    const stored = parseTokenFile(before.toString('utf8'), 'token.json');
    expect(stored.refreshToken).toBe('1//r');
  });

  it('sets every copy of a duplicated token, so any reader gets the new one', () => {
    expect(tokenFileWithAccess('{"refresh_token":"1//r","token":"a","token":"b"}', '1//r', access)).toBe(
      `{"refresh_token":"1//r","token":"ya29.new","token":"ya29.new","expiry":${NEW_EXPIRY}}`,
    );
  });

  it('adds the keys in the style of the file: CRLF and its indentation, or one line', () => {
    expect(tokenFileWithAccess('{\r\n    "refresh_token" : "1//r"\r\n}', '1//r', access)).toBe(
      `{\r\n    "refresh_token" : "1//r",\r\n    "token" : "ya29.new",\r\n    "expiry" : ${NEW_EXPIRY}\r\n}`,
    );
    expect(tokenFileWithAccess('{"refresh_token": "1//r", "scopes": []}', '1//r', access)).toBe(
      `{"refresh_token": "1//r", "scopes": [], "token": "ya29.new", "expiry": ${NEW_EXPIRY}}`,
    );
  });

  it('leaves alone what is not JSON, not an object, or another grant', () => {
    for (const text of ['{"refresh_token":"1//r",', '["1//r"]', '{"refresh_token":"1//other"}', '{"refresh_token":"1//r"} x']) {
      expect(tokenFileWithAccess(text, '1//r', access)).toBeUndefined();
    }
  });
});

describe("revoke's clean-up removes only those members", () => {
  it('keeps the rest byte for byte, CRLF, big numbers and Latin-1 included', () => {
    const before = bytes('{\r\n  "token": "a",\r\n  "refresh_token": "1//r",\r\n  "n": 1e400,\r\n  "name": "', [0xe9], '",\r\n  "expiry": "x"\r\n}\r\n');
    expect(tokenFileWithoutAccess(before, '1//r')).toEqual(bytes('{\r\n  "refresh_token": "1//r",\r\n  "n": 1e400,\r\n  "name": "', [0xe9], '"\r\n}\r\n'));
  });

  it('removes duplicates too, and is nothing when none is there', () => {
    expect(tokenFileWithoutAccess('{"refresh_token":"1//r","token":"a","token":"b","x":[{"token":1}]}', '1//r')).toBe('{"refresh_token":"1//r","x":[{"token":1}]}');
    expect(tokenFileWithoutAccess('{"refresh_token":"1//r","x":{"token":1}}', '1//r')).toBeUndefined();
  });
});

describe('objectSpans', () => {
  it('finds members whose values hold brackets, quotes and escapes inside strings', () => {
    const text = '{"a":"}\\"]","b":[1,{"c":"{"}],"d":-1.5e+3,"e":true}';
    const spans = objectSpans(Buffer.from(text));
    expect(spans?.members.map((m) => [m.key, text.slice(m.valueStart, m.valueEnd)])).toEqual([
      ['a', '"}\\"]"'],
      ['b', '[1,{"c":"{"}]'],
      ['d', '-1.5e+3'],
      ['e', 'true'],
    ]);
  });

  it('handles nesting far deeper than a recursive scanner could', () => {
    const deep = `{"refresh_token":"1//r","x":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    expect(tokenFileWithAccess(deep, '1//r', access)).toBe(`${deep.slice(0, -1)},"token":"ya29.new","expiry":${NEW_EXPIRY}}`);
  });
});

/** Any JSON object that holds our refresh token, laid out any way JSON.stringify can. */
const tokenFiles = fc
  .record({
    extra: fc.dictionary(
      fc.string().filter((key) => !['__proto__', 'refresh_token', 'token', 'access_token', 'expiry'].includes(key)),
      fc.jsonValue(),
      { maxKeys: 5 },
    ),
    hasToken: fc.boolean(),
    hasExpiry: fc.boolean(),
    indent: fc.constantFrom(undefined, 2, '\t', 4),
    crlf: fc.boolean(),
  })
  .map(({ extra, hasToken, hasExpiry, indent, crlf }) => {
    const record: Record<string, unknown> = { refresh_token: '1//r', ...extra };
    if (hasToken) record.token = 'ya29.OLD';
    if (hasExpiry) record.expiry = '2020-01-01T00:00:00Z';
    const text = JSON.stringify(record, null, indent);
    // As read back: -0 is written 0.
    return { record: JSON.parse(text) as Record<string, unknown>, text: crlf ? text.replace(/\n/g, '\r\n') : text };
  });

describe('properties', () => {
  it('the write-back reads as the file with the new token and expiry, and nothing else changed', () => {
    fc.assert(
      fc.property(tokenFiles, ({ record, text }) => {
        const after = tokenFileWithAccess(text, '1//r', access) as string;
        expect(JSON.parse(after)).toEqual({ ...record, token: 'ya29.new', expiry: '2026-11-28T12:59:59.000Z' });
        let reverted = 'token' in record ? after.replace('"ya29.new"', '"ya29.OLD"') : after;
        if ('expiry' in record) reverted = reverted.replace(NEW_EXPIRY, '"2020-01-01T00:00:00Z"');
        if ('token' in record && 'expiry' in record) expect(reverted).toBe(text);
        else expect(reverted.startsWith(text.slice(0, text.lastIndexOf('}')).trimEnd())).toBe(true);
      }),
    );
  });

  it("revoke's clean-up reads as the file without them, and is valid JSON", () => {
    fc.assert(
      fc.property(tokenFiles, ({ record, text }) => {
        const after = tokenFileWithoutAccess(text, '1//r');
        const rest = Object.fromEntries(Object.entries(record).filter(([key]) => key !== 'token' && key !== 'expiry'));
        if (!('token' in record) && !('expiry' in record)) expect(after).toBeUndefined();
        else expect(JSON.parse(after as string)).toEqual(rest);
      }),
    );
  });
});

describe('objectSpans', () => {
  it('is undefined for JSON whose top level is not an object', () => {
    for (const text of ['42', '"token"', 'null', 'true', '[{"token": "x"}]']) expect(objectSpans(Buffer.from(text)), text).toBeUndefined();
  });

  it('reads past a number with a capital exponent to the members after it', () => {
    const spans = objectSpans(Buffer.from('{"n": 1E5, "m": -2.5E-3, "token": "ya29.old"}'));
    expect(spans?.members.map((member) => member.key)).toEqual(['n', 'm', 'token']);
  });
});
