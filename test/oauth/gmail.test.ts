import { describe, expect, it } from 'vitest';
import { FlowError } from '../../src/core/errors.js';
import { rfc2822Date } from '../../src/core/message.js';
import { sendTestMessage } from '../../src/oauth/gmail.js';
import { refreshAccess } from '../../src/oauth/refresh.js';
import { useEmulatorHarness } from '../helpers/harness.js';
import { useCheckFlow } from '../helpers/check.js';
import { useStubGoogle } from '../helpers/stub-google.js';
import { freePort } from '../helpers/workspace.js';

/** What `check` reports and how its test message is sent (src/oauth/check.ts, gmail.ts), in this process. */
const h = useEmulatorHarness();

const SEND = 'https://www.googleapis.com/auth/gmail.send';
const EMAIL = 'https://www.googleapis.com/auth/userinfo.email';
const NOW = new Date('2026-11-27T12:00:00Z');

/** Google in a documented case the emulator does not play. */
const google = useStubGoogle();

const { endpoints, mint, check, sent } = useCheckFlow(h, NOW);

describe('the test message', () => {
  it('is sent from the account to the address given, and its Gmail id reported', async () => {
    const report = await check(await mint([SEND, EMAIL]), { sendTestTo: 'someone@example.com' });
    expect(sent()).toHaveLength(1);
    const [message] = sent();
    expect(report).toMatchObject({ ok: true, problem: null, test_message_id: message?.id });
    expect(message?.message).toMatch(/^From: tester@example\.com\r\nTo: someone@example\.com\r\nSubject: gmail-token test message\r\n/);
    expect(message?.message).toContain(`\r\nDate: ${rfc2822Date(NOW)}\r\n`);
    expect(message?.message).toMatch(/\r\nMessage-ID: <[0-9a-f]{24}@gmail-token\.invalid>\r\n/);
  });

  it("Gmail's refusal fails the check with Gmail's reason, keeping what was learnt", async () => {
    const report = await check(await mint([SEND, EMAIL]), { sendTestTo: 'dailyLimitExceeded@gmail-errors.invalid' });
    expect(report).toMatchObject({ ok: false, can_send: true, account: 'tester@example.com', scopes: [SEND, EMAIL], test_message_id: null });
    expect(report.problem).toBe(
      "Gmail's daily limit for this project is used up (403 dailyLimitExceeded: Daily Limit Exceeded). It is a usage limit, not a setup problem: try again after it resets (midnight Pacific Time).",
    );
    expect(sent()).toEqual([]);
  });

  describe('sendTestMessage', () => {
    const client = async () => {
      const { clientId, clientSecret } = h.emulator.defaultClient;
      return (await refreshAccess(await mint([SEND]), { clientId, clientSecret }, endpoints())).client;
    };
    const message = { to: 'someone@example.com', now: NOW };

    it('returns the id Gmail gave; each message has its own Message-ID', async () => {
      const sender = await client();
      const ids = [await sendTestMessage(sender, endpoints().send, message), await sendTestMessage(sender, endpoints().send, message)];
      expect(ids).toEqual(sent().map((m) => m.id));
      const [first, second] = sent().map((m) => /Message-ID: (\S+)/.exec(m.message)?.[1]);
      expect(first).not.toBe(second);
      expect(sent()[0]?.message).not.toMatch(/^From:/m);
    });

    it('fails in one line when Gmail cannot be reached, refuses, or sends no id', async () => {
      const sender = await client();
      const unreachable = `http://127.0.0.1:${await freePort()}/send`;
      await expect(sendTestMessage(sender, unreachable, message)).rejects.toThrow(/^Sending the test message failed: could not reach Gmail \(ECONNREFUSED\)\.$/);
      const refused = sendTestMessage(sender, endpoints().send, { ...message, to: 'failedPrecondition@gmail-errors.invalid' });
      await expect(refused).rejects.toBeInstanceOf(FlowError);
      await expect(refused).rejects.toThrow(
        /^Gmail cannot send from this account \(400 failedPrecondition: Mail service not enabled\): it has no Gmail mailbox, or Gmail is turned off for it\. Mint with an account that has Gmail\.$/,
      );
      google.answer(() => ({ status: 200, body: { id: 7 } }));
      await expect(sendTestMessage(sender, `${google.origin()}/send`, message)).rejects.toThrow(/^Gmail accepted the message but sent no id back\.$/);
    });
  });
});
