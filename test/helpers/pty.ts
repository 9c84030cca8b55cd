import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { followConsent } from './browser.js';
import { BIN, endWithTest } from './cli.js';
import { childEnvironment } from './environment.js';

// eslint-disable-next-line no-control-regex -- terminal escape sequences are control characters
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]|\u001b[()][A-Za-z0-9]|\r/g;

const quoted = (part: string) => `'${part.replace(/'/g, `'\\''`)}'`;

/**
 * Runs the CLI on a real pseudo-terminal (util-linux `script`), so stdin and stderr are TTYs and
 * the prompts behave as they do for a person; keys are typed by writing to `script`'s input.
 * `exitStatusTo`: a file that receives the CLI's exit status even when the terminal closes first
 * (killing `script` closes it, and takes the status with it); the CLI may then dump core, into
 * its folder.
 */
export function runOnTerminal(args: string[], options: { cwd: string; env?: Record<string, string>; exitStatusTo?: string }) {
  const cli = [process.execPath, BIN, ...args].map(quoted).join(' ');
  // `script` starts the command with $SHELL -c: bash replaces itself with a lone command, dash
  // (/bin/sh on Debian, CI's shell) does not, so `exec` makes the CLI the terminal's process either
  // way, and a signal sent to `script`'s child reaches the CLI. With `exitStatusTo` the shell
  // stays on purpose: it outlives the hang-up (its trap runs once the CLI ended) to write the status down.
  const command = options.exitStatusTo === undefined ? `exec ${cli}` : `trap : HUP; ulimit -c unlimited; ${cli}; echo $? > ${quoted(options.exitStatusTo)}`;
  const child = spawn('script', ['-q', '-e', '-f', '-c', command, '/dev/null'], {
    cwd: options.cwd,
    env: childEnvironment({ TERM: 'xterm', ...options.env }),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  endWithTest(child);
  let screen = '';
  let raw = '';
  const waiters: { pattern: RegExp; resolve: (match: RegExpMatchArray) => void }[] = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    raw += chunk;
    screen += chunk.replace(ANSI, '');
    for (const waiter of [...waiters]) {
      const match = screen.match(waiter.pattern);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  });
  const exit = new Promise<{ code: number | null; screen: string }>((resolve) => child.on('close', (code) => resolve({ code, screen })));
  return {
    /** Resolves when `pattern` shows on the terminal. */
    waitFor: (pattern: RegExp) => {
      const match = screen.match(pattern);
      if (match) return Promise.resolve(match);
      return Promise.race([
        new Promise<RegExpMatchArray>((resolve) => waiters.push({ pattern, resolve })),
        exit.then(({ screen: shown }) => {
          throw new Error(`exited before ${pattern}; screen:\n${shown}`);
        }),
      ]);
    },
    type: (keys: string) => child.stdin.write(keys),
    /** The pid of `script`, whose child is the CLI. */
    pid: child.pid ?? 0,
    screen: () => screen,
    /** Everything the terminal received, escape sequences included. */
    raw: () => raw,
    /** Ends the session if it is still running, for a test that failed half-way. */
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill();
    },
    exit,
  };
}

/**
 * For a mint on `terminal`: writes `content` to `outputFile` while consent is being given (so the
 * output changed and mint must not overwrite it), gives consent, and waits until mint asks the
 * person "Keep the refresh token how?".
 */
export async function changeOutputThenConsent(terminal: ReturnType<typeof runOnTerminal>, outputFile: string, content = '{}\n'): Promise<void> {
  const [url = ''] = await terminal.waitFor(/https?:\/\/\S+\/o\/oauth2\/\S+/);
  writeFileSync(outputFile, content);
  await followConsent(url);
  await terminal.waitFor(/Keep the refresh token how\?/);
}
