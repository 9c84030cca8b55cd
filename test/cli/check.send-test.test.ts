import { describe, expect, it } from 'vitest';
import { EMULATOR_PROJECT_NUMBER, FAULT_DOMAIN, GMAIL_ERRORS, type GmailErrorName } from '../../src/emulator/index.js';
import { runInProcessToEnd } from '../helpers/run-cli.js';
import { useEmulatorHarness } from '../helpers/harness.js';
import { mintTokenFile } from '../helpers/mint.js';

/** Gmail's errors have reasons; `check --send-test` tells them apart (issue 10, item 3). */

const h = useEmulatorHarness();

async function sendTestAgainst(fault: GmailErrorName | (typeof h.emulator.behaviour)['sendFault']) {
  await mintTokenFile(h.emulator, h.workspace.dir, ['-s', 'send,email']);
  h.emulator.behaviour.sendFault = fault;
  return runInProcessToEnd(['check', '--send-test', 'friend@example.org'], { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort } });
}

function errorLine(stderr: string): string {
  const lines = stderr.split('\n').filter((line) => line.startsWith('error: '));
  expect(lines).toHaveLength(1);
  return lines[0] ?? '';
}

const ACTIVATION = `https://console.developers.google.com/apis/api/gmail.googleapis.com/overview?project=${EMULATOR_PROJECT_NUMBER}`;

const cases: [GmailErrorName, RegExp][] = [
  ['insufficientPermissions', /may not send mail \(403 insufficientPermissions: Request had insufficient authentication scopes\.\)\. Mint again with --scope gmail\.send\./],
  [
    'accessNotConfigured',
    new RegExp(
      `the Gmail API is not enabled in the OAuth client's Cloud project \\(project ${EMULATOR_PROJECT_NUMBER}\\) \\(403 accessNotConfigured: Gmail API has not been used in project .*\\)\\. Enable it at ${ACTIVATION.replace(/[.?/]/g, '\\$&')}, wait a few minutes`,
    ),
  ],
  ['rateLimitExceeded', /limiting how fast .* \(429 rateLimitExceeded: Resource has been exhausted \(e\.g\. check quota\)\.\)\. It is a usage limit, not a setup problem: wait a minute/],
  ['userRateLimitExceeded', /limiting how fast .* \(403 userRateLimitExceeded: User-rate limit exceeded\. +Retry after .*\)\. It is a usage limit/],
  ['dailyLimitExceeded', /daily limit for this project is used up \(403 dailyLimitExceeded: Daily Limit Exceeded\)\. .*try again after it resets/],
  ['failedPrecondition', /cannot send from this account \(400 failedPrecondition: Mail service not enabled\): it has no Gmail mailbox, or Gmail is turned off for it/],
  ['invalidArgument', /rejected the test message \(400 invalidArgument: Recipient address required\)\. Check the address given to --send-test\./],
];

