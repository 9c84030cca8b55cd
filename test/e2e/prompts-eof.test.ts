import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useEmulatorHarness } from '../helpers/harness.js';
import { mintTokenFile } from '../helpers/mint.js';
import { changeOutputThenConsent, runOnTerminal } from '../helpers/pty.js';

/**
 * Issue 19, item 3: Ctrl-D (end of input) at a question is an answer. Before, the prompt never
 * settled, the process drained and exited 0 having decided nothing.
 */

const h = useEmulatorHarness();
const terminals: ReturnType<typeof runOnTerminal>[] = [];
afterEach(() => {
  for (const terminal of terminals.splice(0)) terminal.kill();
});

const CTRL_D = '\u0004';

function onTerminal(args: string[]) {
  const terminal = runOnTerminal(args, { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort } });
  terminals.push(terminal);
  return terminal;
}

async function refreshes(refreshToken: string): Promise<boolean> {
  const { clientId, clientSecret } = h.emulator.defaultClient;
  const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId, client_secret: clientSecret });
  return (await fetch(`${h.emulator.origin}/token`, { method: 'POST', body })).ok;
}

describe('Ctrl-D at a question', () => {
  it("at revoke's (y/N): exit 1, Nothing was revoked, the token still works", async () => {
    const token = await mintTokenFile(h.emulator, h.workspace.dir);
    h.emulator.received.length = 0;
    const terminal = onTerminal(['revoke']);
    await terminal.waitFor(/Revoke the refresh token from token\.json\?/);
    terminal.type(CTRL_D);
    const result = await terminal.exit;
    expect(result.code).toBe(1);
    expect(result.screen).toMatch(/Nothing was revoked\./);
    expect(h.emulator.received.filter((request) => request.path === '/revoke')).toEqual([]);
    expect(await refreshes(token.refresh_token ?? '')).toBe(true);
  });

  it('at the overwrite question: exit 2, the file untouched, no consent started', async () => {
    writeFileSync(join(h.workspace.dir, 'token.json'), '{"mine":1}\n');
    const terminal = onTerminal(['mint', '--no-open']);
    await terminal.waitFor(/token\.json already exists\. Overwrite it\?/);
    terminal.type(CTRL_D);
    const result = await terminal.exit;
    expect(result.code).toBe(2);
    expect(result.screen).toMatch(/already exists and was kept/);
    expect(result.screen).not.toMatch(/o\/oauth2/);
    expect(readFileSync(join(h.workspace.dir, 'token.json'), 'utf8')).toBe('{"mine":1}\n');
  });

  it('at "Keep the refresh token how?": kept beside the output (the off-terminal default), exit 1', async () => {
    const terminal = onTerminal(['mint', '--no-open']);
    await changeOutputThenConsent(terminal, join(h.workspace.dir, 'token.json'));
    terminal.type(CTRL_D);
    const result = await terminal.exit;
    expect(result.code).toBe(1);
    expect(readFileSync(join(h.workspace.dir, 'token.json'), 'utf8')).toBe('{}\n');
    const [kept = 'missing'] = readdirSync(h.workspace.dir).filter((name) => name.includes('.rescued-'));
    expect(result.screen.replace(/\n/g, '')).toContain(`it was written to ${join(h.workspace.dir, kept)} (mode 0600) instead`);
    const file = join(h.workspace.dir, kept);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const refreshToken = (JSON.parse(readFileSync(file, 'utf8')) as { refresh_token: string }).refresh_token;
    expect(result.screen).not.toContain(refreshToken);
    expect(await refreshes(refreshToken)).toBe(true);
  });
});
