import { Chalk, type ChalkInstance } from 'chalk';
import { FlowError } from '../core/errors.js';
import { neutralise } from '../core/terminal.js';
import type { CliIo } from './io.js';

/**
 * Whether to paint: chalk's own rule (supports-color: FORCE_COLOR, then a terminal on stdout, then
 * TERM or COLORTERM) applied to the run's streams and environment rather than the process's, plus
 * NO_COLOR (no-color.org), which chalk ignores, and CI, where SPEC wants no colour even on a
 * terminal (supports-color paints there for some CI vendors); FORCE_COLOR still wins, as it does
 * for Node itself. Only the 16 basic colours are used, so chalk's higher levels would paint the same.
 */
export function colourLevel(io: Pick<CliIo, 'env' | 'isTTY' | 'platform'>): 0 | 1 {
  const { FORCE_COLOR: forced, NO_COLOR: noColour, CI: ci, TERM: term = '', COLORTERM: colourTerm } = io.env;
  if (forced !== undefined) return forced === '' || forced === 'true' || Number.parseInt(forced, 10) > 0 ? 1 : 0;
  if (noColour || ci !== undefined || !io.isTTY.stdout || term === 'dumb') return 0;
  return io.platform === 'win32' || colourTerm !== undefined || /^screen|^xterm|^vt100|^vt220|^rxvt|color|ansi|cygwin|linux/i.test(term) ? 1 : 0;
}

/** How a command speaks: stderr for people, stdout for data (SPEC "Conventions"). */
export interface Render {
  paint: ChalkInstance;
  say(line: string, styled?: string): void;
  sayDim(line: string): void;
  warn(line: string): void;
  fail(line: string): void;
  success(line: string, styled?: string): void;
  emit(data: string): Promise<void>;
}

/** The first error each stdout reported, once `emit` has started listening for one. */
const stdoutFailures = new WeakMap<NodeJS.WritableStream, { error?: Error }>();

/**
 * Writes data to stdout and waits until it is handed to the OS, so exiting right after loses
 * nothing. A reader that went away (EPIPE) makes it reject with a FlowError, for the caller to keep
 * the token another way: without the one 'error' listener, Node would crash on the event instead.
 */
function emitTo(stdout: NodeJS.WritableStream, data: string): Promise<void> {
  let watched = stdoutFailures.get(stdout);
  if (watched === undefined) {
    const state: { error?: Error } = {};
    stdoutFailures.set(stdout, (watched = state));
    stdout.on('error', (error: Error) => (state.error ??= error));
  }
  const seen = watched;
  return new Promise((resolve, reject) => {
    const failed = (error: Error) => {
      const reason = (error as NodeJS.ErrnoException).code ?? error.name;
      reject(new FlowError(`stdout could not be written (${reason === 'EPIPE' ? 'EPIPE: whatever read it has closed it' : reason})`));
    };
    if (seen.error !== undefined) failed(seen.error);
    else stdout.write(data, (error?: Error | null) => (error ? failed(seen.error ?? error) : resolve()));
  });
}

/**
 * `line` may quote the network, a file or the person's input, so its control characters are
 * neutralised here, the one way to stderr; `styled` is text this tool painted itself.
 */
export function renderFor(io: Pick<CliIo, 'env' | 'isTTY' | 'platform' | 'stdout' | 'stderr'>): Render {
  const paint = new Chalk({ level: colourLevel(io) });
  const sayAfter = (mark: string, line: string, styled = ''): void => void io.stderr.write(mark + neutralise(line) + styled + '\n');
  const say = (line: string, styled = ''): void => sayAfter('', line, styled);
  return {
    paint,
    say,
    // Neutralised first, painted after, so the paint survives.
    sayDim: (line) => say('', paint.dim(neutralise(line))),
    warn: (line) => sayAfter(paint.yellow('warning: '), line),
    fail: (line) => sayAfter(paint.red('error: '), line),
    success: (line, styled = '') => sayAfter(paint.green('✓ '), line, styled),
    emit: (data) => emitTo(io.stdout, data),
  };
}
