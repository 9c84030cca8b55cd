import type { SentMessage } from './types.js';

/** A message as an IMAP session sees it: its UID and its text with CRLF line ends (RFC 3501 §2.3.3). */
export interface MailboxEntry {
  uid: number;
  text: string;
  receivedAt: string;
}

export function mailboxEntry(message: SentMessage, uid: number): MailboxEntry {
  return { uid, text: message.message.replace(/\r?\n/g, '\r\n'), receivedAt: message.receivedAt };
}

/** RFC 3501 §9 sequence-set: `1`, `2:5`, `3:*`, `1,4:6`, with `*` the largest number in use. */
export function inSequenceSet(set: string, value: number, largest: number): boolean {
  return set.split(',').some((range) => {
    const [low, high = low] = range.split(':').map((part) => (part === '*' ? largest : Number(part)));
    return low !== undefined && high !== undefined && value >= Math.min(low, high) && value <= Math.max(low, high);
  });
}

const MACROS: Record<string, string> = {
  ALL: 'FLAGS INTERNALDATE RFC822.SIZE',
  FAST: 'FLAGS INTERNALDATE RFC822.SIZE',
  FULL: 'FLAGS INTERNALDATE RFC822.SIZE',
};

/** The data items asked for: atoms, and BODY[...] / BODY.PEEK[...] sections whole (partial ranges are ignored). */
export function fetchItems(spec: string): string[] {
  const inner = spec.trim().replace(/^\((.*)\)$/s, '$1');
  const expanded = MACROS[inner.toUpperCase()] ?? inner;
  return expanded.match(/BODY(?:\.PEEK)?\[[^\]]*\]|[A-Za-z0-9.]+/g) ?? [];
}

function splitMessage(text: string): { header: string; body: string } {
  const end = text.indexOf('\r\n\r\n');
  return end < 0 ? { header: `${text}\r\n`, body: '' } : { header: text.slice(0, end + 4), body: text.slice(end + 4) };
}

/** RFC 3501 §6.4.5 HEADER.FIELDS (names): the named header fields, folded lines kept, then the blank line. */
function headerFields(header: string, names: string[], keep: boolean): string {
  const wanted = new Set(names.map((name) => name.toUpperCase()));
  const fields = header.replace(/\r\n$/, '').split(/\r\n(?![ \t])/).filter(Boolean);
  const chosen = fields.filter((field) => wanted.has((field.split(':', 1)[0] ?? '').trim().toUpperCase()) === keep);
  return chosen.map((field) => `${field}\r\n`).join('') + '\r\n';
}

function section(entry: MailboxEntry, name: string): string {
  const { header, body } = splitMessage(entry.text);
  const fields = /^HEADER\.FIELDS(\.NOT)? \(([^)]*)\)$/i.exec(name);
  if (fields) return headerFields(header, (fields[2] ?? '').split(/\s+/).filter(Boolean), !fields[1]);
  if (/^HEADER$/i.test(name)) return header;
  if (/^TEXT$/i.test(name)) return body;
  return entry.text;
}

const literal = (text: string) => `{${Buffer.byteLength(text)}}\r\n${text}`;

/** RFC 3501 §7.4.2 date-time, e.g. "06-Dec-2026 23:05:48 +0000". */
function internalDate(iso: string): string {
  const date = new Date(iso);
  const month = date.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}-${month}-${date.getUTCFullYear()} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

function item(entry: MailboxEntry, name: string): string | undefined {
  const upper = name.toUpperCase();
  const body = /^BODY(?:\.PEEK)?\[(.*)\]$/is.exec(name);
  if (body) return `BODY[${body[1] ?? ''}] ${literal(section(entry, body[1] ?? ''))}`;
  if (upper === 'UID') return `UID ${entry.uid}`;
  if (upper === 'FLAGS') return 'FLAGS ()';
  if (upper === 'INTERNALDATE') return `INTERNALDATE "${internalDate(entry.receivedAt)}"`;
  if (upper === 'RFC822.SIZE') return `RFC822.SIZE ${Buffer.byteLength(entry.text)}`;
  if (upper === 'RFC822' || upper === 'RFC822.HEADER' || upper === 'RFC822.TEXT') {
    return `${upper} ${literal(section(entry, upper === 'RFC822' ? '' : upper.slice(7)))}`;
  }
  return undefined;
}

/** One `* n FETCH (...)` response; UID FETCH always includes the UID (RFC 3501 §6.4.8). */
export function fetchResponse(entry: MailboxEntry, sequence: number, items: string[], byUid: boolean): string {
  const names = byUid && !items.some((name) => name.toUpperCase() === 'UID') ? ['UID', ...items] : items;
  const parts = names.map((name) => item(entry, name)).filter((part) => part !== undefined);
  return `* ${sequence} FETCH (${parts.join(' ')})`;
}
