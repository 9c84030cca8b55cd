import { UsageError } from './errors.js';

export type Utf16 = 'UTF-16LE' | 'UTF-16BE';
export type Utf32 = 'UTF-32LE' | 'UTF-32BE';

/** How many leading bytes the NUL pattern is judged on: a few lines of a .env. */
const SAMPLE = 256;

/**
 * Whether `bytes` are UTF-16, as Windows PowerShell 5.1's `>` and `Out-File` write (with a BOM),
 * or some editors without one. Without a BOM, text of ASCII characters has a NUL in every other
 * byte, which no UTF-8 .env or token.json has.
 */
export function utf16Encoding(bytes: Uint8Array): Utf16 | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'UTF-16LE';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'UTF-16BE';
  const judged = Math.min(bytes.length, SAMPLE);
  // Whole pairs only: an odd last byte belongs to no character.
  const sample = bytes.subarray(0, judged - (judged % 2));
  if (sample.length < 4) return undefined;
  let evenNuls = 0;
  let oddNuls = 0;
  sample.forEach((byte, index) => {
    if (byte === 0 && index % 2 === 0) evenNuls += 1;
    else if (byte === 0) oddNuls += 1;
  });
  const pairs = sample.length / 2;
  if (oddNuls >= pairs / 2 && evenNuls === 0) return 'UTF-16LE';
  if (evenNuls >= pairs / 2 && oddNuls === 0) return 'UTF-16BE';
  return undefined;
}

/**
 * UTF-32 by its BOM (`Out-File -Encoding utf32` writes one). Its little-endian BOM begins with
 * UTF-16LE's, so it is judged first: FF FE 00 00 as UTF-16 would be a NUL character, which no
 * .env starts with.
 */
export function wideEncoding(bytes: Uint8Array): Utf16 | Utf32 | undefined {
  const [first, second, third, fourth] = bytes;
  if (first === 0xff && second === 0xfe && third === 0 && fourth === 0) return 'UTF-32LE';
  if (first === 0 && second === 0 && third === 0xfe && fourth === 0xff) return 'UTF-32BE';
  return utf16Encoding(bytes);
}

/**
 * Read as UTF-8, a UTF-16 (or UTF-32) .env looks like one without our keys, and an update would
 * append UTF-8 lines to it that nothing reads back: it is refused by name instead, untouched.
 */
export function refuseWideEncoding(bytes: Uint8Array, file: string): void {
  const encoding = wideEncoding(bytes);
  if (encoding === undefined) return;
  const source = encoding.startsWith('UTF-16') ? " (what Windows PowerShell 5.1's > writes)" : '';
  throw new UsageError(
    `${file} is ${encoding} text${source}, which dotenv and gmail-token read as UTF-8. Save it as UTF-8, or let gmail-token write it with -o ${file}.`,
  );
}
