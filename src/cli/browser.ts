import type { ChildProcess } from 'node:child_process';
import { browserUnavailable } from '../core/browser.js';
import { warn } from './render.js';

/** What to say, and do, when no browser opens. */
export interface BrowserFallback {
  advice: string;
  run?: () => void;
}

/** mint's: the URL is already on stderr, so the person opens it by hand. */
const OPEN_BY_HAND: BrowserFallback = {
  advice: 'open the URL above in a browser yourself, or run again with --manual if that browser cannot reach this machine',
};

/** Where the launcher comes from: the `open` package, or a test's stand-in. */
export interface Launcher {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  open(url: string): Promise<ChildProcess>;
}

const OPEN_PACKAGE: Launcher = {
  platform: process.platform,
  env: process.env,
  open: async (url) => (await import('open')).default(url),
};

/**
 * The launcher's exit code, whenever it comes: on Windows `open` resolves only after its
 * PowerShell has exited, when an 'exit' listener is too late to hear it.
 */
function onLauncherExit(launcher: ChildProcess, exited: (code: number | null) => void): void {
  if (launcher.exitCode !== null) exited(launcher.exitCode);
  else launcher.once('exit', exited);
}

/** A browser that will not start is not fatal: `fallback` says (and does) what happens instead. */
export async function openInBrowser(url: string, fallback: BrowserFallback = OPEN_BY_HAND, launcher: Launcher = OPEN_PACKAGE): Promise<void> {
  const failed = (what: string): void => {
    warn(`${what}: ${fallback.advice}.`);
    fallback.run?.();
  };
  const reason = browserUnavailable(launcher.platform, launcher.env);
  if (reason) {
    warn(`No browser can be opened here: ${reason}. So ${fallback.advice}.`);
    fallback.run?.();
    return;
  }
  try {
    onLauncherExit(await launcher.open(url), (code) => {
      if (code) failed(`The browser launcher failed (exit ${code})`);
    });
  } catch {
    failed('Could not launch a browser');
  }
}
