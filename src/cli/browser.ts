import { browserUnavailable } from '../core/browser.js';
import { warn } from './render.js';

const BY_HAND = 'open the URL above in a browser yourself';
const MANUAL = 'or run again with --manual if that browser cannot reach this machine';

/** A browser that will not start is not fatal: the URL is already on stderr to open by hand. */
export async function openInBrowser(url: string): Promise<void> {
  const reason = browserUnavailable(process.platform, process.env);
  if (reason) {
    warn(`No browser can be opened here: ${reason}. So ${BY_HAND}, ${MANUAL}.`);
    return;
  }
  try {
    const { default: open } = await import('open');
    const launcher = await open(url);
    launcher.once('exit', (code) => {
      if (code) warn(`The browser launcher failed (exit ${code}): ${BY_HAND}, ${MANUAL}.`);
    });
  } catch {
    warn(`Could not launch a browser: ${BY_HAND}, ${MANUAL}.`);
  }
}
