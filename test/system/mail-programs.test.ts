import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { childEnvironment } from '../helpers/environment.js';
import { useEmulatorHarness } from '../helpers/harness.js';
import { mintTokenFile } from '../helpers/mint.js';
import { lacks } from '../helpers/programs.js';
import { recipe as recipeOn } from '../helpers/recipes.js';

/**
 * The mail-program recipes of docs/recipes/mail-programs.md, run with the real programs (Debian's
 * msmtp, git-email and neomutt, installed by test/tools/system-deps.mjs) against the emulator's own
 * SMTP and IMAP, which, like Gmail, take only XOAUTH2 with a live full-mail access token for the
 * account that logs in. Each recipe is read from that page by its marker, so the page shows what was
 * tested; only the server lines change, as a person pointing the recipe at `gmail-token emulator`
 * would change them: its host and ports, STARTTLS instead of Gmail's implicit TLS for IMAP, and trust
 * in the emulator's test-only certificate (served at /emulator/v1/tls-certificate.pem) so TLS really runs.
 */
const ACCOUNT = 'you@gmail.com';
const recipe = (name: string): string => recipeOn('mail-programs', name).code;

/** Changes one line the recipe must have, so a page edit that drops it fails here. */
function replaceLine(text: string, line: string, by: string): string {
  const lines = text.split('\n');
  const at = lines.indexOf(line);
  if (at < 0) throw new Error(`the recipe no longer has the line: ${line}`);
  lines[at] = by;
  return lines.join('\n');
}

const h = useEmulatorHarness();

const running = new Set<ReturnType<typeof spawn>>();

/** Runs a real program to its end; the test's afterEach ends any still running. */
function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; input?: string; keepInput?: boolean }) {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  // A program may exit before reading all its input; its exit code then tells what happened.
  child.stdin.on('error', () => undefined);
  // A terminal program under `script` would read the end of input as the user's end of input.
  if (!options.keepInput) child.stdin.end(options.input ?? '');
  return new Promise<{ code: number | null; output: string }>((resolve) =>
    child.on('close', (code) => {
      running.delete(child);
      resolve({ code, output });
    }),
  );
}

let home: string;
let env: NodeJS.ProcessEnv;
let certificate: string;
const tokenFile = () => join(home, '.config', 'gmail-token', 'token.json');
const refreshes = () => h.emulator.received.filter((request) => request.path === '/token' && request.form.grant_type === 'refresh_token').length;
const port = (hostPort: string) => hostPort.split(':')[1] ?? '';

beforeEach(async () => {
  home = join(h.workspace.dir, 'home');
  const bin = join(h.workspace.dir, 'bin');
  mkdirSync(join(home, '.config', 'gmail-token'), { recursive: true });
  mkdirSync(bin);
  // `gmail-token` on PATH, as an npm global install puts it.
  writeFileSync(join(bin, 'gmail-token'), `#!/bin/sh\nexec '${process.execPath}' '${BIN}' "$@"\n`);
  chmodSync(join(bin, 'gmail-token'), 0o755);
  env = childEnvironment({ HOME: home, PATH: `${bin}:${process.env.PATH ?? ''}`, GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort, NO_COLOR: '1' });
  // As a person would fetch it: `curl -o ~/emulator.pem http://<emulator>/emulator/v1/tls-certificate.pem`.
  certificate = join(home, 'emulator.pem');
  writeFileSync(certificate, await (await fetch(`${h.emulator.origin}/emulator/v1/tls-certificate.pem`)).text());
  // The README's mint: the full-mail scope and email, for the recipe's account.
  h.emulator.behaviour.account = ACCOUNT;
  await mintTokenFile(h.emulator, h.workspace.dir, ['-s', 'full,email']);
  renameSync(join(h.workspace.dir, 'token.json'), tokenFile());
  h.emulator.received.length = 0;
  h.emulator.messages.length = 0;
  h.emulator.mailLogins.length = 0;
});

afterEach(() => {
  for (const child of running) child.kill('SIGKILL');
});

