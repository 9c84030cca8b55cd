import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { followConsent } from '../helpers/browser.js';
import { runInProcess, runInProcessToEnd, type InProcessRun } from '../helpers/run-cli.js';
import { makeWorkspace } from '../helpers/workspace.js';

let workspace: ReturnType<typeof makeWorkspace>;
let running: InProcessRun | undefined;

beforeEach(() => {
  workspace = makeWorkspace();
});
afterEach(async () => {
  running?.child.kill('SIGTERM');
  await running?.exit;
  running = undefined;
  workspace.cleanup();
});

async function startCommand(args: string[]): Promise<{ run: InProcessRun; hostPort: string }> {
  running = runInProcess(['emulator', ...args], { cwd: workspace.dir });
  await running.waitForStderr(/Press Ctrl-C to stop/);
  return { run: running, hostPort: running.stdout().trim() };
}

describe('gmail-token emulator', () => {
  it('prints host:port on stdout, serves a full session, logs requests without secrets, stops on Ctrl-C', async () => {
    const { run, hostPort } = await startCommand(['--auto-approve', '--write-credentials', 'credentials.json']);
    expect(hostPort).toMatch(/^127\.0\.0\.1:\d+$/);
    const credentialsPath = join(workspace.dir, 'credentials.json');
    expect(statSync(credentialsPath).mode & 0o777).toBe(0o600);
    const env = { GMAIL_TOKEN_EMULATOR_HOST: hostPort };
    const mint = runInProcess(['mint', '--no-open', '-s', 'send,email'], { cwd: workspace.dir, env });
    await followConsent(await mint.consentUrl());
    expect((await mint.exit).code).toBe(0);
    const check = await runInProcessToEnd(['check', '--send-test', 'someone@example.com'], { cwd: workspace.dir, env });
    expect(check.code).toBe(0);
    const messages = (await (await fetch(`http://${hostPort}/emulator/v1/messages`)).json()) as { message: string }[];
    expect(messages).toHaveLength(1);
    expect(messages[0]?.message).toMatch(/^To: someone@example\.com$/m);
    expect((await runInProcessToEnd(['revoke'], { cwd: workspace.dir, env })).code).toBe(0);
    await run.waitForStderr(/POST \/revoke 200/);
    const token = JSON.parse(readFileSync(join(workspace.dir, 'token.json'), 'utf8'));
    expect(run.stderr()).toMatch(/POST \/token 200/);
    for (const secret of [token.refresh_token, token.token, token.client_secret]) expect(run.stderr()).not.toContain(secret);
    run.child.kill('SIGINT');
    const result = await run.exit;
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/Emulator stopped/);
    running = undefined;
    await expect(fetch(`http://${hostPort}/emulator/v1/messages`)).rejects.toThrow();
  });

  it('shows a consent page with Allow and Deny unless --auto-approve', async () => {
    const { hostPort } = await startCommand([]);
    const credentials = (await (await fetch(`http://${hostPort}/emulator/v1/credentials.json`)).json()) as { installed: { client_id: string } };
    const url = new URL(`http://${hostPort}/o/oauth2/v2/auth`);
    url.search = new URLSearchParams({
      client_id: credentials.installed.client_id,
      redirect_uri: 'http://127.0.0.1:1/cb',
      response_type: 'code',
      scope: 'https://www.googleapis.com/auth/gmail.send',
      state: 's',
    }).toString();
    const page = await fetch(url, { redirect: 'manual' });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(/>\s*Allow\s*</);
    expect(html).toMatch(/>\s*Deny\s*</);
  });

  it('refuses a non-loopback --host and a taken --port with exit 2', async () => {
    const wide = await runInProcessToEnd(['emulator', '--host', '0.0.0.0'], { cwd: workspace.dir });
    expect(wide.code).toBe(2);
    expect(wide.stderr).toMatch(/not a loopback address/);
    const { hostPort } = await startCommand([]);
    const taken = await runInProcessToEnd(['emulator', '--port', hostPort.split(':')[1] ?? ''], { cwd: workspace.dir });
    expect(taken.code).toBe(2);
    expect(taken.stderr).toMatch(/Cannot listen.*--port/);
  });

  it('keeps an existing credentials file unless --force', async () => {
    workspace.file('credentials.json', 'mine');
    const result = await runInProcessToEnd(['emulator', '--write-credentials', 'credentials.json'], { cwd: workspace.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--force');
    expect(readFileSync(join(workspace.dir, 'credentials.json'), 'utf8')).toBe('mine');
    // It stopped before listening: no host:port for a script to use.
    expect(result.stdout).toBe('');
    const { hostPort } = await startCommand(['--write-credentials', 'credentials.json', '--force']);
    const written = JSON.parse(readFileSync(join(workspace.dir, 'credentials.json'), 'utf8'));
    expect(written.installed.token_uri).toBe(`http://${hostPort}/token`);
    expect(statSync(join(workspace.dir, 'credentials.json')).mode & 0o777).toBe(0o600);
  });
});

describe("the emulator's banner and exit", () => {
  it('names every address and variable, the certificate, the credentials and the messages; SIGTERM ends it with 0, SIGBREAK with 130', async () => {
    const { run, hostPort } = await startCommand([]);
    const origin = `http://${hostPort}`;
    const [smtp] = run.stderr().match(/(?<=GMAIL_TOKEN_SMTP_HOST=)\S+/) ?? [];
    const [imap] = run.stderr().match(/(?<=GMAIL_TOKEN_IMAP_HOST=)\S+/) ?? [];
    expect(run.stderr().split('\n').slice(0, 9)).toEqual([
      `gmail-token emulator listening on ${origin}`,
      `  export GMAIL_TOKEN_EMULATOR_HOST=${hostPort}`,
      `  SMTP (XOAUTH2; plain, or STARTTLS with a test-only certificate): ${smtp}`,
      `  export GMAIL_TOKEN_SMTP_HOST=${smtp}`,
      `  IMAP (XOAUTH2; plain, or STARTTLS with the same certificate): ${imap}`,
      `  export GMAIL_TOKEN_IMAP_HOST=${imap}`,
      `  the test-only certificate, for mail programs that insist on TLS: ${origin}/emulator/v1/tls-certificate.pem`,
      `  credentials.json for its Desktop client: ${origin}/emulator/v1/credentials.json`,
      `  messages sent through it: ${origin}/emulator/v1/messages`,
    ]);
    expect(smtp).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(imap).toMatch(/^127\.0\.0\.1:\d+$/);
    run.child.kill('SIGTERM');
    expect((await run.exit).code).toBe(0);
    running = undefined;

    const windows = runInProcess(['emulator'], { cwd: workspace.dir, platform: 'win32' });
    running = windows;
    await windows.waitForStderr(/Press Ctrl-C to stop/);
    windows.child.kill('SIGBREAK');
    expect((await windows.exit).code).toBe(130);
    running = undefined;
  });

  it('names the credentials file it wrote instead of the address', async () => {
    const { run } = await startCommand(['--write-credentials', 'credentials.json']);
    expect(run.stderr()).toContain(`  credentials.json for its Desktop client: ${join(workspace.dir, 'credentials.json')}\n`);
  });
});
