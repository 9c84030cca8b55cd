import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { useEmulatorHarness } from '../helpers/harness.js';
import { mintTokenFile } from '../helpers/mint.js';
import { runInProcess, runInProcessToEnd } from '../helpers/run-cli.js';

const h = useEmulatorHarness();

describe('check --smtp/--imap with GMAIL_TOKEN_SMTP_HOST / GMAIL_TOKEN_IMAP_HOST', () => {
  it.each(['127.0.0.256', '127.0.0.09'])('check --smtp with GMAIL_TOKEN_SMTP_HOST=%s:2525 is refused with exit 2 before anything is sent', async (host) => {
    const result = await runInProcessToEnd(['check', '--smtp', '--token', '1//not-used'], { env: { GMAIL_TOKEN_SMTP_HOST: `${host}:2525` } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`GMAIL_TOKEN_SMTP_HOST="${host}:2525" is not a valid IP address and port.`);
  });

  it('names the server the variable chose on stderr before connecting to it', async () => {
    await mintTokenFile(h.emulator, h.workspace.dir, ['-s', 'full,email']);
    let saidOnConnect: string | undefined;
    let stderrNow = () => '';
    // Whoever owns the port: it hears nothing but the connection, and hangs up.
    const squatter = createServer((socket) => ((saidOnConnect = stderrNow()), socket.destroy()));
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const port = (squatter.address() as AddressInfo).port;
    const env = { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort, GMAIL_TOKEN_SMTP_HOST: `127.0.0.1:${port}` };
    const run = runInProcess(['check', '--smtp'], { cwd: h.workspace.dir, env });
    stderrNow = run.stderr;
    const result = await run.exit;
    squatter.close();
    const notice = `warning: Logging in to SMTP at 127.0.0.1:${port} ($GMAIL_TOKEN_SMTP_HOST) over plain TCP, not Gmail.`;
    expect(saidOnConnect).toContain(notice);
    expect(result.code).toBe(1);
  });

  it('says nothing of the kind for Gmail itself', async () => {
    const result = await runInProcessToEnd(['check', '--smtp', '--imap', '--token', '1//not-used'], { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort } });
    expect(result.stderr).not.toMatch(/not Gmail/);
  });
});
