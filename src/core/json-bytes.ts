/**
 * Where the members of a JSON file's top-level object are, as byte offsets, so a value can be
 * changed without re-serialising the rest: JSON.stringify(JSON.parse(...)) turns a big integer into
 * 1.2345678901234568e+22 and 1e400 into null, drops a duplicate key, and replaces bytes that are
 * not UTF-8 and CRLF line ends. Pure: bytes in, offsets out.
 */

/** One `"key": value` of the top-level object. */
export interface MemberSpan {
  key: string;
  /** The key's opening quote. */
  start: number;
  /** Just after the key's closing quote. */
  keyEnd: number;
  valueStart: number;
  /** Just after the value. */
  valueEnd: number;
}

export interface ObjectSpans {
  /** The parsed object, as JSON.parse reads it (the last of duplicate keys wins). */
  record: Record<string, unknown>;
  /** Just after the `{`. */
  inside: number;
  members: MemberSpan[];
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const UTF8_BOM = [0xef, 0xbb, 0xbf];

function skipSpace(bytes: Uint8Array, at: number): number {
  while (at < bytes.length && (bytes[at] === 0x20 || bytes[at] === 0x09 || bytes[at] === 0x0a || bytes[at] === 0x0d)) at++;
  return at;
}

/** Just after the string whose opening quote is at `at`. */
function stringEnd(bytes: Uint8Array, at: number): number {
  for (let i = at + 1; i < bytes.length; i++) {
    if (bytes[i] === BACKSLASH) i++;
    else if (bytes[i] === QUOTE) return i + 1;
  }
  return bytes.length;
}

/** Just after the value starting at `at`, in a text already known to be valid JSON; nesting counted, not recursed. */
function valueEnd(bytes: Uint8Array, at: number): number {
  const first = bytes[at];
  if (first === QUOTE) return stringEnd(bytes, at);
  if (first !== 0x7b && first !== 0x5b) return scalarEnd(bytes, at);
  let depth = 0;
  for (let i = at; i < bytes.length; i++) {
    const byte = bytes[i];
    if (byte === QUOTE) i = stringEnd(bytes, i) - 1;
    else if (byte === 0x7b || byte === 0x5b) depth++;
    else if ((byte === 0x7d || byte === 0x5d) && --depth === 0) return i + 1;
  }
  return bytes.length;
}

/** Digits, letters, sign and point: what numbers and true/false/null are made of. */
function inScalar(byte: number): boolean {
  return (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || byte === 0x2b || byte === 0x2d || byte === 0x2e;
}

function scalarEnd(bytes: Uint8Array, at: number): number {
  let i = at;
  while (i < bytes.length && inScalar(bytes[i] as number)) i++;
  return i;
}

/** The offset just after a UTF-8 byte order mark, or 0. */
function bomLength(bytes: Uint8Array): number {
  return UTF8_BOM.every((byte, i) => bytes[i] === byte) ? UTF8_BOM.length : 0;
}

/** The members of the top-level object, or undefined when the file is not valid JSON holding an object. */
export function objectSpans(bytes: Uint8Array): ObjectSpans | undefined {
  const bom = bomLength(bytes);
  let record: unknown;
  try {
    record = JSON.parse(new TextDecoder().decode(bytes.subarray(bom)));
  } catch {
    return undefined;
  }
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return undefined;
  const inside = skipSpace(bytes, bom) + 1;
  const members: MemberSpan[] = [];
  let at = skipSpace(bytes, inside);
  while (bytes[at] === QUOTE) {
    const keyEnd = stringEnd(bytes, at);
    const key = JSON.parse(new TextDecoder().decode(bytes.subarray(at, keyEnd))) as string;
    const valueStart = skipSpace(bytes, skipSpace(bytes, keyEnd) + 1);
    const end = valueEnd(bytes, valueStart);
    members.push({ key, start: at, keyEnd, valueStart, valueEnd: end });
    at = skipSpace(bytes, end);
    if (bytes[at] === 0x2c) at = skipSpace(bytes, at + 1);
  }
  return { record: record as Record<string, unknown>, inside, members };
}

/** `bytes` with [from, to) replaced by `text` (UTF-8). */
export function splice(bytes: Uint8Array, from: number, to: number, text: string): Buffer {
  return Buffer.concat([bytes.subarray(0, from), Buffer.from(text, 'utf8'), bytes.subarray(to)]);
}
