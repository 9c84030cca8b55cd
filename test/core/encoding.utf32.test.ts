import { describe, expect, it } from 'vitest';
import { mergeDotenv } from '../../src/core/dotenv-merge.js';
import { wideEncoding } from '../../src/core/encoding.js';
import { usageMessage } from '../helpers/usage.js';

/** Review 1, nit: a UTF-32 .env was refused as "UTF-16LE text", since its BOM begins with UTF-16LE's. */

const utf32le = (text: string) => Buffer.from(Array.from(text).flatMap((char) => [...Buffer.from(Uint32Array.of(char.codePointAt(0) ?? 0).buffer)]));

describe('wideEncoding', () => {
  it('names UTF-32 by its BOM, little- and big-endian', () => {
    const little = utf32le('\ufeffA=1\n');
    expect(wideEncoding(little)).toBe('UTF-32LE');
    expect(wideEncoding(Buffer.from(little).swap32())).toBe('UTF-32BE');
  });

  it('still names UTF-16, and UTF-8 as none', () => {
    expect(wideEncoding(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('A=1\n', 'utf16le')]))).toBe('UTF-16LE');
    expect(wideEncoding(Buffer.from('A=1\n', 'utf16le').swap16())).toBe('UTF-16BE');
    expect(wideEncoding(Buffer.from('\ufeffA=1\n'))).toBeUndefined();
  });
});

it('the .env update refuses a UTF-32 file by its name, untouched', () => {
  const message = usageMessage(() => mergeDotenv(utf32le('\ufeffDEBUG=true\r\n'), [['GMAIL_API_REFRESH_TOKEN', '1//x']]));
  expect(message).toBe('.env is UTF-32LE text, which dotenv and gmail-token read as UTF-8. Save it as UTF-8, or let gmail-token write it with -o .env.');
});

describe('wideEncoding: only a whole UTF-32 BOM is one', () => {
  const cases: [number[], string | undefined][] = [
    [[0xff, 0xfe, 0x00, 0x41], 'UTF-16LE'], // UTF-16LE BOM, then U+4100
    [[0xff, 0x41, 0x00, 0x00], undefined],
    [[0x41, 0xfe, 0x00, 0x00], undefined],
    [[0x00, 0x00, 0xfe, 0x41], undefined],
    [[0x00, 0x00, 0x41, 0xff], undefined],
    [[0x00, 0x41, 0xfe, 0xff], 'UTF-16BE'],
    [[0x41, 0x00, 0xfe, 0xff], 'UTF-16LE'],
  ];
  it.each(cases)('%j is %s', (bytes, expected) => {
    expect(wideEncoding(Buffer.from(bytes))).toBe(expected);
  });
});
