import { UsageError } from './errors.js';
import { shown } from './terminal.js';

const GMAIL = 'https://www.googleapis.com/auth/gmail.';

const GMAIL_SHORT = ['send', 'readonly', 'compose', 'modify', 'insert', 'labels', 'metadata'] as const;
const GMAIL_SETTINGS = ['settings.basic', 'settings.sharing'] as const;

/** Short name → full scope URL. */
export const SHORT_SCOPES: ReadonlyMap<string, string> = new Map([
  ...GMAIL_SHORT.flatMap((name) => [
    [`gmail.${name}`, GMAIL + name],
    [name, GMAIL + name],
  ] as [string, string][]),
  ...GMAIL_SETTINGS.map((name) => [`gmail.${name}`, GMAIL + name] as [string, string]),
  ['full', 'https://mail.google.com/'],
  ['openid', 'openid'],
  ['email', 'email'],
  ['profile', 'profile'],
]);

export const DEFAULT_SCOPES = [GMAIL + 'send'];

/** Scopes that let a token send mail through the Gmail API (google-oauth-facts §11). */
export const SENDING_SCOPES = new Set([
  GMAIL + 'send',
  GMAIL + 'compose',
  GMAIL + 'modify',
  'https://mail.google.com/',
]);

/** Google may report these under their long names; they mean the same grant. */
const ALIASES: ReadonlyMap<string, string> = new Map([
  ['https://www.googleapis.com/auth/userinfo.email', 'email'],
  ['https://www.googleapis.com/auth/userinfo.profile', 'profile'],
]);

function canonical(scope: string): string {
  return ALIASES.get(scope) ?? scope;
}

function expandOne(name: string): string {
  if (/^https?:\/\//.test(name)) return name;
  const full = SHORT_SCOPES.get(name);
  if (full) return full;
  const known = [...SHORT_SCOPES.keys()].join(', ');
  throw new UsageError(`Unknown scope ${shown(name)}. Use a full scope URL or one of: ${known}.`);
}

/**
 * Turns what people type after `--scope` (repeated, comma or space separated, short or full)
 * into the list of full scopes, without duplicates, in the order given.
 */
export function expandScopes(inputs: readonly string[]): string[] {
  const names = inputs.flatMap((input) => input.split(/[\s,]+/)).filter(Boolean);
  if (names.length === 0) return [...DEFAULT_SCOPES];
  return [...new Set(names.map(expandOne))];
}

/** Scopes that were asked for but are not in what Google granted (granular consent). */
export function missingScopes(requested: readonly string[], granted: readonly string[]): string[] {
  const have = new Set(granted.map(canonical));
  return requested.filter((scope) => !have.has(canonical(scope)));
}

export function parseScopeString(scope: string | undefined): string[] {
  return (scope ?? '').split(/\s+/).filter(Boolean);
}

export function canSend(scopes: readonly string[]): boolean {
  return scopes.some((scope) => SENDING_SCOPES.has(scope));
}

/** Whether Google will tell us the account's address (tokeninfo and userinfo need `email`). */
export function grantsEmail(scopes: readonly string[]): boolean {
  return scopes.some((scope) => canonical(scope) === 'email');
}

/** What each scope lets the app do, in the words Google's consent screen uses. */
const SCOPE_MEANINGS: ReadonlyMap<string, string> = new Map([
  [`${GMAIL}send`, 'Send email on your behalf'],
  [`${GMAIL}readonly`, 'View your email messages and settings'],
  [`${GMAIL}compose`, 'Manage drafts and send email'],
  [`${GMAIL}modify`, 'Read, compose and send email from your Gmail account'],
  [`${GMAIL}insert`, 'Add email to your Gmail mailbox'],
  [`${GMAIL}labels`, 'See and edit your email labels'],
  [`${GMAIL}metadata`, 'View email metadata such as labels and headers, but not the body'],
  [`${GMAIL}settings.basic`, 'See, edit, create or change your email settings and filters'],
  [`${GMAIL}settings.sharing`, 'Manage sensitive mail settings, including who can manage your mail'],
  ['https://mail.google.com/', 'Read, compose, send and permanently delete all your email'],
  ['https://www.googleapis.com/auth/userinfo.email', 'See your primary Google Account email address'],
  ['email', 'See your primary Google Account email address'],
  ['https://www.googleapis.com/auth/userinfo.profile', 'See your personal info, including what you have made public'],
  ['profile', 'See your personal info, including what you have made public'],
  ['openid', 'Associate you with your personal info on Google'],
]);

export function scopeMeaning(scope: string): string | undefined {
  return SCOPE_MEANINGS.get(scope);
}
