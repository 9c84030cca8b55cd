import { Chalk } from 'chalk';
import { FlowError } from '../core/errors.js';
import { neutralise } from '../core/terminal.js';

/**
 * chalk honours FORCE_COLOR and non-terminals but not NO_COLOR (no-color.org), so that is added
 * here; FORCE_COLOR still wins, as it does for Node itself.
 */
export const paint = new Chalk(process.env.NO_COLOR && !process.env.FORCE_COLOR ? { level: 0 } : {});

/**
 * Everything meant for people goes to stderr, so stdout stays pure data (SPEC "Conventions").
 * `line` may quote the network, a file or the person's input, so its control characters are
 * neutralised here, the one way to stderr; `styled` is text this tool painted itself.
 */
export function say(line: string, styled = ''): void {
  process.stderr.write(neutralise(line) + styled + '\n');
}

function sayAfter(mark: string, line: string, styled = ''): void {
  process.stderr.write(mark + neutralise(line) + styled + '\n');
}

/** A line in the background colour: neutralised first, painted after, so the paint survives. */
export function sayDim(line: string): void {
  say('', paint.dim(neutralise(line)));
}

export function warn(line: string): void {
  sayAfter(paint.yellow('warning: '), line);
}

export function fail(line: string): void {
  sayAfter(paint.red('error: '), line);
}

/** `styled`, as in say(), is text this tool painted itself, added after `line` is neutralised. */
export function success(line: string, styled = ''): void {
  sayAfter(paint.green('✓ '), line, styled);
}

/** The first error stdout reported, once `emit` has started listening for one. */
let stdoutFailure: Error | undefined;
let watchingStdout = false;

/**
 * Writes data to stdout and waits until it is handed to the OS, so exiting right after loses
 * nothing. A reader that went away (EPIPE) makes it reject with a FlowError, for the caller to keep
 * the token another way: without the one 'error' listener, Node would crash on the event instead.
 */
export function emit(data: string): Promise<void> {
  if (!watchingStdout) {
    watchingStdout = true;
    process.stdout.on('error', (error) => (stdoutFailure ??= error));
  }
  return new Promise((resolve, reject) => {
    const failed = (error: Error) => {
      const reason = (error as NodeJS.ErrnoException).code ?? error.name;
      reject(new FlowError(`stdout could not be written (${reason === 'EPIPE' ? 'EPIPE: whatever read it has closed it' : reason})`));
    };
    if (stdoutFailure !== undefined) failed(stdoutFailure);
    else process.stdout.write(data, (error) => (error ? failed(stdoutFailure ?? error) : resolve()));
  });
}
