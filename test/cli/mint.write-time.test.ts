import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { followConsent } from '../helpers/browser.js';
import { runInProcess, type InProcessOptions } from '../helpers/run-cli.js';
import { useEmulatorHarness } from '../helpers/harness.js';
import { changeOutputThenConsent, runOnTerminal } from '../helpers/pty.js';

/**
 * Issue 11, write-time checks, end to end through the built CLI and the emulator: the output is
 * changed while the person is on the consent screen, and what was there must survive.
 */

const h = useEmulatorHarness();

function options(extra: InProcessOptions = {}): InProcessOptions {
  return { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort }, ...extra };
}

/** Runs mint; `duringConsent` runs after the consent URL is shown and before consent is given. */
async function mintThrough(args: string[], duringConsent: () => void = () => undefined) {
  const run = runInProcess(['mint', '--no-open', ...args], options());
  const url = await run.consentUrl();
  duringConsent();
  await followConsent(url);
  return run.exit;
}

function path(name: string): string {
  return join(h.workspace.dir, name);
}

/** Rescued copies of `output` in the workspace: `token.rescued-….json`, `.env.rescued-…`. */
function rescued(output: string): string[] {
  const extension = extname(output);
  const stem = output.slice(0, output.length - extension.length);
  return readdirSync(h.workspace.dir).filter((name) => name.startsWith(`${stem}.rescued-`) && name.endsWith(extension));
}

/** Refresh tokens the emulator issued, as the /token requests that later use them show; here: read from files. */
function refreshTokenIn(text: string): string {
  const json = /"refresh_token": "([^"]+)"/.exec(text)?.[1];
  return json ?? /^GMAIL_API_REFRESH_TOKEN=(\S+)$/m.exec(text)?.[1] ?? '';
}

/** Whether the emulator still accepts a refresh token (it is live, not lost at Google's side). */
async function refreshes(refreshToken: string): Promise<boolean> {
  const { clientId, clientSecret } = h.emulator.defaultClient;
  const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId, client_secret: clientSecret });
  return (await fetch(`${h.emulator.origin}/token`, { method: 'POST', body })).ok;
}

function noLeftovers(): void {
  expect(readdirSync(h.workspace.dir).filter((name) => name.endsWith('.tmp') || name.endsWith('.lock'))).toEqual([]);
}

describe('a .env that changes while consent is given', () => {
  it('an edit made during consent is merged: the new line stays, exit 0', async () => {
    writeFileSync(path('.env'), 'DEBUG=1\n');
    const result = await mintThrough(['-f', 'env', '-o', '.env'], () => writeFileSync(path('.env'), 'DEBUG=1\nDATABASE_URL=postgres://u:p@db/app\n'));
    expect(result.code).toBe(0);
    const text = readFileSync(path('.env'), 'utf8');
    expect(text.startsWith('DEBUG=1\nDATABASE_URL=postgres://u:p@db/app\nGMAIL_API_CLIENT_ID=')).toBe(true);
    expect(text).toMatch(/^GMAIL_API_REFRESH_TOKEN=1\/\/\S+$/m);
    expect(result.stderr).toMatch(/other lines kept/);
    noLeftovers();
  });

  it('a .env created during consent (none at the start) is merged into, not replaced', async () => {
    const result = await mintThrough(['-f', 'env', '-o', '.env'], () => writeFileSync(path('.env'), 'SECRET_KEY=abc\n'));
    expect(result.code).toBe(0);
    const text = readFileSync(path('.env'), 'utf8');
    expect(text.startsWith('SECRET_KEY=abc\nGMAIL_API_CLIENT_ID=')).toBe(true);
    expect(statSync(path('.env')).mode & 0o777).toBe(0o600);
  });

  it('our own keys changed during consent (another run): left untouched, exit 1, the token kept beside it', async () => {
    writeFileSync(path('.env'), 'DEBUG=1\n');
    const theirs = 'DEBUG=1\nGMAIL_API_REFRESH_TOKEN=1//0another-run\n';
    const result = await mintThrough(['-f', 'env', '-o', '.env'], () => writeFileSync(path('.env'), theirs));
    expect(result.code).toBe(1);
    expect(readFileSync(path('.env'), 'utf8')).toBe(theirs);
    expect(result.stderr).toMatch(/got new GMAIL_API_CLIENT_ID, GMAIL_API_CLIENT_SECRET, GMAIL_API_REFRESH_TOKEN values while consent was given/);
    const [keptBeside] = rescued('.env');
    const kept = readFileSync(path(keptBeside ?? 'missing'), 'utf8');
    expect(statSync(path(keptBeside ?? 'missing')).mode & 0o777).toBe(0o600);
    expect(await refreshes(refreshTokenIn(kept))).toBe(true);
    expect(result.stderr).not.toContain(refreshTokenIn(kept));
    expect(result.stderr).toMatch(/Google issued a refresh token, but it was not written to .*\.env/);
    noLeftovers();
  });

});

