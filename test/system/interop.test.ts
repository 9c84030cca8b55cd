import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GoogleAuth, UserRefreshClient } from 'google-auth-library';
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { followConsent } from '../helpers/browser.js';
import { envLine } from '../../src/core/dotenv.js';
import { runInProcess } from '../helpers/run-cli.js';
import { mintTokenFile } from '../helpers/mint.js';
import { useEmulatorHarness } from '../helpers/harness.js';
import { lacks } from '../helpers/programs.js';

/** Debian's interpreter, where apt's python3-google-auth lives (not a pyenv one on PATH). */
const PYTHON = '/usr/bin/python3';

const h = useEmulatorHarness();


async function isLiveAccessToken(token: string): Promise<boolean> {
  const answer = await fetch(`${h.emulator.origin}/tokeninfo?access_token=${encodeURIComponent(token)}`);
  return answer.status === 200;
}

describe('clients this project did not write accept what mint writes', () => {
  it('Node google-auth-library: auth.fromJSON(token.json) refreshes against the emulator', async () => {
    const file = await mintTokenFile(h.emulator, h.workspace.dir);
    const client = new GoogleAuth().fromJSON(file);
    expect(client).toBeInstanceOf(UserRefreshClient);
    const refresher = client as UserRefreshClient;
    Object.assign(refresher.endpoints, { oauth2TokenUrl: file.token_uri });
    const { token } = await refresher.getAccessToken();
    expect(token).toBeTruthy();
    expect(token).not.toBe(file.token);
    expect(await isLiveAccessToken(token ?? '')).toBe(true);
  });

  it.skipIf(lacks('python3-google-auth'))("Python google-auth (Debian's python3-google-auth): from_authorized_user_file loads and refreshes", async () => {
    expect(existsSync(PYTHON), `${PYTHON} is needed; .ci/run installs python3-google-auth`).toBe(true);
    const file = await mintTokenFile(h.emulator, h.workspace.dir);
    // Older google-auth ignores token_uri from the file, so the test points the token endpoint at the h.emulator.
    const script = `
import json, sys
from google.oauth2.credentials import Credentials
from google.auth.transport.requests import Request
creds = Credentials.from_authorized_user_file(sys.argv[1])
creds._token_uri = json.load(open(sys.argv[1]))["token_uri"]
creds.refresh(Request())
print(json.dumps({"token": creds.token, "valid": creds.valid, "client_id": creds.client_id}))
`;
    const { stdout } = await promisify(execFile)(PYTHON, ['-c', script, join(h.workspace.dir, 'token.json')]);
    const result = JSON.parse(stdout) as { token: string; valid: boolean; client_id: string };
    expect(result.valid).toBe(true);
    expect(result.client_id).toBe(file.client_id);
    expect(await isLiveAccessToken(result.token)).toBe(true);
  });

  it("nodemailer: the env lines of `mint -f env` drive its OAuth2 transport through the emulator's SMTP, which checks XOAUTH2 as Gmail does", async () => {
    const run = runInProcess(['mint', '--no-open', '-f', 'env', '-s', 'full'], { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort } });
    await followConsent(await run.consentUrl());
    const minted = await run.exit;
    expect(minted.code).toBe(0);
    const env = Object.fromEntries(minted.stdout.trim().split('\n').map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]));

    h.emulator.messages.length = 0;
    h.emulator.mailLogins.length = 0;
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: Number(h.emulator.smtpHostPort.split(':')[1]),
      secure: false,
      ignoreTLS: true,
      auth: {
        type: 'OAuth2',
        user: 'tester@example.com',
        clientId: env.GMAIL_API_CLIENT_ID,
        clientSecret: env.GMAIL_API_CLIENT_SECRET,
        refreshToken: env.GMAIL_API_REFRESH_TOKEN,
        accessUrl: `${h.emulator.origin}/token`,
      },
    });
    await transport.sendMail({ from: 'tester@example.com', to: 'friend@example.org', subject: 'interop', text: 'hello' });
    transport.close();
    expect(h.emulator.mailLogins).toHaveLength(1);
    expect(h.emulator.mailLogins[0]).toMatchObject({ protocol: 'smtp', user: 'tester@example.com', accepted: true });
    expect(await isLiveAccessToken(h.emulator.mailLogins[0]?.token ?? '')).toBe(true);
    expect(h.emulator.messages[0]?.message).toMatch(/Subject: interop/);
  });

  it.skipIf(lacks('python3-dotenv'))("python-dotenv (Debian's python3-dotenv), which Django settings often load .env with, reads what mint writes", async () => {
    const kept = 'export DEBUG=1\nSIGNING_KEY="-----BEGIN KEY-----\nGMAIL_API_REFRESH_TOKEN=part-of-the-key\n-----END KEY-----"\n';
    const path = h.workspace.file('.env', `${kept}GMAIL_API_REFRESH_TOKEN=stale\n`);
    const run = runInProcess(['mint', '--no-open', '-f', 'env', '-o', '.env'], { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort } });
    await followConsent(await run.consentUrl());
    expect((await run.exit).code).toBe(0);
    const minted = readFileSync(path, 'utf8');
    expect(minted.startsWith(kept)).toBe(true);
    // Values written in the forms both readers share: bare, '…', and "…" with \n escapes.
    const odd = ["has space # and 'quote'", 'two\nlines', 'tab\there', '$HOME and `ticks`', 'é ü 😀'];
    const lines = odd.map((value, i) => envLine([`ODD_${i}`, value])).join('\n');
    const script = `
import json, sys
from dotenv import dotenv_values
print(json.dumps([dotenv_values(sys.argv[1]), dotenv_values(stream=__import__("io").StringIO(sys.argv[2]))]))
`;
    const { stdout } = await promisify(execFile)(PYTHON, ['-c', script, path, lines]);
    const [fromFile, fromLines] = JSON.parse(stdout) as Record<string, string>[];
    expect(fromFile).toEqual({
      DEBUG: '1',
      SIGNING_KEY: '-----BEGIN KEY-----\nGMAIL_API_REFRESH_TOKEN=part-of-the-key\n-----END KEY-----',
      GMAIL_API_REFRESH_TOKEN: /^GMAIL_API_REFRESH_TOKEN=(\S+)$/m.exec(minted.slice(kept.length))?.[1],
      GMAIL_API_CLIENT_ID: h.emulator.defaultClient.clientId,
      GMAIL_API_CLIENT_SECRET: h.emulator.defaultClient.clientSecret,
    });
    expect(fromLines).toEqual(Object.fromEntries(odd.map((value, i) => [`ODD_${i}`, value])));
  });
});
