import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { GoogleEndpoints } from '../../core/endpoints.js';
import { FlowError, GmailTokenError, UsageError } from '../../core/errors.js';
import { renderOutput, type Format, type MintedToken } from '../../core/output.js';
import { revokeToken } from '../../oauth/revoke.js';
import { createNew } from '../../oauth/write-time.js';
import { askLine } from '../prompts.js';
import { emit, say, warn } from '../render.js';

/** What to do with a token Google issued when its output cannot be written. */
export type KeepAction = 'ask' | 'beside' | 'stdout' | 'revoke';
const ACTIONS: readonly KeepAction[] = ['ask', 'beside', 'stdout', 'revoke'];

/**
 * --if-unwritable: on a terminal the person is asked; elsewhere the default writes the token to a
 * new file beside the output, so nothing Google issued is lost and nothing else is touched.
 */
export function parseKeepAction(value: string | undefined, asking: boolean): KeepAction {
  if (value === undefined) return asking ? 'ask' : 'beside';
  if (!(ACTIONS as readonly string[]).includes(value)) throw new UsageError(`--if-unwritable must be one of: ${ACTIONS.join(', ')}.`);
  if (value === 'ask' && !asking) throw new UsageError('--if-unwritable ask needs a terminal to ask on. Use beside, stdout or revoke.');
  return value as KeepAction;
}

export interface Unwritten {
  token: MintedToken;
  format: Format;
  prefix: string;
  /** The output that could not be written. */
  path: string;
  endpoints: GoogleEndpoints;
}

function tokenText({ token, format, prefix }: Unwritten): string {
  return renderOutput(format, token, prefix);
}

function reasonOf(error: unknown): string {
  return error instanceof GmailTokenError ? error.message : `unexpected ${error instanceof Error ? error.name : typeof error}`;
}

async function writeTo(path: string, unwritten: Unwritten): Promise<string> {
  await createNew(path, tokenText(unwritten));
  return `it was written to ${path} (mode 0600) instead; move it where it belongs.`;
}

async function revoke(unwritten: Unwritten): Promise<string> {
  const { token, endpoints } = unwritten;
  const stored = { source: 'the new token', refreshToken: token.refreshToken, clientId: token.clientId, clientSecret: token.clientSecret };
  await revokeToken(stored, endpoints);
  return 'it was revoked at Google, so no live token was left behind. Run mint again.';
}

/** Carries out one way of keeping the token; returns what became of it, in words. */
async function keep(action: Exclude<KeepAction, 'ask'>, unwritten: Unwritten): Promise<string> {
  if (action === 'stdout') {
    await emit(tokenText(unwritten));
    return 'it was printed on stdout instead.';
  }
  if (action === 'revoke') return revoke(unwritten);
  return writeTo(`${unwritten.path}.rescued-${randomBytes(3).toString('hex')}`, unwritten);
}

/** On a terminal: asks until the token is kept somewhere the person chose, or revoked. */
async function askAndKeep(unwritten: Unwritten): Promise<string> {
  say('Type a file path to write it there, "-" to print it on stdout, or "revoke" to revoke it at Google');
  say('(revoking also ends the other tokens this account gave this client).');
  for (;;) {
    const answer = (await askLine('Keep the refresh token how?')).trim();
    try {
      if (answer === '-') return await keep('stdout', unwritten);
      if (answer === 'revoke') return await keep('revoke', unwritten);
      if (answer !== '') return await writeTo(resolve(answer), unwritten);
    } catch (error) {
      warn(reasonOf(error));
    }
  }
}

/**
 * Google issued a token and it could not be written: says so plainly, keeps the token the way
 * the person chose (or the safe default), and ends with exit 1 either way.
 */
export async function keepUnwrittenToken(failure: unknown, unwritten: Unwritten, action: KeepAction): Promise<never> {
  warn(`Google issued a refresh token, but it was not written to ${unwritten.path}: ${reasonOf(failure)}`);
  let outcome: string;
  try {
    outcome = action === 'ask' ? await askAndKeep(unwritten) : await keep(action, unwritten);
  } catch (error) {
    if (error instanceof GmailTokenError && error.exitCode === 130) throw error;
    outcome = `keeping it failed too (${reasonOf(error)}), so it is lost. The consent it came from can be removed at https://myaccount.google.com/permissions; run mint again.`;
  }
  throw new FlowError(`The refresh token was not written to ${unwritten.path}; ${outcome}`);
}
