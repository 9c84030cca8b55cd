import { ExitCode, GmailTokenError } from '../core/errors.js';
import type { CliIo } from './io.js';

/** A command that ends on purpose with a code other than 0 (the emulator stopped by Ctrl-C). */
export class ExitRequest extends Error {
  constructor(readonly exitCode: ExitCode) {
    super(`exit ${exitCode}`);
  }
}

const debug = (env: NodeJS.ProcessEnv): boolean => (env.DEBUG ?? '').split(',').some((name) => name.trim() === 'gmail-token');

/**
 * The one place an error becomes an exit code and a line on stderr. Our own errors carry a
 * message written for people; anything else is a bug, shown without its message (which could
 * quote a request) unless DEBUG=gmail-token asks for the stack.
 */
export async function exitCodeFor(error: unknown, io: CliIo): Promise<ExitCode> {
  if (error instanceof ExitRequest) return error.exitCode;
  // chalk loads only when there is something to show: --help and --version end here too.
  const { fail } = (await import('./render.js')).renderFor(io);
  if (error instanceof GmailTokenError) {
    // One of ours wrapping a bug (the demo's steps do): its stack is the detail DEBUG asks for.
    if (debug(io.env) && error.cause instanceof Error) io.stderr.write(`${error.cause.stack ?? error.cause.name}\n`);
    fail(error.message);
    return error.exitCode;
  }
  if (debug(io.env) && error instanceof Error) io.stderr.write(`${error.stack ?? error.name}\n`);
  const name = error instanceof Error ? error.name : typeof error;
  fail(`Unexpected ${name}. Run again with DEBUG=gmail-token to see details, and report it if it persists.`);
  return ExitCode.failed;
}
