import { UsageError } from './errors.js';

/**
 * dotenv's own line grammar (its `LINE` regex as in dotenv 16 to 18, with the `=` or `:`
 * captured too): SPEC says "values quoted only where dotenv needs it", so reading and updating a
 * .env must agree with dotenv byte for byte, including quoted values that run over several lines.
 */
const LINE = /^\s*(?:export\s+)?([\w.-]+)(\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?$/dgm;

/** One assignment, with the lines (0-based, of the text split at line ends) it occupies. */
export interface Assignment {
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

/** The first position at or after `from` (at most one past the end) where `^` matches, or -1. */
function lineStartFrom(text: string, from: number): number {
  if (from === 0 || isTerminator(text[from - 1])) return from;
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
      // A match holds at least a name, so it ends past where it started.
      start = lineStartFrom(text, AT.lastIndex);
    } else {
      WHITESPACE.lastIndex = start;
      WHITESPACE.exec(text);
      start = lineStartFrom(text, WHITESPACE.lastIndex + 1);
    }
  }
}

/** A line end for `^` and `$` (TERMINATOR's set): assignments() has already turned every `\r` into `\n`, as dotenv does. */
function isTerminator(character: string | undefined): boolean {
  return character === '\n' || character === '\u2028' || character === '\u2029';
}

/**
 * `value.replace(/^(['"`])([\s\S]*)\1$/gm, '$2')`, as dotenv unquotes, without its O(N²) on a
 * value with many lines that start with a quote: for a line starting with quote q, the greedy
 * `[\s\S]*` ends at the last q anywhere that closes a line, so that one position decides.
 */
function stripQuotes(value: string): string {
  const closing = new Map<string, number>();
  for (let end = 0; end < value.length; end++) {
    const character = value[end] as string;
    if ('\'"`'.includes(character) && (end + 1 === value.length || isTerminator(value[end + 1]))) closing.set(character, end);
  }
  let result = '';
  let copied = 0;
  for (let start = 0; start < value.length; start++) {
    if (start > 0 && !isTerminator(value[start - 1])) continue;
    const end = closing.get(value[start] as string) ?? -1;
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

/** Every assignment dotenv reads in `text`, in order, with the lines it occupies. */
export function assignments(text: string): Assignment[] {
  const normalised = text.replace(/\r\n?/g, '\n');
  const lineAt = lineCounter(normalised);
  const found: Assignment[] = [];
  for (const match of lineMatches(normalised)) {
    // LINE has the d flag, and its name and separator groups always take part in a match.
    const indices = match.indices as RegExpIndicesArray;
    const [nameStart] = indices[1] as [number, number];
    // The `=` can sit on a later line than the name (`\s` takes U+2028), the value on later ones still.
    const [, end] = (indices[3] ?? indices[2]) as [number, number];
    found.push({ name: match[1] as string, value: unquote(match[3] ?? ''), firstLine: lineAt(nameStart), lastLine: lineAt(end - 1) });
  }
  return found;
}

/** Maps offsets in dotenv's text (no `\r` left), asked in increasing order, to their lines. */
function lineCounter(text: string): (offset: number) => number {
  let line = 0;
  let counted = 0;
  return (offset) => {
    for (; counted < offset; counted++) if (isTerminator(text[counted])) line++;
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
