/** The signals a command reacts to: Ctrl-C, a kill, a closed terminal, Ctrl-Break on Windows. */
export type CliSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP' | 'SIGBREAK';

/**
 * Everything the CLI takes from the process it runs in. Commands read these instead of
 * `process`, so a test can run the real program in-process with its own streams, environment,
 * folder, terminal and signals, and nothing of one run is left for the next.
 */
export interface CliIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** The folder relative paths are taken from. */
  cwd: string;
  isTTY: { stdin: boolean; stdout: boolean; stderr: boolean };
  onSignal(signal: CliSignal, listener: () => void): void;
  offSignal(signal: CliSignal, listener: () => void): void;
  /** Leaves at once, whatever is still pending (a second Ctrl-C). */
  exit(code: number): void;
  platform: NodeJS.Platform;
  /** Starts the system's browser launcher on `url` (the `open` package, which reads process.env). */
  launchBrowser(url: string): Promise<BrowserLauncher>;
}

/** The launcher process, for its exit code: the browser itself may outlive it. */
export interface BrowserLauncher {
  /** Already set when the launcher ended before `open` resolved, as on Windows. */
  readonly exitCode: number | null;
  once(event: 'exit', listener: (code: number | null) => void): unknown;
}

/** The real process: what `bin/gmail-token.js` runs with. */
export function processIo(): CliIo {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    isTTY: { stdin: Boolean(process.stdin.isTTY), stdout: Boolean(process.stdout.isTTY), stderr: Boolean(process.stderr.isTTY) },
    onSignal: (signal, listener) => process.on(signal, listener),
    offSignal: (signal, listener) => process.off(signal, listener),
    exit: (code) => process.exit(code),
    platform: process.platform,
    launchBrowser: async (url) => (await import('open')).default(url),
  };
}
