import { describe, expect, it } from 'vitest';
import { runInProcessToEnd } from '../helpers/run-cli.js';

describe('check --smtp/--imap with GMAIL_TOKEN_SMTP_HOST / GMAIL_TOKEN_IMAP_HOST', () => {
  it.each(['127.0.0.256', '127.0.0.09'])('check --smtp with GMAIL_TOKEN_SMTP_HOST=%s:2525 is refused with exit 2 before anything is sent', async (host) => {
    const result = await runInProcessToEnd(['check', '--smtp', '--token', '1//not-used'], { env: { GMAIL_TOKEN_SMTP_HOST: `${host}:2525` } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`GMAIL_TOKEN_SMTP_HOST="${host}:2525" is not a valid IP address and port.`);
  });
});
