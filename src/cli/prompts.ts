import { createInterface } from 'node:readline';
import { InterruptedError, UsageError } from '../core/errors.js';
import type { Consent } from '../oauth/loopback.js';
import type { PasteJudge } from '../oauth/mint.js';
import { neutralise } from '../core/terminal.js';
import type { CliIo } from './io.js';
import { renderFor } from './render.js';

/** Questions only when a person is there to answer; CI gets an error naming the flag instead. */
export function interactive(io: CliIo): boolean {
  return io.isTTY.stdin && io.isTTY.stderr;
}

function promptEnded(signal?: AbortSignal) {
  return (error: unknown): never => {
    if (signal?.aborted) throw signal.reason;
    if (error instanceof Error && error.name === 'ExitPromptError') throw new InterruptedError();
    throw error;
  };
}

/** Without a terminal: one line from stdin, judged once. */
function readPastedLine(io: CliIo, judge: PasteJudge, signal: AbortSignal): Promise<Consent> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: io.stdin });
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

export interface Prompts {
  /** A yes/no question whose answer, unless typed, is no. */
  askYesNo(question: string): Promise<boolean>;
  confirmOverwrite(path: string): Promise<boolean>;
  askForCredentials(explanation: string): Promise<string | undefined>;
  /** The redirected URL or code, from the person on a terminal or one line of stdin. */
  readPasted(judge: PasteJudge, signal: AbortSignal): Promise<Consent>;
  /** One line of free text from the person (stderr shows the question). */
  askLine(message: string): Promise<string>;
}

export function promptsFor(io: CliIo): Prompts {
  const { say } = renderFor(io);
  // Prompts draw on stderr: stdout is kept for data.
  const context = (signal?: AbortSignal) => ({ input: io.stdin, output: io.stderr, signal, clearPromptOnDone: false });
  const ask = async (message: string, validate?: (text: string) => string | true, signal?: AbortSignal): Promise<string> => {
    const { default: input } = await import('@inquirer/input');
    return input({ message, validate }, context(signal)).catch(promptEnded(signal));
  };
  const askYesNo = async (question: string): Promise<boolean> => {
    const { default: confirm } = await import('@inquirer/confirm');
    return confirm({ message: question, default: false }, context()).catch(promptEnded());
  };
  const askPasted = async (judge: PasteJudge, signal: AbortSignal): Promise<Consent> => {
    let consent: Consent | undefined;
    const validate = (text: string): string | true => {
      const judged = judge(text);
      if ('problem' in judged) return judged.problem;
      consent = judged.consent;
      return true;
    };
    await ask('Paste the URL (or code):', validate, signal);
    return consent as Consent;
  };
  return {
    askYesNo,
    confirmOverwrite: (path) => askYesNo(`${neutralise(path)} already exists. Overwrite it?`),
    askForCredentials: async (explanation) => {
      say(explanation);
      say('The file is the OAuth client: enable the Gmail API, set up the OAuth consent screen (add yourself as a test user), then create the client.');
      const path = await ask('Path to the downloaded client JSON (empty to stop):');
      return path.trim() || undefined;
    },
    readPasted: (judge, signal) => (interactive(io) ? askPasted(judge, signal) : readPastedLine(io, judge, signal)),
    askLine: (message) => ask(message),
  };
}
