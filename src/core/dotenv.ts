import { UsageError } from './errors.js';

/**
 * dotenv's own line grammar (its `LINE` regex as in dotenv 16 to 18, with the `=` or `:`
 * captured too): SPEC says "values quoted only where dotenv needs it", so reading and updating a
 * .env must agree with dotenv byte for byte, including quoted values that run over several lines.
 */
const LINE = /^\s*(?:export\s+)?([\w.-]+)(\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?$/dgm;

/** One assignment, with the lines (0-based, of the text split at line ends) it occupies. */
interface Assignment {
  name: string;
  value: string;
  firstLine: number;
  lastLine: number;
}

/** Where `^` and `$` stop in dotenv's multi-line regex, once `\r` is gone: `\n`, U+2028, U+2029. */
const TERMINATOR = /[\n\u2028\u2029]/g;
const WHITESPACE = /\s*/y;
/** The same grammar tried at one position only, so the scan below decides where to try it. */
const AT = new RegExp(LINE.source, 'dmy');

/** The first position at or after `from` where `^` matches, or -1. */
function lineStartFrom(text: string, from: number): number {
  if (from > text.length) return -1;
  if (from === 0 || '\n\u2028\u2029'.includes(text[from - 1] ?? 'x')) return from;
  TERMINATOR.lastIndex = from;
  const next = TERMINATOR.exec(text);
  return next ? next.index + 1 : -1;
}

/**
 * What `text.matchAll(LINE)` yields, in time linear in the text. dotenv's regex retried at every
 * line start costs O(N²) on a run of blank lines that ends in no assignment (60 KB: 15 s). Its
 * `^\s*` cannot give back whitespace usefully (a name never starts with it), so every line start
 * inside that run ends at the same place and fails the same way: skip them all at once.
 */
function* lineMatches(text: string): Generator<RegExpExecArray> {
  for (let start = lineStartFrom(text, 0); start !== -1; ) {
    AT.lastIndex = start;
    const match = AT.exec(text);
    if (match) {
      yield match;
      start = lineStartFrom(text, Math.max(AT.lastIndex, start + 1));
    } else {
      WHITESPACE.lastIndex = start;
      WHITESPACE.exec(text);
      start = lineStartFrom(text, WHITESPACE.lastIndex + 1);
    }
  }
}

function isTerminator(character: string | undefined): boolean {
  return character === '\n' || character === '\r' || character === '\u2028' || character === '\u2029';
}

/**
 * `value.replace(/^(['"`])([\s\S]*)\1$/gm, '$2')`, as dotenv unquotes, without its O(N²) on a
 * value with many lines that start with a quote: for a line starting with quote q, the greedy
 * `[\s\S]*` ends at the last q anywhere that closes a line, so that one position decides.
 */
function stripQuotes(value: string): string {
  const closing = new Map<string, number>();
  for (let end = 0; end < value.length; end++) {
    const character = value[end] ?? '';
    if ('\'"`'.includes(character) && (end + 1 === value.length || isTerminator(value[end + 1]))) closing.set(character, end);
  }
  let result = '';
  let copied = 0;
  for (let start = 0; start < value.length; start++) {
    if (start > 0 && !isTerminator(value[start - 1])) continue;
    const end = closing.get(value[start] ?? '') ?? -1;
    if (end <= start) continue;
    result += value.slice(copied, start) + value.slice(start + 1, end);
    copied = end + 1;
    start = end;
  }
  return result + value.slice(copied);
}

function unquote(raw: string): string {
  const value = raw.trim();
  const inner = stripQuotes(value);
  return value[0] === '"' ? inner.replace(/\\n/g, '\n').replace(/\\r/g, '\r') : inner;
}

function assignments(text: string): Assignment[] {
  const normalised = text.replace(/\r\n?/g, '\n');
  const lineAt = lineCounter(normalised);
  const found: Assignment[] = [];
  for (const match of lineMatches(normalised)) {
    const [nameStart = 0] = match.indices?.[1] ?? [];
    // The `=` can sit on a later line than the name (`\s` takes U+2028), the value on later ones still.
    const [, end = nameStart + 1] = match.indices?.[3] ?? match.indices?.[2] ?? [];
    found.push({ name: match[1] ?? '', value: unquote(match[3] ?? ''), firstLine: lineAt(nameStart), lastLine: lineAt(end - 1) });
  }
  return found;
}

/** Maps offsets in dotenv's text (no `\r` left), asked in increasing order, to their lines. */
function lineCounter(text: string): (offset: number) => number {
  let line = 0;
  let counted = 0;
  return (offset) => {
    for (; counted < offset; counted++) if ('\n\u2028\u2029'.includes(text[counted] ?? 'x')) line++;
    return line;
  };
}

/** What dotenv's `parse` returns for this text (or these bytes, decoded as dotenv does), as a map. */
export function parseDotenv(text: string | Uint8Array): Map<string, string> {
  const decoded = typeof text === 'string' ? text : Buffer.from(text.buffer, text.byteOffset, text.byteLength).toString('utf8');
  return new Map(assignments(decoded).map(({ name, value }) => [name, value]));
}

/**
 * The value as dotenv reads it back unchanged, and as python-dotenv does too wherever one form
 * suits both: bare, then '…' (no escapes in either), then "…" with \n and \r, then dotenv-only
 * forms. A quoted value may not end in a backslash: dotenv would read the closing quote as escaped.
 */
export function dotenvValue(name: string, value: string): string {
  if (/^[A-Za-z0-9_\-./+:@=,~%]*$/.test(value)) return value;
  if (!/['\\\r\n]/.test(value)) return `'${value}'`;
  if (!/["\\]/.test(value)) return `"${value.replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
  if (!value.endsWith('\\')) {
    if (!/['\r]/.test(value)) return `'${value}'`;
    if (!/[`\r]/.test(value)) return `\`${value}\``;
  }
  throw new UsageError(`${name} holds characters that no dotenv quoting keeps as they are. Use -f json or -f shell instead.`);
}

export type EnvEntries = [name: string, value: string][];

export function envLine([name, value]: [string, string]): string {
  return `${name}=${dotenvValue(name, value)}`;
}

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
