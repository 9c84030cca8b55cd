import { describe, expect, it } from 'vitest';
import { parsePort, parseTimeout } from '../../src/core/args.js';
import { isKeptEnv, keptByDemo, keptEnv, keptTokenJson } from '../../src/core/demo.js';
import { envLine } from '../../src/core/dotenv.js';
import { mergeDotenv } from '../../src/core/dotenv-merge.js';
import { parseKeepAction } from '../../src/core/keep-action.js';
import { envEntries, envText, tokenJson, type MintedToken } from '../../src/core/output.js';
import { printable } from '../../src/core/printable.js';
import { parseTokenFile, type StoredToken } from '../../src/core/stored-token.js';
import { escapeControls, neutralise, shown } from '../../src/core/terminal.js';
import { storedAccessFresh, tokenFileWithAccess, tokenFileWithoutAccess } from '../../src/core/token-cache.js';
import { usageMessage } from '../helpers/usage.js';

/**
 * src/core modules added after the first mutation run (terminal, token-cache, args' strict numbers,
 * printable, keep-action, the .env byte merge, the demo's kept files), tested in-process where the CLI tests reach them only through dist/.
 */

/** Every character the terminal must never receive as it is, listed by hand from terminal.ts's doc. */
const UNSAFE_RANGES: [number, number][] = [
  [0x00, 0x1f],
  [0x7f, 0x9f],
  [0x61c, 0x61c],
  [0x200e, 0x200f],
  [0x2028, 0x2029],
  [0x202a, 0x202e],
  [0x2066, 0x2069],
];
const isUnsafe = (code: number) => UNSAFE_RANGES.some(([low, high]) => code >= low && code <= high);

describe('the neutraliser, character by character', () => {
  it('turns each unsafe character of the Basic Multilingual Plane into a space and keeps every other one', () => {
    const wrong: string[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      const character = String.fromCharCode(code);
      const expected = isUnsafe(code) ? 'a b' : `a${character}b`;
      if (neutralise(`a${character}b`) !== expected) wrong.push(code.toString(16));
    }
    expect(wrong).toEqual([]);
  });

  it('makes a run of them one space, and every run in the text', () => {
    expect(neutralise('error\u001b]0;owned\u0007\r\n\u202eforged\u009b31m')).toBe('error ]0;owned forged 31m');
    expect(neutralise('\r\n\r\n')).toBe(' ');
    expect(neutralise('plain text')).toBe('plain text');
  });
});