/** Every login used the stored access token of the recipe's account, and one message arrived. */
function expectDelivered(subject: RegExp): void {
  const stored = JSON.parse(readFileSync(tokenFile(), 'utf8')) as { token: string };
  const logins = h.emulator.mailLogins.filter((login) => login.protocol === 'smtp');
  expect(logins.length).toBeGreaterThan(0);
  for (const login of logins) expect(login).toEqual({ protocol: 'smtp', user: ACCOUNT, token: stored.token, accepted: true });
  expect(h.emulator.messages).toHaveLength(1);
  expect(h.emulator.messages[0]).toMatchObject({ account: ACCOUNT, message: expect.stringMatching(subject) });
}

function msmtprc(): string {
  let text = recipe('msmtprc');
  text = replaceLine(text, 'host smtp.gmail.com', 'host 127.0.0.1');
  text = replaceLine(text, 'port 587', `port ${port(h.emulator.smtpHostPort)}`);
  text = replaceLine(text, 'tls_starttls on', `tls_starttls on\ntls_trust_file ${certificate}`);
  return text;
}

/** The recipe pointed at the emulator: its SMTP, its IMAP over STARTTLS (ssl_force_tls), its certificate. */
function neomuttrc(): string {
  let muttrc = recipe('neomuttrc');
  muttrc = replaceLine(muttrc, 'set smtp_url = "smtp://smtp.gmail.com:587/"', `set smtp_url = "smtp://127.0.0.1:${port(h.emulator.smtpHostPort)}/"`);
  muttrc = replaceLine(muttrc, 'set folder = "imaps://imap.gmail.com/"', `set folder = "imap://127.0.0.1:${port(h.emulator.imapHostPort)}/"`);
  muttrc = replaceLine(muttrc, 'set ssl_force_tls = yes', `set ssl_force_tls = yes\nset ssl_ca_certificates_file = "${certificate}"\nset copy = no`);
  return muttrc;
}

