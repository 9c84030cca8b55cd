import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { followConsent } from '../helpers/browser.js';
import { runInProcess } from '../helpers/run-cli.js';
import { useEmulatorHarness } from '../helpers/harness.js';

/** What mint tells the person once the token is kept: where it went, how it is protected, and what to run next. */
const h = useEmulatorHarness();

async function minted(args: string[], env: Record<string, string> = {}) {
  const run = runInProcess(['mint', '--no-open', ...args], { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort, ...env } });
  await followConsent(await run.consentUrl());
  const result = await run.exit;
  expect(result.code).toBe(0);
  return result.stderr.split('\n').filter((line) => !/^(Opening|Open this|Waiting|Listening| {2}http)/.test(line));
}

describe("mint's summary", () => {
  it('for a token.json: written where, mode 0600, the account unknown without the email scope, and check --token-file next', async () => {
    const said = await minted([]);
    expect(said).toEqual(expect.arrayContaining([
      '✓ Refresh token written to token.json (mode 0600).',
      '  account: unknown (add the email scope to record it)',
      '  scopes:  https://www.googleapis.com/auth/gmail.send',
      'Next: `gmail-token check --token-file token.json` confirms it works; keep the file out of version control.',
    ]));
  });

  it('for a .env updated in place: other lines kept, and the prefix in the next command', async () => {
    writeFileSync(join(h.workspace.dir, '.env'), 'OTHER=1\n');
    const said = await minted(['-f', 'env', '-o', '.env', '--env-prefix', 'MAIL_']);
    expect(said).toEqual(expect.arrayContaining([
      '✓ Refresh token written to .env (mode 0600, other lines kept).',
      'Next: `gmail-token check --token-file .env --env-prefix MAIL_` confirms it works; keep the file out of version control.',
    ]));
  });

  it('on stdout: printed, and how to check it from there', async () => {
    expect(await minted(['-f', 'env'])).toEqual(expect.arrayContaining([
      '✓ Refresh token printed to stdout.',
      'Next: with these variables set, `gmail-token check` confirms the token works.',
    ]));
    expect(await minted(['-o', '-'])).toEqual(expect.arrayContaining([
      '✓ Refresh token printed to stdout.',
      'Next: save it as token.json, then `gmail-token check` confirms it works.',
    ]));
  });
});
