import { describe, expect, it } from 'vitest';
import { openInBrowser, type BrowserFallback } from '../../src/cli/browser.js';
import type { CliIo } from '../../src/cli/io.js';
import { fakeIo } from '../helpers/fake-io.js';

/** When no browser opens, the person is told why and what to do instead, and the fallback runs once. */

async function open(env: NodeJS.ProcessEnv, launchBrowser: CliIo['launchBrowser'], fallback?: BrowserFallback): Promise<{ said: string; launched: number }> {
  let launched = 0;
  const { io, said } = fakeIo({
    env: { ...env, NO_COLOR: '1' },
    launchBrowser: (url) => {
      launched += 1;
      return launchBrowser(url);
    },
  });
  await openInBrowser(io, 'http://127.0.0.1:1/o/oauth2/v2/auth', fallback);
  await new Promise((resolve) => setImmediate(resolve));
  return { said: said(), launched };
}

const fails: CliIo['launchBrowser'] = () => Promise.reject(new Error('spawn xdg-open ENOENT'));

describe('no browser', () => {
  it('over SSH: says why, launches nothing, and runs the fallback once', async () => {
    let runs = 0;
    const { said, launched } = await open({ SSH_CONNECTION: '10.0.0.1 22 10.0.0.2 22', DISPLAY: ':0' }, fails, { advice: 'paste it here', run: () => (runs += 1) });
    expect(said).toBe('warning: No browser can be opened here: this is an SSH session. So paste it here.\n');
    expect(launched).toBe(0);
    expect(runs).toBe(1);
  });

  it("mint's fallback without a display: open the URL by hand, or --manual", async () => {
    const { said } = await open({}, fails);
    expect(said).toBe(
      'warning: No browser can be opened here: there is no display (DISPLAY and WAYLAND_DISPLAY are unset). So open the URL above in a browser yourself, or run again with --manual if that browser cannot reach this machine.\n',
    );
  });

  it('a launcher that cannot start: says so, and runs the fallback once', async () => {
    let runs = 0;
    const { said, launched } = await open({ DISPLAY: ':0' }, fails, { advice: 'paste it here', run: () => (runs += 1) });
    expect(launched).toBe(1);
    expect(said).toBe('warning: Could not launch a browser: paste it here.\n');
    expect(runs).toBe(1);
  });

  it('a launcher that cannot start, with the default fallback, which has nothing to run', async () => {
    const { said } = await open({ DISPLAY: ':0' }, fails);
    expect(said).toMatch(/^warning: Could not launch a browser: open the URL above in a browser yourself/);
  });
});
