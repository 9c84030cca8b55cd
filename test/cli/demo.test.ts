/**
 * What `gmail-token demo` shows a person: colours that survive the neutraliser (review finding 4),
 * and the access-token step that reuses the fresh token the way the real command does (finding 5).
 */
import { describe, expect, it } from 'vitest';
import { runInProcessToEnd } from '../helpers/run-cli.js';
import { makeWorkspace } from '../helpers/workspace.js';

/** A Linux machine with no display and no SSH: nothing can open a browser. */
const HEADLESS = { DISPLAY: undefined, WAYLAND_DISPLAY: undefined, BROWSER: undefined, SSH_CONNECTION: undefined, SSH_CLIENT: undefined, SSH_TTY: undefined };
const ESC = '\u001b';

async function demo(env: Record<string, string | undefined>): Promise<{ code: number | null; stderr: string }> {
  const workspace = makeWorkspace();
  try {
    return await runInProcessToEnd(['demo', '--auto-approve'], { cwd: workspace.dir, env: { ...HEADLESS, ...env } });
  } finally {
    workspace.cleanup();
  }
}

describe('demo output', () => {
  it('FORCE_COLOR=1 paints the commands dim with intact escape codes, never a neutralised " [2m"', async () => {
    const result = await demo({ NO_COLOR: undefined, FORCE_COLOR: '1' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`${ESC}[2m$ gmail-token mint --scope gmail.send,email${ESC}[22m`);
    expect(result.stderr).toContain(`${ESC}[2mEach step runs what the command on its right runs against Google.${ESC}[22m`);
    expect(result.stderr).toMatch(new RegExp(`${ESC}\\[2m {2,}the emulator's Gmail received: From:`));
    expect(result.stderr).not.toMatch(/ \[2m| \[22m/);
  });

  it('NO_COLOR=1 prints no escape codes at all', async () => {
    const result = await demo({ NO_COLOR: '1' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/\$ gmail-token mint --scope gmail\.send,email/);
    expect(result.stderr).not.toContain(ESC);
  });
});

describe('demo access-token step', () => {
  it('runs what `access-token` runs: the fresh token mint stored is printed again, with no request to the token endpoint', async () => {
    const result = await demo({ NO_COLOR: '1' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/✓ access-token\s+reused the fresh one mint stored: (59|60) min left \(not shown\)\s+\$ gmail-token access-token/);
    expect(result.stderr).toMatch(/^\s+no request to the token endpoint: within the hour the stored token is printed again$/m);
  });
});
