import { browserUnavailable } from '../core/browser.js';
import type { CliIo } from './io.js';
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
    const launcher = await io.launchBrowser(url);
    launcher.once('exit', (code) => {
      if (code) failed(`The browser launcher failed (exit ${code})`);
    });
  } catch {
    failed('Could not launch a browser');
  }
}
