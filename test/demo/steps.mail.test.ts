import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveEndpoints } from '../../src/core/endpoints.js';
import { tokenJson } from '../../src/core/output.js';
import { parseTokenFile } from '../../src/core/stored-token.js';
import { sendStep, type DemoSession } from '../../src/demo/steps.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { mintedWith } from '../helpers/mail.js';

let emulator: Emulator;
let session: DemoSession;
// A fresh emulator per test: each asserts on the mail logins it alone caused, whatever the order.
beforeEach(async () => {
  emulator = await startEmulator();
  session = {
    emulator,
    endpoints: resolveEndpoints({ emulatorHost: emulator.hostPort }),
    approval: 'self',
    timeoutSeconds: 30,
    openBrowser: () => Promise.resolve(),
    tell: () => undefined,
    signal: new AbortController().signal,
    now: () => new Date(),
  };
});
afterEach(() => emulator.close());

const storedWith = async (scopes: string[]) => parseTokenFile(tokenJson(await mintedWith(emulator, scopes)), 'the demo token.json');

describe("the demo's check step and the SMTP/IMAP login", () => {
  it("with the demo's own scopes (gmail.send, email) says in one line why the login is not tried", async () => {
    const outcome = await sendStep(session, await storedWith(['gmail.send', 'email']));
    expect(outcome.shown?.at(-1)).toBe('SMTP/IMAP login not tried: SMTP, IMAP and POP will refuse this token: they accept only https://mail.google.com/ (mint with -s full for mail programs).');
    expect(emulator.mailLogins).toEqual([]);
  });

  it("with the full-mail scope logs in to the emulator's SMTP and IMAP and shows it", async () => {
    const outcome = await sendStep(session, await storedWith(['full', 'email']));
    expect(outcome.shown?.slice(1)).toEqual([
      `logged in over XOAUTH2 to ${emulator.smtpHostPort} as tester@example.com and out (check --smtp --imap)`,
      `logged in over XOAUTH2 to ${emulator.imapHostPort} as tester@example.com and out (check --smtp --imap)`,
    ]);
    expect(emulator.mailLogins.map((login) => [login.protocol, login.accepted])).toEqual([['smtp', true], ['imap', true]]);
  });
});
