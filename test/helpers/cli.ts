import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';
import { childEnvironment } from './environment.js';
import { watchStderr } from './stderr-watch.js';

export const BIN = fileURLToPath(new URL('../../dist/cli/gmail-token.cjs', import.meta.url));

export interface CliRun {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` on stderr, as soon as it is printed. */
  waitForStderr(pattern: RegExp): Promise<RegExpMatchArray>;
  /** The consent URL the CLI printed on a line of its own. */
  consentUrl(): Promise<string>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

export interface CliOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  input?: string;
  /** Leave stdin open for the test to write to (child.stdin). */
  keepStdinOpen?: boolean;
  /** Options for node itself, before the CLI's path (`--expose-gc`, `--require`). */
  nodeArgs?: string[];
}

/**
 * Ends `child` when the test that started it ends, passed, failed or timed out, so no `mint`
 * is left listening: killed if still running, and waited for.
 */
export function endWithTest(child: ChildProcess): void {
  const closed = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('close', () => resolve());
  });
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await closed;
  });
}

/** Runs the built CLI as a child process, as a person or a CI script would. */
export function runCli(args: string[], options: CliOptions = {}): CliRun {
  const env = childEnvironment({ NO_COLOR: '1', ...options.env });
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), BIN, ...args], { cwd: options.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  endWithTest(child);
  let stdout = '';
  let stderr = '';
  const watch = watchStderr(() => stderr, () => exit);
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    watch.grew(stderr);
  });
  if (options.input !== undefined) child.stdin?.end(options.input);
  else if (!options.keepStdinOpen) child.stdin?.end();
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  const waitForStderr = watch.waitFor;
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    waitForStderr,
    consentUrl: async () => (await waitForStderr(/^(https?:\/\/\S+\/o\/oauth2\/\S+)$/m))[1] as string,
    exit,
  };
}

/** Runs the CLI to completion. */
export function runCliToEnd(args: string[], options: CliOptions = {}) {
  return runCli(args, options).exit;
}
