import chalk from 'chalk';

/** Everything meant for people goes to stderr, so stdout stays pure data (SPEC "Conventions"). */
export function say(line: string): void {
  process.stderr.write(line + '\n');
}

export function warn(line: string): void {
  say(chalk.yellow('warning: ') + line);
}

export function fail(line: string): void {
  say(chalk.red('error: ') + line);
}

export function success(line: string): void {
  say(chalk.green('✓ ') + line);
}

/** Writes data to stdout and waits until it is handed to the OS, so exiting right after loses nothing. */
export function emit(data: string): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(data, (error) => (error ? reject(error) : resolve())));
}
