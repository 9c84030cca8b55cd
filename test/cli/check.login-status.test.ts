import { describe, expect, it } from 'vitest';
import { useEmulatorHarness } from '../helpers/harness.js';
import { mintTokenFile } from '../helpers/mint.js';
import { runInProcessToEnd } from '../helpers/run-cli.js';
import { freePort } from '../helpers/workspace.js';

const h = useEmulatorHarness();

/** "refused" means a server heard the login and said no; when no login happened the line says why. */
describe('check --smtp/--imap when no login happened', () => {
  it('a server that cannot be reached: "not reached", not "refused"', async () => {
    await mintTokenFile(h.emulator, h.workspace.dir, ['-s', 'full,email']);
    const nobody = `127.0.0.1:${await freePort()}`;
    const env = { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort, GMAIL_TOKEN_SMTP_HOST: nobody, GMAIL_TOKEN_IMAP_HOST: nobody };
    const result = await runInProcessToEnd(['check', '--smtp', '--imap'], { cwd: h.workspace.dir, env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`SMTP:     not reached at ${nobody}`);
    expect(result.stderr).toContain(`IMAP:     not reached at ${nobody}`);
    expect(result.stderr).not.toMatch(/refused at/);
    expect(h.emulator.mailLogins).toEqual([]);
  });

  it('a token that names no account: "not tried", not "refused"', async () => {
    await mintTokenFile(h.emulator, h.workspace.dir, ['-s', 'full']);
    const env = { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort, GMAIL_TOKEN_SMTP_HOST: h.emulator.smtpHostPort };
    const result = await runInProcessToEnd(['check', '--smtp'], { cwd: h.workspace.dir, env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`SMTP:     not tried at ${h.emulator.smtpHostPort}`);
    expect(result.stderr).not.toMatch(/refused at/);
  });
});
