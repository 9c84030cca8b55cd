import { browserUnavailable } from '../core/browser.js';
import type { BrowserLauncher, CliIo } from './io.js';
import { renderFor } from './render.js';

/** What to say, and do, when no browser opens. */
export interface BrowserFallback {
  advice: string;
  run?: () => void;
}

/** mint's: the URL is already on stderr, so the person opens it by hand. */
const OPEN_BY_HAND: BrowserFallback = {
  advice: 'open the URL above in a browser yourself, or run again with --manual if that browser cannot reach this machine',
};

/**
 * The launcher's exit code, whenever it comes: on Windows `open` resolves only after its
 * PowerShell has exited, when an 'exit' listener is too late to hear it.
 */
function onLauncherExit(launcher: BrowserLauncher, exited: (code: number | null) => void): void {
  if (launcher.exitCode !== null) exited(launcher.exitCode);
  else launcher.once('exit', exited);
}

/** A browser that will not start is not fatal: `fallback` says (and does) what happens instead. */
export async function openInBrowser(io: CliIo, url: string, fallback: BrowserFallback = OPEN_BY_HAND): Promise<void> {
  const { warn } = renderFor(io);
  const failed = (what: string): void => {
    warn(`${what}: ${fallback.advice}.`);
    fallback.run?.();
  };
  const reason = browserUnavailable(io.platform, io.env);
  if (reason) {
    warn(`No browser can be opened here: ${reason}. So ${fallback.advice}.`);
    fallback.run?.();
    return;
  }
  try {
    onLauncherExit(await io.launchBrowser(url), (code) => {
      if (code) failed(`The browser launcher failed (exit ${code})`);
    });
  } catch {
    failed('Could not launch a browser');
  }
}