describe('the escapes shown for what the person typed', () => {
  it('shows each unsafe character as \\xNN below U+0100 and \\uNNNN above, and nothing else', () => {
    expect(escapeControls('\u0000\u0007\u001b\u007f\u009b')).toBe('\\x00\\x07\\x1b\\x7f\\x9b');
    expect(escapeControls('\u061c\u200e\u2028\u202e\u2069')).toBe('\\u061c\\u200e\\u2028\\u202e\\u2069');
    expect(escapeControls('a\u001bb\u001bc')).toBe('a\\x1bb\\x1bc');
    expect(escapeControls('plain ÿ Ā text')).toBe('plain ÿ Ā text');
  });

  it('quotes a value, escaping its backslashes and quotes first so the escapes cannot be forged', () => {
    expect(shown('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(shown('\\x1b\u001b')).toBe('"\\\\x1b\\x1b"');
    expect(shown('"\\"')).toBe('"\\"\\\\\\""');
  });
});

describe('text from the network, made printable', () => {
  it('is neutralised and cut at 200 characters, or at the length asked; anything not a string is nothing', () => {
    expect(printable('x'.repeat(250))).toBe('x'.repeat(200));
    expect(printable('a\r\nb', 2)).toBe('a ');
    expect(printable('ok')).toBe('ok');
    for (const value of [undefined, null, 42, { message: 'x' }]) expect(printable(value)).toBeUndefined();
  });
});

describe('strict numbers', () => {
  it('--port and --timeout refuse seven digits even when they name a number in range', () => {
    expect(parsePort('008085')).toBe(8085);
    expect(usageMessage(() => parsePort('0008085'))).toMatch(/^--port "0008085" is not a port\./);
    expect(parseTimeout('000300')).toBe(300);
    expect(usageMessage(() => parseTimeout('0000300'))).toMatch(/^--timeout "0000300" is not a number of seconds\./);
  });

  it('refuses any character around the digits, at either end', () => {
    for (const bad of ['5 ', ' 5', '5\n', '\n5', 'a5', '5a', '٥', '5.']) {
      expect(usageMessage(() => parsePort(bad))).toMatch(/is not a port\./);
      expect(usageMessage(() => parseTimeout(bad))).toMatch(/is not a number of seconds\./);
    }
  });

  it('escapes what it quotes back', () => {
    expect(usageMessage(() => parsePort('\u001b[2J'))).toBe('--port "\\x1b[2J" is not a port. Use a whole number from 1 to 65535, or 0 for any free port.');
  });
});

describe('--if-unwritable', () => {
  it('defaults to asking on a terminal and to a file beside the output elsewhere', () => {
    expect(parseKeepAction(undefined, true)).toBe('ask');
    expect(parseKeepAction(undefined, false)).toBe('beside');
    for (const action of ['beside', 'stdout', 'revoke'] as const) {
      expect(parseKeepAction(action, false)).toBe(action);
      expect(parseKeepAction(action, true)).toBe(action);
    }
    expect(parseKeepAction('ask', true)).toBe('ask');
  });

  it('refuses another word, and ask with no terminal, each with its own message', () => {
    expect(usageMessage(() => parseKeepAction('keep', true))).toBe('--if-unwritable must be one of: ask, beside, stdout, revoke.');
    expect(usageMessage(() => parseKeepAction('', false))).toBe('--if-unwritable must be one of: ask, beside, stdout, revoke.');
    expect(usageMessage(() => parseKeepAction('ask', false))).toBe('--if-unwritable ask needs a terminal to ask on. Use beside, stdout or revoke.');
  });
});

const NOW = new Date('2026-11-28T12:00:00.000Z');
const HALF_HOUR = new Date(NOW.getTime() + 1_800_000);
const stored = (accessToken: string): StoredToken => ({ source: 'token.json', refreshToken: '1//r', accessToken, accessTokenExpiry: HALF_HOUR });

describe('the stored access token shape', () => {
  it('is checked from its first character to its last', () => {
    for (const accessToken of [' ya29.a', '\r\nya29.a', '"ya29.a', 'ya29.a ', 'ya29.a\n', 'ya29.a==\n']) {
      expect(storedAccessFresh(stored(accessToken), NOW)).toBe(false);
    }
    expect(storedAccessFresh(stored('a'), NOW)).toBe(true);
    expect(storedAccessFresh(stored('ya29.a=='), NOW)).toBe(true);
  });
});

describe('the token file, edited in place', () => {
  const access = { accessToken: 'ya29.new', expiresAt: new Date('2026-11-28T12:59:59.000Z') };

  it('keeps a compact file compact, even when a value inside it spans lines', () => {
    expect(tokenFileWithAccess('{"refresh_token":"1//r","extra":{\n  "a":1}}', '1//r', access)).toBe(
      '{"refresh_token":"1//r","extra":{"a":1},"token":"ya29.new","expiry":"2026-11-28T12:59:59.000Z"}',
    );
  });

  it('keeps the indentation of a file with CRLF or tab indents', () => {
    expect(tokenFileWithAccess('{\r\n  "refresh_token": "1//r",\r\n  "token": "ya29.old"\r\n}', '1//r', access)).toBe(
      '{\n  "refresh_token": "1//r",\n  "token": "ya29.new",\n  "expiry": "2026-11-28T12:59:59.000Z"\n}',
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

describe('the .env update, on bytes that are not UTF-8', () => {
  it('cuts lines only at a whole U+2028 (E2 80 A8), never at a stray 80 A8 after another byte', () => {
    const entry: [string, string] = ['GMAIL_API_REFRESH_TOKEN', '1//0new'];
    const before = Buffer.concat([Buffer.from('A=x'), Buffer.from([0x80, 0xa8]), Buffer.from('\nGMAIL_API_REFRESH_TOKEN=old\nB=y\n')]);
    const after = Buffer.concat([Buffer.from('A=x'), Buffer.from([0x80, 0xa8]), Buffer.from(`\n${envLine(entry)}\nB=y\n`)]);
    expect(mergeDotenv(before, [entry]).equals(after)).toBe(true);
  });
});

const MINTED: MintedToken = {
  clientId: 'id.apps.googleusercontent.com',
  clientSecret: 'GOCSPX-secret',
  refreshToken: '1//0refresh',
  accessToken: 'ya29.access',
  tokenUri: 'http://127.0.0.1:9/token',
  scopes: ['https://www.googleapis.com/auth/gmail.send'],
  expiry: new Date('2026-11-28T12:59:59.000Z'),
  account: 'you@example.com',
};

describe("the files the demo keeps, marked as the emulator's", () => {
  it("token.json: mint's fields after a note under gmail_token_demo, two-space indented, newline-ended; the real commands refuse it", () => {
    const text = keptTokenJson(MINTED);
    const record = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(record)[0]).toBe('gmail_token_demo');
    expect(record.gmail_token_demo).toMatch(/^Emulator token from `gmail-token demo`: .*Mint a real one with `gmail-token mint`\.$/);
    expect(Object.fromEntries(Object.entries(record).slice(1))).toEqual(JSON.parse(tokenJson(MINTED)));
    expect(text).toBe(JSON.stringify(record, null, 2) + '\n');
    expect(usageMessage(() => parseTokenFile(text, 'kept.json'))).toBe(
      'kept.json holds an emulator token kept by `gmail-token demo`; it works with nothing else. Mint a real one with `gmail-token mint`.',
    );
  });

  it(".env: a comment line naming the demo, then mint's env lines; only a file starting with it is the demo's", () => {
    const text = keptEnv(MINTED);
    const [first, ...rest] = text.split('\n');
    expect(first).toMatch(/^# gmail_token_demo: Emulator token from `gmail-token demo`: /);
    expect(rest.join('\n')).toBe(envText(envEntries('GMAIL_API_', MINTED)));
    expect(isKeptEnv(text)).toBe(true);
    expect(isKeptEnv(`X=1\n${first ?? ''}`)).toBe(false);
    expect(isKeptEnv(envText(envEntries('GMAIL_API_', MINTED)))).toBe(false);
  });

  it('the refusal of a kept .env also says how to keep a real token written into it', () => {
    expect(keptByDemo('.env', '.env')).toBe(
      '.env holds an emulator token kept by `gmail-token demo`; it works with nothing else. Mint a real one with `gmail-token mint`. If a real token has since been written into it, delete its first line.',
    );
    expect(keptByDemo('token.json', 'token.json')).toBe(
      'token.json holds an emulator token kept by `gmail-token demo`; it works with nothing else. Mint a real one with `gmail-token mint`.',
    );
  });
});
