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

function unquote(raw: string): string {
  const value = raw.trim();
  const quote = value[0];
  const inner = value.replace(/^(['"`])([\s\S]*)\1$/gm, '$2');
  return quote === '"' ? inner.replace(/\\n/g, '\n').replace(/\\r/g, '\r') : inner;
}

/**
 * Where lines end for dotenv: it turns `\r\n` and a lone `\r` into `\n`, and its regex's `^` and
 * `$` also stop at U+2028 and U+2029. Splitting the original text at these gives the same lines,
 * so the line numbers of an assignment in dotenv's text point at the right lines of the file.
 */
const LINE_END = /(\r\n|[\n\r\u2028\u2029])/;

function assignments(text: string): Assignment[] {
  const normalised = text.replace(/\r\n?/g, '\n');
  const lineAt = lineIndex(normalised);
  const found: Assignment[] = [];
  for (const match of normalised.matchAll(LINE)) {
    const [nameStart = 0] = match.indices?.[1] ?? [];
    // The `=` can sit on a later line than the name (`\s` takes U+2028), the value on later ones still.
    const [, end = nameStart + 1] = match.indices?.[3] ?? match.indices?.[2] ?? [];
    found.push({ name: match[1] ?? '', value: unquote(match[3] ?? ''), firstLine: lineAt(nameStart), lastLine: lineAt(end - 1) });
  }
  return found;
}

/** Maps an offset in dotenv's text (no `\r` left) to its line. */
function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (const end of text.matchAll(/[\n\u2028\u2029]/g)) starts.push(end.index + 1);
  return (offset) => {
    let [low, high] = [0, starts.length - 1];
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if ((starts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  };
}

/** What dotenv's `parse` returns for this text, as a map. */
export function parseDotenv(text: string): Map<string, string> {
  return new Map(assignments(text).map(({ name, value }) => [name, value]));
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
 * every other byte stays as it was (CRLF line ends, other multi-line values, no final newline).
 * The result is read back the way dotenv reads it, and a file it would change the reading of
 * (our lines swallowed by an open quote, say) is refused rather than written.
 */
export function mergeDotenv(existing: string, entries: EnvEntries): string {
  const inPlace = updateInPlace(existing, entries);
  if (inPlace.missing.length === 0 && readsAs(meantReading(existing, entries), inPlace.updated)) return inPlace.updated;
  // Appending ends the last line first, and an ended `NAME:` is an assignment to dotenv.
  const eol = existing.includes('\r\n') ? '\r\n' : '\n';
  const ended = existing === '' || existing.endsWith('\n') ? existing : existing + eol;
  const { updated, missing } = updateInPlace(ended, entries);
  const appended = missing.map((entry) => envLine(entry) + eol).join('');
  // A last line `NAME:` would take the next line as its value; a blank line in between stops that.
  const meant = meantReading(ended, entries);
  const result = [updated + appended, updated + eol + appended].find((candidate) => readsAs(meant, candidate));
  if (result !== undefined) return result;
  throw new UsageError(
    'The .env cannot be updated so that dotenv still reads every other key as before (a quote left open, or a U+2028 line separator?). Fix it, or choose another --out.',
  );
}

function updateInPlace(existing: string, entries: EnvEntries): { updated: string; missing: EnvEntries } {
  const values = new Map(entries);
  const parts = existing.split(LINE_END);
  const seen = new Set<string>();
  for (const { name, firstLine, lastLine } of assignments(existing).reverse()) {
    const value = values.get(name);
    if (value === undefined) continue;
    const exported = /^\s*export\s/.test(parts[firstLine * 2] ?? '') ? 'export ' : '';
    parts.splice(firstLine * 2, (lastLine - firstLine) * 2 + 1, exported + envLine([name, value]));
    seen.add(name);
  }
  return { updated: parts.join(''), missing: entries.filter(([name]) => !seen.has(name)) };
}

/** What the update should read as: our keys with the new values, every other key as before. */
function meantReading(before: string, entries: EnvEntries): Map<string, string> {
  const ours = new Map(entries);
  const meant = new Map([...parseDotenv(before)].filter(([name]) => !ours.has(name)));
  for (const [name, value] of ours) meant.set(name, value);
  return meant;
}

function readsAs(meant: Map<string, string>, text: string): boolean {
  const read = parseDotenv(text);
  return read.size === meant.size && [...meant].every(([name, value]) => read.get(name) === value);
}