describe('check --send-test against each Gmail error', () => {
  it.each(cases)('%s: its own message, with Google\'s, exit 1', async (name, shown) => {
    const result = await sendTestAgainst(name);
    expect(result.code).toBe(1);
    const line = errorLine(result.stderr);
    expect(line).toMatch(shown);
    expect(line).toContain(GMAIL_ERRORS[name].message);
    expect(result.stderr).toMatch(/refreshes, but sending the test message failed/);
  });

  it.each(['rateLimitExceeded', 'userRateLimitExceeded', 'dailyLimitExceeded'] as const)('%s never sends the person to enable the API', async (name) => {
    const line = errorLine((await sendTestAgainst(name)).stderr);
    expect(line).not.toMatch(/enable/i);
  });

  it('a 429 without a reason is still a limit', async () => {
    const line = errorLine((await sendTestAgainst({ code: 429, message: 'Too Many Requests', status: 'RESOURCE_EXHAUSTED' })).stderr);
    expect(line).toMatch(/limiting how fast .* \(429: Too Many Requests\)\. It is a usage limit/);
  });

  it('names the project and the link when only the ErrorInfo says the API is disabled', async () => {
    const { details } = GMAIL_ERRORS.accessNotConfigured;
    const line = errorLine((await sendTestAgainst({ code: 403, message: 'Gmail API is disabled.', status: 'PERMISSION_DENIED', details: details.slice(0, 1) })).stderr);
    expect(line).toMatch(new RegExp(`project ${EMULATOR_PROJECT_NUMBER}\\) \\(403 SERVICE_DISABLED: Gmail API is disabled\\.\\)\\. Enable it at https://console\\.developers\\.google\\.com/`));
  });

  it("offers no link that is not Google's console", async () => {
    const details = [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'SERVICE_DISABLED', metadata: { consumer: 'projects/42', activationUrl: 'https://evil.example/enable' } }];
    const line = errorLine((await sendTestAgainst({ code: 403, message: 'disabled', status: 'PERMISSION_DENIED', details })).stderr);
    expect(line).toMatch(/project 42\) .*Enable it at Cloud Console, APIs & Services, Library, Gmail API/);
    expect(line).not.toContain('evil.example');
  });

  it("neutralises control characters in Google's message", async () => {
    const message = 'Mail service not enabled\u001b[2J\u001b]0;owned\u0007\r\nforged: line\u009b31m';
    const result = await sendTestAgainst({ code: 400, message, status: 'FAILED_PRECONDITION', reason: 'failedPrecondition' });
    // eslint-disable-next-line no-control-regex -- looking for control characters is the point
    expect(result.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(errorLine(result.stderr)).toMatch(/\(400 failedPrecondition: Mail service not enabled .*forged: line .*\): it has no Gmail mailbox/);
  });

  it('--json keeps the report and puts the same message in problem', async () => {
    await mintTokenFile(h.emulator, h.workspace.dir, ['-s', 'send,email']);
    h.emulator.behaviour.sendFault = 'failedPrecondition';
    const result = await runInProcessToEnd(['check', '--send-test', 'friend@example.org', '--json'], { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort } });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, can_send: true, account: 'tester@example.com', problem: expect.stringMatching(/failedPrecondition: Mail service not enabled/) });
  });
});

describe('asking for an error by recipient, as from outside the process', () => {
  it.each(['dailyLimitExceeded', 'failedPrecondition'] as const)(`%s@${FAULT_DOMAIN}`, async (name) => {
    await mintTokenFile(h.emulator, h.workspace.dir, ['-s', 'send']);
    const sent = h.emulator.messages.length;
    const result = await runInProcessToEnd(['check', '--send-test', `${name}@${FAULT_DOMAIN}`], { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort } });
    expect(result.code).toBe(1);
    expect(errorLine(result.stderr)).toContain(`(${GMAIL_ERRORS[name].code} ${name}: ${GMAIL_ERRORS[name].message})`);
    expect(h.emulator.messages).toHaveLength(sent);
  });

  it('an unknown name, or another domain, is sent as usual', async () => {
    await mintTokenFile(h.emulator, h.workspace.dir, ['-s', 'send']);
    for (const address of [`toString@${FAULT_DOMAIN}`, 'failedPrecondition@example.org']) {
      const result = await runInProcessToEnd(['check', '--send-test', address], { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort } });
      expect(result.code).toBe(0);
    }
  });
});

describe('the emulator answers in Google\'s shape', () => {
  it.each(Object.keys(GMAIL_ERRORS) as GmailErrorName[])('%s', async (name) => {
    const token = await mintTokenFile(h.emulator, h.workspace.dir, ['-s', 'send']);
    const sent = h.emulator.messages.length;
    h.emulator.behaviour.sendFault = name;
    const response = await fetch(`${h.emulator.origin}/gmail/v1/users/me/messages/send`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ raw: Buffer.from('To: a@example.net\r\n\r\nhi').toString('base64url') }),
    });
    const known = GMAIL_ERRORS[name];
    expect(response.status).toBe(known.code);
    const body = (await response.json()) as { error: Record<string, unknown> };
    expect(body.error).toMatchObject({ code: known.code, message: known.message, status: known.status, errors: [{ reason: known.reason, domain: known.domain }] });
    expect(h.emulator.messages).toHaveLength(sent);
  });
});
