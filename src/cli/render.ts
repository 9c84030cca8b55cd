import { Chalk } from 'chalk';

/**
 * chalk honours FORCE_COLOR and non-terminals but not NO_COLOR (no-color.org), so that is added
 * here; FORCE_COLOR still wins, as it does for Node itself.
 */
export const paint = new Chalk(process.env.NO_COLOR && !process.env.FORCE_COLOR ? { level: 0 } : {});

/** Everything meant for people goes to stderr, so stdout stays pure data (SPEC "Conventions"). */
export function say(line: string): void {
  process.stderr.write(line + '\n');
}

export function warn(line: string): void {
  say(paint.yellow('warning: ') + line);
}

export function fail(line: string): void {
  say(paint.red('error: ') + line);
}

export function success(line: string): void {
  say(paint.green('✓ ') + line);
}

/** Writes data to stdout and waits until it is handed to the OS, so exiting right after loses nothing. */
export function emit(data: string): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(data, (error) => (error ? reject(error) : resolve())));
}
