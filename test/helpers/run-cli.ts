import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import type { CliIo, CliSignal } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { childEnvironment } from './environment.js';
import { watchStderr } from './stderr-watch.js';

export interface InProcessOptions {
  /** The run's working folder (default: the test runner's); relative paths are taken from it. */
  cwd?: string;
  /** Over the environment a child CLI would get (test/helpers/environment.ts), NO_COLOR=1 included. */
  env?: Record<string, string | undefined>;
  input?: string;
  /** Leave stdin open for the test to write to (run.child.stdin). */
  keepStdinOpen?: boolean;
  /** Which streams are terminals: true for all three. */
  tty?: boolean | Partial<CliIo['isTTY']>;
  platform?: NodeJS.Platform;
}

export interface InProcessExit {
  code: number | null;
  /** A signal nothing listened for ends the run as it would end the process. */
  signal: CliSignal | null;
  stdout: string;
  stderr: string;
}

/** What test/helpers/cli.ts's runCli returns, for the same program run in this process. */
export interface InProcessRun {
  /** Like a ChildProcess: exitCode stays null while the run goes on. */
  child: { stdin: PassThrough; kill(signal?: CliSignal): void; readonly exitCode: number | null };
  stdout(): string;
  stderr(): string;
  waitForStderr(pattern: RegExp): Promise<RegExpMatchArray>;
  consentUrl(): Promise<string>;
  exit: Promise<InProcessExit>;
}

/**
 * The launcher an in-process run gets: $BROWSER from the run's environment, as xdg-open uses it
 * where there is no desktop (test/e2e/open-browser.test.ts runs the real one); without it, a
 * launcher that fails, so a test never opens a browser on the machine running it.
 */
function launcherFor(env: NodeJS.ProcessEnv): CliIo['launchBrowser'] {
  return async (url) => {
    const child = spawn(env.BROWSER ?? 'false', [url], { env, stdio: 'ignore' });
    child.once('error', () => child.emit('exit', 127));
    return child;
  };
}

function ttyOf(tty: InProcessOptions['tty']): CliIo['isTTY'] {
  if (typeof tty === 'boolean') return { stdin: tty, stdout: tty, stderr: tty };
  return { stdin: false, stdout: false, stderr: false, ...tty };
}

/**
 * Like process.stderr, which a pipe never ends: Inquirer pipes each question into the stream it is
 * given and ends that pipe when the question is done, which would end a plain PassThrough before
 * the run's last lines.
 */
function outlivingPipes(stream: PassThrough): PassThrough {
  stream.end = ((...args: unknown[]) => {
    const chunk = typeof args[0] === 'function' ? undefined : args[0];
    if (chunk !== undefined && chunk !== null) stream.write(chunk as string);
    (args.find((arg) => typeof arg === 'function') as (() => void) | undefined)?.();
    return stream;
  }) as PassThrough['end'];
  return stream;
}

/** A stream that collects what the CLI writes, and tells each write as it happens. */
function collector(onText: (all: string) => void): { stream: PassThrough; text(): string } {
  let text = '';
  const stream = outlivingPipes(new PassThrough());
  stream.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
    onText(text);
  });
  return { stream, text: () => text };
}

/**
 * Runs `gmail-token <args>` in this process through main(), with its own streams, environment,
 * folder, terminal-ness and signals: nothing of process.* is read or changed, so runs cannot leak
 * into each other. A test switches between this and runCli by changing the one call.
 */
export function runInProcess(args: string[], options: InProcessOptions = {}): InProcessRun {
  const watch = watchStderr(() => stderr.text(), () => exit);
  const stdout = collector(() => undefined);
  const stderr = collector((text) => watch.grew(text));
  const stdin = new PassThrough();
  const signals = new EventEmitter();
  let settle: (result: { code: number | null; signal: CliSignal | null }) => void = () => undefined;
  let broke: (error: unknown) => void = () => undefined;
  let exitCode: number | null = null;
  const ended = new Promise<{ code: number | null; signal: CliSignal | null }>((resolve, reject) => {
    settle = (result) => {
      exitCode ??= result.code;
      resolve(result);
    };
    broke = reject;
  });
  const env = childEnvironment({ NO_COLOR: '1', ...options.env });
  const io: CliIo = {
    stdin,
    stdout: stdout.stream,
    stderr: stderr.stream,
    env,
    cwd: options.cwd ?? process.cwd(),
    isTTY: ttyOf(options.tty),
    onSignal: (signal, listener) => signals.on(signal, listener),
    offSignal: (signal, listener) => signals.off(signal, listener),
    exit: (code) => settle({ code, signal: null }),
    platform: options.platform ?? process.platform,
    launchBrowser: launcherFor(env),
  };
  if (options.input !== undefined) stdin.end(options.input);
  else if (!options.keepStdinOpen) stdin.end();
  // main() turns every error into an exit code; a rejection is a bug in it, so the test fails.
  main(['node', 'gmail-token', ...args], io).then((code) => settle({ code, signal: null }), broke);
  // The collectors hear each write on a later tick: let them catch up before the result is read.
  const exit = ended.then(async (result) => {
    await new Promise((resolve) => setImmediate(resolve));
    return { ...result, stdout: stdout.text(), stderr: stderr.text() };
  });
  const kill = (signal: CliSignal = 'SIGTERM') => {
    if (signals.listenerCount(signal) === 0) settle({ code: null, signal });
    else signals.emit(signal);
  };
  const waitForStderr = watch.waitFor;
  return {
    child: {
      stdin,
      kill,
      get exitCode() {
        return exitCode;
      },
    },
    stdout: stdout.text,
    stderr: stderr.text,
    waitForStderr,
    consentUrl: async () => (await waitForStderr(/^(https?:\/\/\S+\/o\/oauth2\/\S+)$/m))[1] as string,
    exit,
  };
}

/** Runs the CLI in this process to completion. */
export function runInProcessToEnd(args: string[], options: InProcessOptions = {}): Promise<InProcessExit> {
  return runInProcess(args, options).exit;
}
