import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { followConsent } from '../helpers/browser.js';
import { runCli } from '../helpers/cli.js';
import { useEmulatorHarness } from '../helpers/harness.js';

const h = useEmulatorHarness();

/** No display, no SSH, no $BROWSER: what a container or CI shell looks like. */
const HEADLESS = { DISPLAY: undefined, WAYLAND_DISPLAY: undefined, SSH_CONNECTION: undefined, SSH_CLIENT: undefined, SSH_TTY: undefined, BROWSER: undefined };

async function mintExpecting(env: Record<string, string | undefined>, warning: RegExp) {
  const run = runCli(['mint', '-o', '-'], { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort, ...HEADLESS, ...env } });
  const url = await run.consentUrl();
  await run.waitForStderr(warning);
  expect(run.stderr().split('\n')).toContain(url);
  await followConsent(url);
  const result = await run.exit;
  expect(result.code).toBe(0);
  return result;
}

describe('when no browser can open', () => {
  it('with no display, says so, suggests --manual, and the URL is on stderr', async () => {
    const result = await mintExpecting({}, /No browser can be opened here: there is no display.*--manual/);
    expect(result.stderr).toMatch(/open the URL above in a browser yourself/);
  });

  it('over SSH, says so and suggests --manual', async () => {
    await mintExpecting({ DISPLAY: ':0', SSH_CONNECTION: '10.0.0.2 50000 10.0.0.1 22' }, /No browser can be opened here: this is an SSH session.*--manual/);
  });

  it('when the launcher fails, says so', async () => {
    const failing = h.workspace.file('failing-browser.sh', '#!/bin/sh\nexit 1\n');
    chmodSync(failing, 0o755);
    await mintExpecting(
      { BROWSER: join(h.workspace.dir, 'failing-browser.sh'), XDG_CURRENT_DESKTOP: 'X-Generic' },
      /The browser launcher failed \(exit \d+\).*--manual/,
    );
  });
});
