/** mint --manual and the prompts on a real pseudo-terminal (util-linux script): typed keys, colour. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useEmulatorHarness } from '../helpers/harness.js';
import { runOnTerminal } from '../helpers/pty.js';

const h = useEmulatorHarness();

/** Consent in "another browser": the emulator redirects to a loopback URL nobody serves. */
async function redirectedUrl(consentUrl: string): Promise<string> {
  const answer = await fetch(consentUrl, { redirect: 'manual' });
  return answer.headers.get('location') ?? '';
}

function tokenFile() {
  return JSON.parse(readFileSync(join(h.workspace.dir, 'token.json'), 'utf8')) as Record<string, string>;
}

describe('on a terminal', () => {
  const env = () => ({ GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort, BROWSER: 'false' });

  it('--manual asks with a prompt and lets the person retry after a mistake', async () => {
    const terminal = runOnTerminal(['mint', '--manual'], { cwd: h.workspace.dir, env: env() });
    const [url = ''] = await terminal.waitFor(/https?:\/\/\S+\/o\/oauth2\/\S+/);
    await terminal.waitFor(/Paste the URL \(or code\)/);
    terminal.type('this is not it\r');
    await terminal.waitFor(/Paste the whole URL from the browser address bar/);
    terminal.type('\u0015');
    terminal.type(`${await redirectedUrl(url)}\r`);
    const result = await terminal.exit;
    expect(result.code).toBe(0);
    expect(tokenFile().type).toBe('authorized_user');
  });

  it('asks before overwriting an existing output file, and keeps it by default', async () => {
    h.workspace.file('token.json', 'precious');
    const terminal = runOnTerminal(['mint', '--no-open'], { cwd: h.workspace.dir, env: env() });
    await terminal.waitFor(/token\.json already exists\. Overwrite it\?/);
    terminal.type('\r');
    const result = await terminal.exit;
    expect(result.code).toBe(2);
    expect(result.screen).toMatch(/was kept.*--force/);
    expect(readFileSync(join(h.workspace.dir, 'token.json'), 'utf8')).toBe('precious');
    expect(h.emulator.received.filter((request) => request.path === '/token')).toEqual([]);
  });

  it('overwrites when the person answers yes', async () => {
    h.workspace.file('token.json', 'old');
    const terminal = runOnTerminal(['mint', '--manual'], { cwd: h.workspace.dir, env: env() });
    await terminal.waitFor(/Overwrite it\?/);
    terminal.type('y\r');
    const [url = ''] = await terminal.waitFor(/https?:\/\/\S+\/o\/oauth2\/\S+/);
    await terminal.waitFor(/Paste the URL/);
    terminal.type(`${await redirectedUrl(url)}\r`);
    expect((await terminal.exit).code).toBe(0);
    expect(tokenFile().type).toBe('authorized_user');
  });

  it('explains where credentials.json comes from and asks for its path', async () => {
    const elsewhere = h.workspace.file('downloaded-client.json', JSON.stringify(h.emulator.credentialsFile()));
    h.workspace.file('credentials.json', '');
    const { rmSync } = await import('node:fs');
    rmSync(join(h.workspace.dir, 'credentials.json'));
    const terminal = runOnTerminal(['mint', '--manual', '-o', '-'], { cwd: h.workspace.dir, env: env() });
    await terminal.waitFor(/No credentials\.json here\..*Desktop app/s);
    await terminal.waitFor(/Path to the downloaded client JSON/);
    terminal.type(`${elsewhere}\r`);
    const [url = ''] = await terminal.waitFor(/https?:\/\/\S+\/o\/oauth2\/\S+/);
    await terminal.waitFor(/Paste the URL/);
    terminal.type(`${await redirectedUrl(url)}\r`);
    expect((await terminal.exit).code).toBe(0);
  });
});

describe('colour', () => {
  it('is used on a terminal and turned off by NO_COLOR', async () => {
    const coloured = runOnTerminal(['revoke'], { cwd: h.workspace.dir, env: { GMAIL_API_REFRESH_TOKEN: '' } });
    await coloured.exit;
    expect(coloured.raw()).toContain('\u001b[31merror: ');
    const plain = runOnTerminal(['revoke'], { cwd: h.workspace.dir, env: { GMAIL_API_REFRESH_TOKEN: '', NO_COLOR: '1' } });
    const result = await plain.exit;
    expect(result.code).toBe(2);
    expect(plain.raw()).toMatch(/error: No token found/);
    expect(plain.raw()).not.toContain('\u001b[');
  });
});
