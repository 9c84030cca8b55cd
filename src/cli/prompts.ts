import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { ReadStream } from 'node:tty';
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

/** Where a question is asked: the person's keys in, the question drawn out (stderr: stdout is kept for data). */
export interface PromptStreams {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

interface PromptContext extends PromptStreams {
  signal: AbortSignal;
  clearPromptOnDone: false;
}

/** Why a question stopped: the person ended input (Ctrl-D, or stdin closed). */
class EndOfInput extends Error {}

function promptEnded(signal: AbortSignal | undefined, ended: AbortSignal) {
  return (error: unknown): undefined => {
    if (signal?.aborted) throw signal.reason;
    if (ended.aborted) return undefined;
    if (error instanceof Error && error.name === 'ExitPromptError') throw new InterruptedError();
    throw error;
  };
}

/**
 * Asks one question, settling with undefined when input ends. Inquirer's readline closes at
 * Ctrl-D on an empty line (or when stdin ends) but the prompt never settles, so the process
 * would drain and exit 0 having decided nothing: end of input is taken as an answer here.
 */
async function ask<T>(question: (context: PromptContext) => Promise<T>, streams: PromptStreams, signal?: AbortSignal): Promise<T | undefined> {
  const ending = new AbortController();
  const end = () => ending.abort(new EndOfInput());
  const onKey = (_: unknown, key?: { ctrl?: boolean; name?: string }) => {
    if (key?.ctrl && key.name === 'd') end();
  };
  const input = streams.input as Readable;
  input.on('keypress', onKey).once('end', end).once('close', end);
  if (input.readableEnded || input.destroyed) end();
  const restoreRawMode = tolerateHangUp(input as Partial<ReadStream>, end);
  const restoreErrors = errorsEndInput(input, end);
  const both = signal ? AbortSignal.any([signal, ending.signal]) : ending.signal;
  try {
    return await question({ ...streams, signal: both, clearPromptOnDone: false }).catch(promptEnded(signal, ending.signal));
  } finally {
    restoreRawMode();
    restoreErrors();
    input.off('keypress', onKey).off('end', end).off('close', end);
  }
}

/**
 * readline leaves raw mode when its input ends, and on a terminal that hung up that throws EIO
 * from inside an event handler, where nothing can catch it and the run would crash before the
 * token is kept: for the question's lifetime, a failed switch means the input has ended.
 */
function tolerateHangUp(tty: Partial<ReadStream>, end: () => void): () => void {
  const setRawMode = tty.setRawMode;
  if (setRawMode === undefined) return () => undefined;
  tty.setRawMode = (mode: boolean) => {
    try {
      return setRawMode.call(tty, mode);
    } catch {
      end();
      return tty as ReadStream;
    }
  };
  return () => {
    tty.setRawMode = setRawMode;
  };
}

/**
 * A terminal that hung up (SSH dropped) fails reads with EIO: input has ended then too. readline
 * re-emits an input's error on its own interface, where Inquirer does not listen, so heard there
 * it would crash the run: for the question's lifetime, an input error is only end of input.
 */
function errorsEndInput(input: Readable, end: () => void): () => void {
  const emit = input.emit;
  input.emit = function (this: Readable, event: string | symbol, ...args: unknown[]): boolean {
    if (event !== 'error') return emit.call(this, event, ...args);
    end();
    return true;
  } as Readable['emit'];
  return () => {
    input.emit = emit;
  };
}

/** A yes/no question whose answer, unless typed, is no; end of input is a no too. */
export async function askYesNo(question: string, streams: PromptStreams): Promise<boolean> {
  const { default: confirm } = await import('@inquirer/confirm');
  return (await ask((context) => confirm({ message: question, default: false }, context), streams)) ?? false;
}

/**
 * One line of free text from the person (stderr shows the question); undefined when input ends.
 * `signal` ends the question, rejecting with its reason.
 */
export async function askLine(message: string, streams: PromptStreams, signal?: AbortSignal): Promise<string | undefined> {
  const { default: input } = await import('@inquirer/input');
  return ask((context) => input({ message }, context), streams, signal);
}

const STDIN_ENDED = () => new UsageError('stdin ended before the redirected URL or code was given. Pipe it in, or run on a terminal.');

async function askPasted(judge: PasteJudge, streams: PromptStreams, signal: AbortSignal): Promise<Consent> {
  const { default: input } = await import('@inquirer/input');
  let consent: Consent | undefined;
  const validate = (text: string): string | true => {
    const judged = judge(text);
    if ('problem' in judged) return judged.problem;
    consent = judged.consent;
    return true;
  };
  await ask((context) => input({ message: 'Paste the URL (or code):', validate }, context), streams, signal);
  if (consent === undefined) throw STDIN_ENDED();
  return consent;
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
    lines.once('close', () => finish(() => reject(STDIN_ENDED())));
    lines.once('line', (line) => {
      const judged = judge(line);
      finish(() => ('problem' in judged ? reject(new UsageError(judged.problem)) : resolve(judged.consent)));
    });
  });
}

export interface Prompts {
  /** A yes/no question whose answer, unless typed, is no; end of input is a no. */
  askYesNo(question: string): Promise<boolean>;
  confirmOverwrite(path: string): Promise<boolean>;
  askForCredentials(explanation: string): Promise<string | undefined>;
  /** The redirected URL or code, from the person on a terminal or one line of stdin. */
  readPasted(judge: PasteJudge, signal: AbortSignal): Promise<Consent>;
  /** One line of free text from the person; undefined when input ends; `signal` ends the question. */
  askLine(message: string, signal?: AbortSignal): Promise<string | undefined>;
}

export function promptsFor(io: CliIo): Prompts {
  const { say } = renderFor(io);
  const streams: PromptStreams = { input: io.stdin, output: io.stderr };
  const yesNo = (question: string) => askYesNo(question, streams);
  return {
    askYesNo: yesNo,
    confirmOverwrite: (path) => yesNo(`${neutralise(path)} already exists. Overwrite it?`),
    askForCredentials: async (explanation) => {
      say(explanation);
      say('The file is the OAuth client: enable the Gmail API, set up the OAuth consent screen (add yourself as a test user), then create the client.');
      const path = await askLine('Path to the downloaded client JSON (empty to stop):', streams);
      return path?.trim() || undefined;
    },
    readPasted: (judge, signal) => (interactive(io) ? askPasted(judge, streams, signal) : readPastedLine(io, judge, signal)),
    askLine: (message, signal) => askLine(message, streams, signal),
  };
}
