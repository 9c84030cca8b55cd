import { createInterface } from 'node:readline';
import { InterruptedError, UsageError } from '../core/errors.js';
import type { Consent } from '../oauth/loopback.js';
import type { PasteJudge } from '../oauth/mint.js';
import { neutralise } from '../core/terminal.js';
import { say } from './render.js';

/** Questions only when a person is there to answer; CI gets an error naming the flag instead. */
export function interactive(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY);
}

/** Prompts draw on stderr: stdout is kept for data. */
const context = (signal?: AbortSignal) => ({ output: process.stderr, signal, clearPromptOnDone: false });

function promptEnded(signal?: AbortSignal) {
  return (error: unknown): never => {
    if (signal?.aborted) throw signal.reason;
    if (error instanceof Error && error.name === 'ExitPromptError') throw new InterruptedError();
    throw error;
  };
}

/** A yes/no question whose answer, unless typed, is no. */
export async function askYesNo(question: string): Promise<boolean> {
  const { default: confirm } = await import('@inquirer/confirm');
  return confirm({ message: question, default: false }, context()).catch(promptEnded());
}

export function confirmOverwrite(path: string): Promise<boolean> {
  return askYesNo(`${neutralise(path)} already exists. Overwrite it?`);
}

export async function askForCredentials(explanation: string): Promise<string | undefined> {
  say(explanation);
  say('The file is the OAuth client: enable the Gmail API, set up the OAuth consent screen (add yourself as a test user), then create the client.');
  const { default: input } = await import('@inquirer/input');
  const path = await input({ message: 'Path to the downloaded client JSON (empty to stop):' }, context()).catch(promptEnded());
  return path.trim() || undefined;
}

async function askPasted(judge: PasteJudge, signal: AbortSignal): Promise<Consent> {
  const { default: input } = await import('@inquirer/input');
  let consent: Consent | undefined;
  const validate = (text: string): string | true => {
    const judged = judge(text);
    if ('problem' in judged) return judged.problem;
    consent = judged.consent;
    return true;
  };
  await input({ message: 'Paste the URL (or code):', validate }, context(signal)).catch(promptEnded(signal));
  return consent as Consent;
}

/** Without a terminal: one line from stdin, judged once. */
function readPastedLine(judge: PasteJudge, signal: AbortSignal): Promise<Consent> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: process.stdin });
    // Closing the interface emits 'close' at once, so settle first and ignore what follows.
    let settled = false;
    const finish = (settle: () => void) => {
      if (settled) return;
      settled = true;
      settle();
      lines.close();
    };
    signal.addEventListener('abort', () => finish(() => reject(signal.reason)), { once: true });
    lines.once('close', () => finish(() => reject(new UsageError('stdin ended before the redirected URL or code was given. Pipe it in, or run on a terminal.'))));
    lines.once('line', (line) => {
      const judged = judge(line);
      finish(() => ('problem' in judged ? reject(new UsageError(judged.problem)) : resolve(judged.consent)));
    });
  });
}

export function readPasted(judge: PasteJudge, signal: AbortSignal): Promise<Consent> {
  return interactive() ? askPasted(judge, signal) : readPastedLine(judge, signal);
}

/** One line of free text from the person (stderr shows the question). */
export async function askLine(message: string): Promise<string> {
  const { default: input } = await import('@inquirer/input');
  return input({ message }, context()).catch(promptEnded());
}
