import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followConsent } from '../helpers/browser.js';
import { BIN, runCli, runCliToEnd } from '../helpers/cli.js';
import { childEnvironment } from '../helpers/environment.js';
import { freePorts, makeWorkspace } from '../helpers/workspace.js';

/**
 * As a new user would: start `gmail-token emulator`, take the export lines it prints, mint, and
 * run `check --smtp --imap` with the built CLI.
 */
let workspace: ReturnType<typeof makeWorkspace>;
let emulator: ChildProcess;
const env: Record<string, string> = {};

/** The emulator runs for the whole file, so it is started here rather than with runCli (which ends with a test). */
function startEmulatorCommand(cwd: string): Promise<string> {
  emulator = spawn(process.execPath, [BIN, 'emulator', '--auto-approve'], { cwd, env: childEnvironment({ NO_COLOR: '1' }), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  return new Promise((resolve, reject) => {
    emulator.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (stderr.includes('Press Ctrl-C to stop')) resolve(stderr);
    });
    emulator.once('exit', () => reject(new Error(`the emulator stopped:\n${stderr}`)));
  });
}

beforeAll(async () => {
  workspace = makeWorkspace();
  const printed = await startEmulatorCommand(workspace.dir);
  for (const [, name = '', value = ''] of printed.matchAll(/^ {2}export (\w+)=(\S+)$/gm)) env[name] = value;
  workspace.file('credentials.json', await (await fetch(`http://${env.GMAIL_TOKEN_EMULATOR_HOST}/emulator/v1/credentials.json`)).text());
});
afterAll(async () => {
  const exited = new Promise((resolve) => emulator.once('exit', resolve));
  emulator.kill('SIGTERM');
  await exited;
  workspace.cleanup();
});

async function mint(out: string, scopes: string): Promise<string> {
  const run = runCli(['mint', '--no-open', '-s', scopes, '-o', out], { cwd: workspace.dir, env });
  await followConsent(await run.consentUrl());
  expect((await run.exit).code).toBe(0);
  return (JSON.parse(readFileSync(join(workspace.dir, out), 'utf8')) as { token: string }).token;
}

describe('check --smtp / --imap with the built CLI against `gmail-token emulator`', () => {
  it('the emulator prints the export lines for both mail hosts', () => {
    expect(Object.keys(env).sort()).toEqual(['GMAIL_TOKEN_EMULATOR_HOST', 'GMAIL_TOKEN_IMAP_HOST', 'GMAIL_TOKEN_SMTP_HOST']);
    expect(env.GMAIL_TOKEN_SMTP_HOST).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it('a full-mail token: both logins work, exit 0, and --json carries both results', async () => {
    await mint('full.json', 'full,email');
    const checked = await runCliToEnd(['check', '--token-file', 'full.json', '--smtp', '--imap'], { cwd: workspace.dir, env });
    expect(checked.code, checked.stderr).toBe(0);
    expect(checked.stderr).toContain(`SMTP:     logged in to ${env.GMAIL_TOKEN_SMTP_HOST} as tester@example.com, and out`);
    expect(checked.stderr).toContain(`IMAP:     logged in to ${env.GMAIL_TOKEN_IMAP_HOST} as tester@example.com, and out`);
    const json = await runCliToEnd(['check', '--token-file', 'full.json', '--smtp', '--json'], { cwd: workspace.dir, env });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, full_mail_scope: true, smtp: { ok: true, server: env.GMAIL_TOKEN_SMTP_HOST }, imap: null });
  });

  it('a gmail.send token: refused, exit 1, the scope and the fix named, and no token or challenge on stderr', async () => {
    const token = await mint('send.json', 'gmail.send,email');
    const checked = await runCliToEnd(['check', '--token-file', 'send.json', '--smtp', '--imap'], { cwd: workspace.dir, env });
    expect(checked.code).toBe(1);
    expect(checked.stderr).toContain(`SMTP:     refused at ${env.GMAIL_TOKEN_SMTP_HOST}`);
    expect(checked.stderr).toContain(`IMAP:     refused at ${env.GMAIL_TOKEN_IMAP_HOST}\n            Gmail's IMAP refused the token: it lacks https://mail.google.com/`);
    expect(checked.stderr).toContain("error: Gmail's SMTP refused the token: it lacks https://mail.google.com/, the only scope Gmail's SMTP, IMAP and POP accept. Mint again with `gmail-token mint -s full,email`.");
    expect(checked.stderr).not.toContain(token);
    expect(checked.stderr).not.toMatch(/eyJ|\b334\b|ya29/);
  });

  it('without the flags, a gmail.send token still passes (exit 0) and one line says SMTP, IMAP and POP will refuse it', async () => {
    await mint('send2.json', 'gmail.send');
    const checked = await runCliToEnd(['check', '--token-file', 'send2.json'], { cwd: workspace.dir, env });
    expect(checked.code).toBe(0);
    expect(checked.stderr).toContain('SMTP, IMAP and POP will refuse this token: they accept only https://mail.google.com/ (mint with -s full for mail programs).');
  });

  it('a bad GMAIL_TOKEN_IMAP_HOST is a usage error: exit 2, one line', async () => {
    const checked = await runCliToEnd(['check', '--token-file', 'full.json', '--imap'], { cwd: workspace.dir, env: { ...env, GMAIL_TOKEN_IMAP_HOST: 'imap.example' } });
    expect(checked.code).toBe(2);
    expect(checked.stderr.trim().split('\n')).toEqual(['error: GMAIL_TOKEN_IMAP_HOST="imap.example" is not host:port. Use what `gmail-token emulator` printed, e.g. 127.0.0.1:1143.']);
  });

  it('--smtp-port and --imap-port fix the ports, for a mail program configured once; a bad one is exit 2', async () => {
    const [smtp, imap] = await freePorts(2);
    const run = runCli(['emulator', '--smtp-port', String(smtp), '--imap-port', String(imap)], { cwd: workspace.dir });
    await run.waitForStderr(/Press Ctrl-C to stop/);
    expect(run.stderr()).toContain(`export GMAIL_TOKEN_SMTP_HOST=127.0.0.1:${smtp}\n`);
    expect(run.stderr()).toContain(`export GMAIL_TOKEN_IMAP_HOST=127.0.0.1:${imap}\n`);
    run.child.kill('SIGTERM');
    await run.exit;
    const bad = await runCliToEnd(['emulator', '--imap-port', '99999'], { cwd: workspace.dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: --imap-port "99999" is not a port\./);
  });
});
