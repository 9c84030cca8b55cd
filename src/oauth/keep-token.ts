/**
 * The keep policy: Google issued a refresh token and its output could not be written. The token
 * is kept where the person (or --if-unwritable) chose; if that fails too, in a new private folder
 * under the system's temporary folder; if even that fails, it is revoked, so no live token is
 * ever left behind unknown. The CLI only wires the prompt and the output in.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rmdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { GoogleEndpoints } from '../core/endpoints.js';
import { FlowError, GmailTokenError, InterruptedError } from '../core/errors.js';
import { fileProtection } from '../core/file-protection.js';
import type { KeepAction } from '../core/keep-action.js';
import { rescuedName } from '../core/rescued-name.js';
import { renderOutput, type Format, type MintedToken } from '../core/output.js';
import { why, WriteFailedError } from './files.js';
import { revokeToken } from './revoke.js';
import { createNew } from './write-time.js';

export interface Unwritten {
  token: MintedToken;
  format: Format;
  prefix: string;
  /** The output that could not be written; for stdout, the file a rescued copy is named after. */
  path: string;
  /** How people know the output, when it is not `path` (stdout). */
  shownAs?: string;
  endpoints: GoogleEndpoints;
}

export interface KeepEffects {
  /** On a terminal: asks the person and returns the line typed, or undefined when input ended (Ctrl-D). */
  askLine(question: string): Promise<string | undefined>;
  /** For people, on stderr. */
  say(line: string): void;
  warn(line: string): void;
  /** Data on stdout. */
  emit(data: string): Promise<void>;
  /** The system's temporary folder (os.tmpdir()), for the last copy before revoking. */
  temporaryFolder: string;
  /** process.platform: what protects the file kept is said per platform. */
  platform?: NodeJS.Platform;
}

/** A write error in words, without advice to run again: here the token is being kept instead. */
function reasonOf(error: unknown): string {
  if (error instanceof WriteFailedError) return error.fact;
  if (!(error instanceof GmailTokenError)) return `${why(error)}.`;
  return error.message;
}

async function writeTo(path: string, unwritten: Unwritten, effects: KeepEffects): Promise<string> {
  const platform = effects.platform ?? process.platform;
  await createNew(path, renderOutput(unwritten.format, unwritten.token, unwritten.prefix), platform);
  return `it was written to ${path} (${fileProtection(platform)})`;
}

const INSTEAD = ' instead; move it where it belongs.';

/**
 * A new folder only this user can enter (mkdtemp makes it 0700; on Windows the temporary folder
 * is in the user's profile), holding the token as a new file; a folder that could not receive it
 * is removed again rather than left empty. The system empties that folder (macOS after days
 * unused, Windows' Storage Sense), hence "now".
 */
async function writeToTemporaryFolder(unwritten: Unwritten, effects: KeepEffects): Promise<string> {
  const dir = await mkdtemp(join(effects.temporaryFolder, 'gmail-token-rescued-'));
  try {
    const kept = await writeTo(join(dir, basename(unwritten.path)), unwritten, effects);
    return `${kept} in the temporary folder, which the system empties after a while (macOS after days unused, Windows' Storage Sense): move it now.`;
  } catch (error) {
    await rmdir(dir).catch(() => undefined);
    throw error;
  }
}

async function revoke(unwritten: Unwritten): Promise<string> {
  const { token, endpoints } = unwritten;
  const stored = { source: 'the new token', refreshToken: token.refreshToken, clientId: token.clientId, clientSecret: token.clientSecret };
  await revokeToken(stored, endpoints);
  return 'it was revoked at Google, so no live token was left behind. Run mint again.';
}

/**
 * `beside` writes into the folder that just failed, which fails again when that folder is gone,
 * full or read-only: then a private folder under the temporary folder, then revoking.
 */
async function keepBeside(unwritten: Unwritten, effects: KeepEffects): Promise<string> {
  try {
    const kept = await writeTo(rescuedName(unwritten.path, randomBytes(3).toString('hex')), unwritten, effects);
    return `${kept}${INSTEAD} A .gitignore line naming ${basename(unwritten.path)} does not cover this copy.`;
  } catch (besideFailed) {
    effects.warn(`It could not be kept beside the output either: ${reasonOf(besideFailed)}`);
  }
  try {
    return await writeToTemporaryFolder(unwritten, effects);
  } catch (temporaryFailed) {
    effects.warn(`Nor in ${effects.temporaryFolder}: ${reasonOf(temporaryFailed)} Revoking it, so no live token is left behind.`);
  }
  return revoke(unwritten);
}

/** Carries out one way of keeping the token; returns what became of it, in words. */
async function keep(action: Exclude<KeepAction, 'ask'>, unwritten: Unwritten, effects: KeepEffects): Promise<string> {
  if (action === 'stdout') {
    try {
      await effects.emit(renderOutput(unwritten.format, unwritten.token, unwritten.prefix));
      return 'it was printed on stdout instead.';
    } catch (stdoutFailed) {
      effects.warn(`Nor on stdout: ${reasonOf(stdoutFailed)}.`);
      return keepBeside(unwritten, effects);
    }
  }
  if (action === 'revoke') return revoke(unwritten);
  return keepBeside(unwritten, effects);
}

/** On a terminal: asks until the token is kept somewhere the person chose, or revoked. */
async function askAndKeep(unwritten: Unwritten, effects: KeepEffects): Promise<string> {
  effects.say('Type a file path to write it there, "-" to print it on stdout, or "revoke" to revoke it at Google');
  effects.say('(revoking also ends the other tokens this account gave this client).');
  for (;;) {
    const typed = await effects.askLine('Keep the refresh token how?');
    // End of input: no one is left to answer, so the off-terminal default keeps it.
    if (typed === undefined) {
      effects.say('Input ended with no answer: keeping it beside the output, as off a terminal.');
      return keepBeside(unwritten, effects);
    }
    const answer = typed.trim();
    try {
      if (answer === '-') return await keep('stdout', unwritten, effects);
      if (answer === 'revoke') return await keep('revoke', unwritten, effects);
      if (answer !== '') return (await writeTo(resolve(answer), unwritten, effects)) + INSTEAD;
    } catch (error) {
      effects.warn(reasonOf(error));
    }
  }
}

function lost(error: unknown): string {
  return `keeping it failed too (${reasonOf(error)}), so it is lost. The consent it came from can be removed at https://myaccount.google.com/permissions; run mint again.`;
}

/**
 * Google issued a token and it could not be written: says so plainly, keeps the token the way
 * the person chose (or the safe default), and ends with exit 1 either way. Ctrl-C at the question
 * does not drop it: it is kept the non-interactive way, and the run ends with 130.
 */
export async function keepUnwrittenToken(failure: unknown, unwritten: Unwritten, action: KeepAction, effects: KeepEffects): Promise<never> {
  const output = unwritten.shownAs ?? unwritten.path;
  effects.warn(`Google issued a refresh token, but it was not written to ${output}: ${reasonOf(failure)}`);
  let outcome: string;
  try {
    outcome = action === 'ask' ? await askAndKeep(unwritten, effects) : await keep(action, unwritten, effects);
  } catch (error) {
    if (!(error instanceof InterruptedError)) throw new FlowError(`The refresh token was not written to ${output}; ${lost(error)}`);
    outcome = await keepBeside(unwritten, effects).catch(lost);
    throw new InterruptedError(`Interrupted. The refresh token was not written to ${output}; ${outcome}`);
  }
  throw new FlowError(`The refresh token was not written to ${output}; ${outcome}`);
}
