import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { childEnvironment } from '../helpers/environment.js';
import { useEmulatorHarness } from '../helpers/harness.js';
import { mintTokenFile } from '../helpers/mint.js';
import { selfSignedCertificate, startImapServer } from '../helpers/imap.js';
import { startXoauth2Server } from '../helpers/smtp.js';

/**
 * The README's mail-program recipes, run with the real programs (Debian's msmtp, git-email and
 * neomutt, installed by test/tools/system-deps.sh) against a local SMTP server that, like Gmail,
 * takes only XOAUTH2 with a live access token for the account that logs in. Each recipe is read
 * from the README by its marker, so the README shows what was tested; only the server's address
 * and TLS (the local server has none) are changed.
 */
const ACCOUNT = 'you@gmail.com';
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

function recipe(name: string): string {
  const found = new RegExp(`<!-- recipe: ${name}\\b[^>]*-->\\n\`\`\`\\w*\\n([\\s\\S]*?)\`\`\`\\n`).exec(README);
  if (!found?.[1]) throw new Error(`README has no recipe block marked ${name}`);
  return found[1];
}

/** Changes one line the recipe must have, so a README edit that drops it fails here. */
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

let smtp: Awaited<ReturnType<typeof startXoauth2Server>>;
let home: string;
let env: NodeJS.ProcessEnv;
const tokenFile = () => join(home, '.config', 'gmail-token', 'token.json');
const refreshes = () => h.emulator.received.filter((request) => request.path === '/token' && request.form.grant_type === 'refresh_token').length;

beforeEach(async () => {
  smtp = await startXoauth2Server(`${h.emulator.origin}/tokeninfo`);
  home = join(h.workspace.dir, 'home');
  const bin = join(h.workspace.dir, 'bin');
  mkdirSync(join(home, '.config', 'gmail-token'), { recursive: true });
  mkdirSync(bin);
  // `gmail-token` on PATH, as an npm global install puts it.
  writeFileSync(join(bin, 'gmail-token'), `#!/bin/sh\nexec '${process.execPath}' '${BIN}' "$@"\n`);
  chmodSync(join(bin, 'gmail-token'), 0o755);
  env = childEnvironment({ HOME: home, PATH: `${bin}:${process.env.PATH ?? ''}`, GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort, NO_COLOR: '1' });
  // The README's mint: the full-mail scope and email, for the recipe's account.
  h.emulator.behaviour.account = ACCOUNT;
  await mintTokenFile(h.emulator, h.workspace.dir, ['-s', 'full,email']);
  renameSync(join(h.workspace.dir, 'token.json'), tokenFile());
  h.emulator.received.length = 0;
});

afterEach(async () => {
  for (const child of running) child.kill('SIGKILL');
  await smtp.close();
});

function expectDelivered(subject: RegExp): void {
  const stored = JSON.parse(readFileSync(tokenFile(), 'utf8')) as { token: string };
  expect(smtp.logins.length).toBeGreaterThan(0);
  for (const login of smtp.logins) expect(login).toEqual({ method: 'XOAUTH2', user: ACCOUNT, token: stored.token });
  expect(smtp.delivered).toHaveLength(1);
  expect(smtp.delivered[0]).toMatch(subject);
}

function msmtprc(): string {
  let text = recipe('msmtprc');
  text = replaceLine(text, 'host smtp.gmail.com', 'host 127.0.0.1');
  text = replaceLine(text, 'port 587', `port ${smtp.port}`);
  text = replaceLine(text, 'tls on', 'tls off');
  text = replaceLine(text, 'tls_starttls on', 'tls_starttls off');
  return text;
}

describe("the README's mail-program recipes", () => {
  it('msmtp: auth xoauth2 with passwordeval sends, reusing the stored access token with no request to Google', async () => {
    writeFileSync(join(home, '.msmtprc'), msmtprc(), { mode: 0o600 });
    const result = await run('msmtp', ['friend@example.org'], { cwd: home, env, input: 'Subject: hello\n\nSent with msmtp.\n' });
    expect(result.code, result.output).toBe(0);
    expectDelivered(/Subject: hello/);
    expect(refreshes()).toBe(0);
  });

  it('msmtp: an expired stored token is refreshed once and written back, then reused', async () => {
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
    expect(smtp.logins.map((login) => login.token)).toEqual([refreshed.token, refreshed.token]);
    expect(refreshes()).toBe(1);
  });

  it('git send-email through msmtp sends a patch', async () => {
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

  it('neomutt: smtp_authenticators="xoauth2" with smtp_oauth_refresh_command sends', async () => {
    let muttrc = recipe('neomuttrc');
    muttrc = replaceLine(muttrc, 'set smtp_url = "smtp://smtp.gmail.com:587/"', `set smtp_url = "smtp://127.0.0.1:${smtp.port}/"`);
    muttrc = replaceLine(muttrc, 'set ssl_force_tls = yes', 'set ssl_force_tls = no\nset ssl_starttls = no\nset copy = no');
    writeFileSync(join(home, '.neomuttrc'), muttrc, { mode: 0o600 });
    const sent = await run('neomutt', ['-n', '-s', 'hello from neomutt', 'friend@example.org'], { cwd: home, env, input: 'Sent with neomutt.\n' });
    expect(sent.code, sent.output).toBe(0);
    expectDelivered(/Subject: hello from neomutt/);
    expect(refreshes()).toBe(0);
  });

  it('neomutt: imap_authenticators="xoauth2" with imap_oauth_refresh_command logs in and opens INBOX', async () => {
    const certificate = selfSignedCertificate(h.workspace.dir);
    const imap = await startImapServer(`${h.emulator.origin}/tokeninfo`, certificate);
    try {
      // Unlike SMTP, neomutt sends an IMAP OAuth token only over TLS, so the local server has TLS too
      // and neomutt is told to trust its certificate.
      let muttrc = recipe('neomuttrc');
      muttrc = replaceLine(muttrc, 'set folder = "imaps://imap.gmail.com/"', `set folder = "imaps://127.0.0.1:${imap.port}/"`);
      muttrc = replaceLine(muttrc, 'set ssl_force_tls = yes', `set ssl_force_tls = yes\nset ssl_ca_certificates_file = "${certificate.certFile}"`);
      writeFileSync(join(home, '.neomuttrc'), muttrc, { mode: 0o600 });
      // neomutt's index needs a terminal: util-linux `script` gives it one. It opens the recipe's
      // spoolfile (+INBOX, so on the IMAP server) and quits by itself once the index is shown.
      const neomutt = run('script', ['-q', '-e', '-c', "neomutt -n -e 'push <quit>'", '/dev/null'], { cwd: home, env: { ...env, TERM: 'xterm' }, keepInput: true });
      await Promise.race([imap.accepted(), neomutt.then(({ output }) => Promise.reject(new Error(`neomutt exited before logging in:\n${output}`)))]);
      const ended = await neomutt;
      expect(ended.code, ended.output).toBe(0);
      const stored = JSON.parse(readFileSync(tokenFile(), 'utf8')) as { token: string };
      expect(imap.logins).toEqual([{ user: ACCOUNT, token: stored.token, accepted: true }]);
      expect(imap.selected).toEqual(['INBOX']);
      const live = await fetch(`${h.emulator.origin}/tokeninfo?access_token=${encodeURIComponent(stored.token)}`);
      expect(live.status).toBe(200);
      expect(((await live.json()) as { email?: string }).email).toBe(ACCOUNT);
      expect(refreshes()).toBe(0);
    } finally {
      await imap.close();
    }
  });
});