describe('a token.json that appears while consent is given', () => {
  it('is kept as it is without --force: exit 1, and the new token goes to a new file beside it', async () => {
    const planted = '{"theirs": true}\n';
    const result = await mintThrough([], () => writeFileSync(path('token.json'), planted));
    expect(result.code).toBe(1);
    expect(readFileSync(path('token.json'), 'utf8')).toBe(planted);
    expect(result.stderr).toMatch(/token\.json appeared while consent was given .* and was kept as it is/);
    const [keptBeside = 'missing'] = rescued('token.json');
    const kept = JSON.parse(readFileSync(path(keptBeside), 'utf8')) as Record<string, string>;
    expect(kept.type).toBe('authorized_user');
    expect(result.stderr).toMatch(new RegExp(`it was written to .*${keptBeside.replace(/\./g, '\\.')} \\(mode 0600\\) instead`));
    expect(result.stderr).not.toContain(kept.refresh_token);
    expect(result.stdout).toBe('');
    noLeftovers();
  });

  it('is replaced with --force, as asked', async () => {
    const result = await mintThrough(['--force'], () => writeFileSync(path('token.json'), '{}\n'));
    expect(result.code).toBe(0);
    expect(JSON.parse(readFileSync(path('token.json'), 'utf8')).type).toBe('authorized_user');
  });

  it('--if-unwritable stdout prints the token (and only it) on stdout; exit 1', async () => {
    const result = await mintThrough(['--if-unwritable', 'stdout'], () => writeFileSync(path('token.json'), '{}\n'));
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).type).toBe('authorized_user');
    expect(result.stderr).toMatch(/it was printed on stdout instead/);
    expect(result.stderr).not.toContain(JSON.parse(result.stdout).refresh_token);
    expect(rescued('token.json')).toEqual([]);
  });

  it('--if-unwritable revoke revokes it at Google, so no live token is left behind; exit 1', async () => {
    const result = await mintThrough(['--if-unwritable', 'revoke'], () => writeFileSync(path('token.json'), '{}\n'));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/it was revoked at Google/);
    const revoked = h.emulator.received.find((request) => request.path === '/revoke');
    expect(revoked?.form.token ?? revoked?.query.token).toMatch(/^1\/\//);
    expect(await refreshes(revoked?.form.token ?? revoked?.query.token ?? '')).toBe(false);
    expect(result.stdout).toBe('');
  });

  it('--if-unwritable ask off a terminal is a usage error before the flow', async () => {
    const result = await runInProcess(['mint', '--no-open', '--if-unwritable', 'ask'], options()).exit;
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--if-unwritable ask needs a terminal/);
    expect(h.emulator.received).toEqual([]);
  });

  it('on a terminal the person is asked where to keep it, and a path they give is used', async () => {
    const terminal = runOnTerminal(['mint', '--no-open'], { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort } });
    await changeOutputThenConsent(terminal, path('token.json'));
    terminal.type('kept/elsewhere.json\r');
    await terminal.waitFor(/does not exist|ENOENT/);
    terminal.type('elsewhere.json\r');
    const result = await terminal.exit;
    expect(result.code).toBe(1);
    expect(readFileSync(path('token.json'), 'utf8')).toBe('{}\n');
    const kept = JSON.parse(readFileSync(path('elsewhere.json'), 'utf8')) as Record<string, string>;
    expect(await refreshes(kept.refresh_token ?? '')).toBe(true);
    expect(statSync(path('elsewhere.json')).mode & 0o777).toBe(0o600);
    expect(terminal.screen()).toMatch(/it was written to .*elsewhere\.json \(mode 0600\) instead/);
  });
});

