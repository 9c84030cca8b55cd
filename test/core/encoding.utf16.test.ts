import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeDotenv } from '../../src/core/dotenv-merge.js';
import { utf16Encoding } from '../../src/core/encoding.js';
import { usageMessage } from '../helpers/usage.js';
import { runs } from '../helpers/properties.js';

/** Issue 19, item 11: UTF-16 is told from UTF-8 by its BOM, or by the NULs of ASCII text without one. */

describe('utf16Encoding', () => {
  it('names UTF-16 by BOM or NUL pattern', () => {
    expect(utf16Encoding(Buffer.from([0xff, 0xfe, 0x41, 0x00]))).toBe('UTF-16LE');
    expect(utf16Encoding(Buffer.from([0xfe, 0xff, 0x00, 0x41]))).toBe('UTF-16BE');
    expect(utf16Encoding(Buffer.from('A=1\nB=2\n', 'utf16le'))).toBe('UTF-16LE');
    expect(utf16Encoding(Buffer.from('A=1\nB=2\n', 'utf16le').swap16())).toBe('UTF-16BE');
  });

  it('never takes UTF-8 text for UTF-16, a BOM, non-ASCII and an odd length included', () => {
    expect(utf16Encoding(Buffer.from('\ufeffA=é\n'))).toBeUndefined();
    expect(utf16Encoding(Buffer.from(''))).toBeUndefined();
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        expect(utf16Encoding(Buffer.from(text.replace(/\0/g, ''), 'utf8'))).toBeUndefined();
      }),
      runs(500),
    );
  });
});

describe('the .env update', () => {
  it('refuses a UTF-16 file rather than append UTF-8 lines to it', () => {
    const existing = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('DEBUG=true\r\n', 'utf16le')]);
    const message = usageMessage(() => mergeDotenv(existing, [['GMAIL_API_REFRESH_TOKEN', '1//x']]));
    expect(message).toMatch(/^\.env is UTF-16LE text .*Save it as UTF-8, or let gmail-token write it with -o \.env\.$/);
  });
});

describe('utf16Encoding at its edges', () => {
  const utf16le = (text: string) => Buffer.from(text, 'utf16le');
  const withBom = (bom: number[], body: Buffer) => Buffer.concat([Buffer.from(bom), body]);

  it('a BOM alone names it, even when no character after it has a NUL byte', () => {
    expect(utf16Encoding(withBom([0xff, 0xfe], utf16le('日本語=値')))).toBe('UTF-16LE');
    expect(utf16Encoding(withBom([0xfe, 0xff], utf16le('日本語=値').swap16()))).toBe('UTF-16BE');
  });

  it('half of the bytes NUL on one side is enough; NULs on both sides are not UTF-16', () => {
    expect(utf16Encoding(utf16le('A日B本'))).toBe('UTF-16LE');
    expect(utf16Encoding(utf16le('A日B本').swap16())).toBe('UTF-16BE');
    expect(utf16Encoding(Buffer.alloc(8))).toBeUndefined();
  });

  it('judges four bytes, and leaves out an odd last byte', () => {
    expect(utf16Encoding(utf16le('A='))).toBe('UTF-16LE');
    expect(utf16Encoding(utf16le('A'))).toBeUndefined();
    expect(utf16Encoding(Buffer.concat([utf16le('A=1\n'), Buffer.from([0])]))).toBe('UTF-16LE');
  });

  it('Latin-1 text with þ (FE) or ÿ (FF) beside an ASCII letter has no BOM', () => {
    for (const bytes of [[0x41, 0xfe], [0xff, 0x41], [0xfe, 0x41], [0x41, 0xff]]) {
      expect(utf16Encoding(Buffer.from([...bytes, 0x3d, 0x31, 0x0a])), bytes.join(' ')).toBeUndefined();
    }
  });
});
