/**
 * Updating a .env in place: the file is bytes, cut into lines where dotenv's lines end, and only
 * the assignments of our keys are replaced. Reading it is dotenv.ts's part.
 */
import { assignments, envLine, parseDotenv, type EnvEntries } from './dotenv.js';
import { refuseWideEncoding } from './encoding.js';
import { UsageError } from './errors.js';

/**
 * Updates the given keys of an existing .env in place: each assignment of one of them (all its
 * lines, when its value runs over several) becomes one line, keys not yet there are appended, and
 * every other byte stays as it was (CRLF or lone CR line ends, bytes that are not UTF-8, a BOM,
 * other multi-line values, no final newline): the file is bytes, decoded only to be read.
 * The result is read back the way dotenv reads it, and a file it would change the reading of
 * (our lines swallowed by an open quote, say) is refused rather than written.
 */
export function mergeDotenv(existing: string, entries: EnvEntries): string;
export function mergeDotenv(existing: Uint8Array, entries: EnvEntries): Buffer;
export function mergeDotenv(existing: string | Uint8Array, entries: EnvEntries): string | Buffer {
  if (typeof existing === 'string') return mergeBytes(Buffer.from(existing, 'utf8'), entries).toString('utf8');
  return mergeBytes(Buffer.from(existing.buffer, existing.byteOffset, existing.byteLength), entries);
}

function mergeBytes(existing: Buffer, entries: EnvEntries): Buffer {
  // The caller names the file first; this keeps a file that turned UTF-16 since from being appended to.
  refuseWideEncoding(existing, '.env');
  const text = existing.toString('utf8');
  const inPlace = updateInPlace(existing, text, entries);
  if (inPlace.missing.length === 0 && readsAs(meantReading(text, entries), inPlace.updated)) return inPlace.updated;
  // Appending ends the last line first, and an ended `NAME:` is an assignment to dotenv.
  const eol = existing.includes('\r\n') ? '\r\n' : '\n';
  const ended = existing.length === 0 || existing.at(-1) === 0x0a ? existing : Buffer.concat([existing, Buffer.from(eol)]);
  const endedText = ended.toString('utf8');
  const { updated, missing } = updateInPlace(ended, endedText, entries);
  const appended = Buffer.from(missing.map((entry) => envLine(entry) + eol).join(''));
  // A last line `NAME:` would take the next line as its value; a blank line in between stops that.
  const meant = meantReading(endedText, entries);
  const candidates = [Buffer.concat([updated, appended]), Buffer.concat([updated, Buffer.from(eol), appended])];
  const result = candidates.find((candidate) => readsAs(meant, candidate));
  if (result !== undefined) return result;
  throw new UsageError(
    'The .env cannot be updated so that dotenv still reads every other key as before (a quote left open, or a U+2028 line separator?). Fix it, or choose another --out.',
  );
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Where each line of the file starts and where its content ends (before its line end), cut where
 * dotenv's lines end: it turns `\r\n` and a lone `\r` into `\n`, and its regex's `^` and `$` also
 * stop at U+2028 and U+2029 (in UTF-8 here). None of these bytes is ever part of another
 * character, so the lines decoded one by one are the lines of the decoded file, and an
 * assignment's line numbers point at the right bytes.
 */
function lineBounds(bytes: Buffer): { starts: number[]; ends: number[] } {
  const starts = [0];
  const ends: number[] = [];
  for (let i = 0; i < bytes.length; ) {
    const byte = bytes[i];
    let width = 0;
    if (byte === 0x0d) width = bytes[i + 1] === 0x0a ? 2 : 1;
    else if (byte === 0x0a) width = 1;
    else if (byte === 0xe2 && bytes[i + 1] === 0x80 && (bytes[i + 2] === 0xa8 || bytes[i + 2] === 0xa9)) width = 3;
    if (width === 0) {
      i++;
      continue;
    }
    ends.push(i);
    i += width;
    starts.push(i);
  }
  ends.push(bytes.length);
  return { starts, ends };
}

/** Our new line for an assignment that was `line`: its BOM and `export` kept, the rest ours. */
function replacementFor(line: Buffer, entry: [string, string]): Buffer {
  const bom = line.subarray(0, 3).equals(BOM) ? BOM : Buffer.alloc(0);
  const exported = /^\s*export\s/.test(line.toString('utf8')) ? 'export ' : '';
  return Buffer.concat([bom, Buffer.from(exported + envLine(entry))]);
}

function updateInPlace(existing: Buffer, text: string, entries: EnvEntries): { updated: Buffer; missing: EnvEntries } {
  const values = new Map(entries);
  const { starts, ends } = lineBounds(existing);
  const pieces: Buffer[] = [];
  let copied = 0;
  const seen = new Set<string>();
  for (const { name, firstLine, lastLine } of assignments(text)) {
    const value = values.get(name);
    if (value === undefined) continue;
    const [start = 0, end = 0] = [starts[firstLine], ends[lastLine]];
    pieces.push(existing.subarray(copied, start), replacementFor(existing.subarray(start, ends[firstLine]), [name, value]));
    copied = end;
    seen.add(name);
  }
  pieces.push(existing.subarray(copied));
  return { updated: Buffer.concat(pieces), missing: entries.filter(([name]) => !seen.has(name)) };
}

/** What the update should read as: our keys with the new values, every other key as before. */
function meantReading(before: string, entries: EnvEntries): Map<string, string> {
  const ours = new Map(entries);
  const meant = new Map([...parseDotenv(before)].filter(([name]) => !ours.has(name)));
  for (const [name, value] of ours) meant.set(name, value);
  return meant;
}

function readsAs(meant: Map<string, string>, bytes: Buffer): boolean {
  const read = parseDotenv(bytes);
  return read.size === meant.size && [...meant].every(([name, value]) => read.get(name) === value);
}
