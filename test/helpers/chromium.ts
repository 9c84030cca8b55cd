import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium package; CI installs it. playwright-core never downloads a browser here. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Flags for a root user on a machine whose only network is loopback: no sandbox (root), and no
 * background calls home (they would only time out).
 */
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Starts headless Chromium, or fails with what to install (off CI, tests skip first: lacks('chromium')). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `The real-browser tests need Chromium at ${CHROMIUM}, and it is missing. Install it (Debian/Ubuntu: apt-get install chromium); these tests do not skip.`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}