describe("the README's mail-program recipes", () => {
  it.skipIf(lacks('msmtp'))('msmtp: auth xoauth2 with passwordeval sends, reusing the stored access token with no request to Google', async () => {
    writeFileSync(join(home, '.msmtprc'), msmtprc(), { mode: 0o600 });
    const result = await run('msmtp', ['friend@example.org'], { cwd: home, env, input: 'Subject: hello\n\nSent with msmtp.\n' });
    expect(result.code, result.output).toBe(0);
    expectDelivered(/Subject: hello/);
    expect(refreshes()).toBe(0);
  });

  it.skipIf(lacks('msmtp'))('msmtp: with `tls off`, the quickest try against the address `gmail-token emulator` prints, also sends', async () => {
    let text = msmtprc();
    text = replaceLine(text, 'tls on', 'tls off');
    text = replaceLine(text, 'tls_starttls on', 'tls_starttls off');
    writeFileSync(join(home, '.msmtprc'), text, { mode: 0o600 });
    const result = await run('msmtp', ['friend@example.org'], { cwd: home, env, input: 'Subject: plain\n\nOver loopback.\n' });
    expect(result.code, result.output).toBe(0);
    expectDelivered(/Subject: plain/);
  });

  it.skipIf(lacks('msmtp'))('msmtp: an expired stored token is refreshed once and written back, then reused', async () => {
    writeFileSync(join(home, '.msmtprc'), msmtprc(), { mode: 0o600 });
    const stale = JSON.parse(readFileSync(tokenFile(), 'utf8')) as Record<string, unknown>;
    writeFileSync(tokenFile(), JSON.stringify({ ...stale, expiry: '2020-01-01T00:00:00.000Z' }, null, 2) + '\n', { mode: 0o600 });
    const first = await run('msmtp', ['friend@example.org'], { cwd: home, env, input: 'Subject: first\n\nOne.\n' });
    expect(first.code, first.output).toBe(0);
    expectDelivered(/Subject: first/);
    const refreshed = JSON.parse(readFileSync(tokenFile(), 'utf8')) as Record<string, unknown>;
    expect(refreshed.token).not.toBe(stale.token);
    expect({ ...refreshed, token: stale.token, expiry: stale.expiry }).toEqual(stale);
    const second = await run('msmtp', ['friend@example.org'], { cwd: home, env, input: 'Subject: second\n\nTwo.\n' });
    expect(second.code, second.output).toBe(0);
    expect(h.emulator.mailLogins.map((login) => [login.token, login.accepted])).toEqual([[refreshed.token, true], [refreshed.token, true]]);
    expect(refreshes()).toBe(1);
  });

  it.skipIf(lacks('msmtp', 'git send-email'))('git send-email through msmtp sends a patch', async () => {
    writeFileSync(join(home, '.msmtprc'), msmtprc(), { mode: 0o600 });
    const repo = join(h.workspace.dir, 'repo');
    mkdirSync(repo);
    const git = (...args: string[]) => run('git', args, { cwd: repo, env });
    for (const line of recipe('git-send-email').trim().split('\n')) {
      const configured = await run('sh', ['-c', line], { cwd: repo, env });
      expect(configured.code, configured.output).toBe(0);
    }
    // A repository with one commit, by someone whose git already knows who they are.
    for (const step of [['init', '-q'], ['config', 'user.name', 'You'], ['config', 'user.email', ACCOUNT]]) expect((await git(...step)).code).toBe(0);
    writeFileSync(join(repo, 'hello.txt'), 'hello\n');
    expect((await git('add', 'hello.txt')).code).toBe(0);
    expect((await git('commit', '-q', '-m', 'Add a greeting')).code).toBe(0);
    const sent = await git('send-email', '--to=friend@example.org', '--confirm=never', '-1');
    expect(sent.code, sent.output).toBe(0);
    expectDelivered(/Subject: \[PATCH\] Add a greeting/);
    expect(refreshes()).toBe(0);
  });

  it.skipIf(lacks('neomutt'))('neomutt: smtp_authenticators="xoauth2" with smtp_oauth_refresh_command sends over STARTTLS', async () => {
    writeFileSync(join(home, '.neomuttrc'), neomuttrc(), { mode: 0o600 });
    const sent = await run('neomutt', ['-n', '-s', 'hello from neomutt', 'friend@example.org'], { cwd: home, env, input: 'Sent with neomutt.\n' });
    expect(sent.code, sent.output).toBe(0);
    expectDelivered(/Subject: hello from neomutt/);
    expect(refreshes()).toBe(0);
  });

  it.skipIf(lacks('neomutt', 'msmtp', 'script (util-linux)'))('neomutt: imap_authenticators="xoauth2" with imap_oauth_refresh_command logs in and opens INBOX with the mail sent before', async () => {
    writeFileSync(join(home, '.msmtprc'), msmtprc(), { mode: 0o600 });
    expect((await run('msmtp', ['friend@example.org'], { cwd: home, env, input: 'Subject: waiting in INBOX\n\nHello.\n' })).code).toBe(0);
    writeFileSync(join(home, '.neomuttrc'), neomuttrc(), { mode: 0o600 });
    // neomutt's index needs a terminal: util-linux `script` gives it one. It opens the recipe's
    // spoolfile (+INBOX, so on the IMAP server) and quits by itself once the index is shown.
    const neomutt = await run('script', ['-q', '-e', '-c', "neomutt -n -e 'push <quit>'", '/dev/null'], { cwd: home, env: { ...env, TERM: 'xterm' }, keepInput: true });
    expect(neomutt.code, neomutt.output).toBe(0);
    const stored = JSON.parse(readFileSync(tokenFile(), 'utf8')) as { token: string };
    expect(h.emulator.mailLogins.filter((login) => login.protocol === 'imap')).toEqual([{ protocol: 'imap', user: ACCOUNT, token: stored.token, accepted: true }]);
    // The index line of the one message, as neomutt drew it on the terminal.
    expect(neomutt.output).toContain('waiting in INBOX');
    expect(refreshes()).toBe(0);
  });
});
