import { expect, it } from 'vitest';
import { followConsent } from '../helpers/browser.js';
import { runCli } from '../helpers/cli.js';
import { useEmulatorHarness } from '../helpers/harness.js';

/**
 * Issue 19, item 5: a credentials.json whose token_uri is not Google's (here the emulator's,
 * without GMAIL_TOKEN_EMULATOR_HOST) is named before consent, so before the code and the client
 * secret go to it; under the variable, where the person chose the emulator, nothing is said.
 */

const h = useEmulatorHarness();

it('mint names a token_uri outside Google before the consent URL', async () => {
  const run = runCli(['mint', '--no-open'], { cwd: h.workspace.dir });
  const url = await run.consentUrl();
  const before = run.stderr().slice(0, run.stderr().indexOf(url));
  expect(before).toMatch(
    /^warning: The token_uri of \S*credentials\.json is at http:\/\/127\.0\.0\.1:\d+, which is not Google: the client secret and the new refresh token go there\.$/m,
  );
  await followConsent(url);
  expect((await run.exit).code).toBe(0);
});

it('under GMAIL_TOKEN_EMULATOR_HOST nothing is said', async () => {
  const run = runCli(['mint', '--no-open'], { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort } });
  await followConsent(await run.consentUrl());
  const result = await run.exit;
  expect(result.code).toBe(0);
  expect(result.stderr).not.toMatch(/not Google/);
});