describe('an overwrite agreed on a terminal', () => {
  it('replaces only the file the person agreed to: one changed during consent is kept, and the token goes where they say', async () => {
    writeFileSync(path('token.json'), 'old\n');
    const terminal = runOnTerminal(['mint', '--no-open'], { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort } });
    await terminal.waitFor(/Overwrite it\?/);
    terminal.type('y\r');
    await changeOutputThenConsent(terminal, path('token.json'), 'edited during consent\n');
    terminal.type('kept.json\r');
    const result = await terminal.exit;
    expect(result.code).toBe(1);
    expect(result.screen).toMatch(/token\.json changed while consent was given, so it was kept as it is/);
    expect(readFileSync(path('token.json'), 'utf8')).toBe('edited during consent\n');
    expect(JSON.parse(readFileSync(path('kept.json'), 'utf8')).type).toBe('authorized_user');
    noLeftovers();
  });
});

describe('two mints to one path', () => {
  async function twoAtOnce(args: string[]) {
    const runs = [runInProcess(['mint', '--no-open', ...args], options()), runInProcess(['mint', '--no-open', ...args], options())];
    const urls = await Promise.all(runs.map((run) => run.consentUrl()));
    await Promise.all(urls.map((url) => followConsent(url)));
    return Promise.all(runs.map((run) => run.exit));
  }

  it('token.json: one writes, the other fails clearly and keeps its token beside; both tokens are live', async () => {
    const results = await twoAtOnce([]);
    expect(results.map((result) => result.code).sort()).toEqual([0, 1]);
    const loser = results.find((result) => result.code === 1);
    expect(loser?.stderr).toMatch(/token\.json appeared while consent was given \(another gmail-token run\?\)/);
    const written = refreshTokenIn(readFileSync(path('token.json'), 'utf8'));
    const [keptBeside = 'missing'] = rescued('token.json');
    const other = refreshTokenIn(readFileSync(path(keptBeside), 'utf8'));
    expect(new Set([written, other]).size).toBe(2);
    expect(await refreshes(written)).toBe(true);
    expect(await refreshes(other)).toBe(true);
    noLeftovers();
  });

  it('a .env update: one updates it, the other leaves it as the first wrote it and keeps its token beside', async () => {
    writeFileSync(path('.env'), 'DEBUG=1\n');
    const results = await twoAtOnce(['-f', 'env', '-o', '.env']);
    expect(results.map((result) => result.code).sort()).toEqual([0, 1]);
    const text = readFileSync(path('.env'), 'utf8');
    expect(text.startsWith('DEBUG=1\nGMAIL_API_CLIENT_ID=')).toBe(true);
    const [keptBeside = 'missing'] = rescued('.env');
    const tokens = [refreshTokenIn(text), refreshTokenIn(readFileSync(path(keptBeside), 'utf8'))];
    expect(new Set(tokens).size).toBe(2);
    for (const token of tokens) expect(await refreshes(token)).toBe(true);
    noLeftovers();
  });

  it('a lock left by a run that no longer exists does not block the next one', async () => {
    writeFileSync(path('.token.json.gmail-token.lock'), '999999999\n');
    const result = await mintThrough([]);
    expect(result.code).toBe(0);
    expect(existsSync(path('.token.json.gmail-token.lock'))).toBe(false);
  });

  it('a lock held by a live run makes this one wait, then give up leaving the file alone and keep its token', async () => {
    writeFileSync(path('.token.json.gmail-token.lock'), `${process.ppid}\n`);
    const result = await mintThrough([]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Another gmail-token run is writing .*token\.json/);
    expect(existsSync(path('token.json'))).toBe(false);
    expect(rescued('token.json')).toHaveLength(1);
  });
});
