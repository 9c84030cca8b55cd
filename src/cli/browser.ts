import { warn } from './render.js';

/** A browser that will not start is not fatal: the URL is already on stderr to open by hand. */
export async function openInBrowser(url: string): Promise<void> {
  try {
    const { default: open } = await import('open');
    const child = await open(url);
    child.once('error', () => warn('Could not launch a browser; open the URL above by hand.'));
  } catch {
    warn('Could not launch a browser; open the URL above by hand.');
  }
}
