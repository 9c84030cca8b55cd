import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { followConsent, redirectUriOf } from '../helpers/browser.js';
import { runInProcess, runInProcessToEnd } from '../helpers/run-cli.js';
import { until } from '../helpers/async.js';
import { freePort, isListening } from '../helpers/workspace.js';
import { useEmulatorHarness } from '../helpers/harness.js';

const SEND = 'https://www.googleapis.com/auth/gmail.send';
const READONLY = 'https://www.googleapis.com/auth/gmail.readonly';

const h = useEmulatorHarness();



function mint(args: string[], env: Record<string, string | undefined> = {}) {
  return runInProcess(['mint', '--no-open', ...args], { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort, ...env } });
}

/** Runs mint and approves consent as the person would. */
async function mintApproved(args: string[] = [], env: Record<string, string | undefined> = {}) {
  const run = mint(args, env);
  const page = await followConsent(await run.consentUrl());
  return { ...(await run.exit), page };
}

function tokenRequests() {
  return h.emulator.received.filter((request) => request.path === '/token');
}

function expectNoSecrets(text: string, ...secrets: string[]) {
  for (const secret of secrets) expect(text).not.toContain(secret);
}

describe('mint: token.json', () => {
  it('writes token.json 0600 with every field, after a PKCE exchange on the loopback redirect', async () => {
    const result = await mintApproved();
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.page.status).toBe(200);
    expect(result.page.body).toContain('You can close this tab');
    const path = join(h.workspace.dir, 'token.json');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const file = JSON.parse(readFileSync(path, 'utf8'));
    expect(file).toMatchObject({
      type: 'authorized_user',
      client_id: h.emulator.defaultClient.clientId,
      client_secret: h.emulator.defaultClient.clientSecret,
      token_uri: `${h.emulator.origin}/token`,
      scopes: [SEND],
      universe_domain: 'googleapis.com',
      account: '',
    });
    expect(file.refresh_token).toMatch(/\S/);
    expect(file.token).toMatch(/\S/);
    expect(file.expiry).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(file).not.toHaveProperty('refresh_token_expiry');
    const [exchange] = tokenRequests();
    expect(exchange?.form).toMatchObject({ grant_type: 'authorization_code', redirect_uri: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\//) });
    expect(exchange?.form.code_verifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    expectNoSecrets(result.stderr, file.refresh_token, file.token, file.client_secret);
    expect(result.stderr).toMatch(/written to token\.json/);
    expect(result.stderr).toMatch(/scopes: +https:\/\/www\.googleapis\.com\/auth\/gmail\.send/);
    expect(result.stderr).toMatch(/Next: `gmail-token check --token-file token\.json`/);
  });

  it('asks Google for offline access, forced consent, PKCE S256 and a long random state', async () => {
    const run = mint(['--login-hint', 'person@example.com', '-s', 'send', 'email']);
    const url = new URL(await run.consentUrl());
    const params = Object.fromEntries(url.searchParams);
    expect(url.pathname).toBe('/o/oauth2/v2/auth');
    expect(params).toMatchObject({
      response_type: 'code',
      client_id: h.emulator.defaultClient.clientId,
      access_type: 'offline',
      prompt: 'consent',
      code_challenge_method: 'S256',
      login_hint: 'person@example.com',
      scope: `${SEND} email`,
    });
    expect(params.code_challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(redirectUriOf(url.toString()).hostname).toBe('127.0.0.1');
    await followConsent(url.toString());
    const result = await run.exit;
    expect(result.code).toBe(0);
    const file = JSON.parse(readFileSync(join(h.workspace.dir, 'token.json'), 'utf8'));
    expect(file.account).toBe('person@example.com');
    expect(result.stderr).toContain('person@example.com');
  });

  it('draws a fresh 256-bit state and PKCE verifier for every mint: two runs never share them', async () => {
    for (let run = 0; run < 2; run++) expect((await mintApproved(['-o', '-'])).code).toBe(0);
    const consents = h.emulator.received.filter((request) => request.path === '/o/oauth2/v2/auth').map((request) => request.query);
    const verifiers = tokenRequests().map((request) => request.form.code_verifier ?? '');
    expect(consents).toHaveLength(2);
    expect(verifiers).toHaveLength(2);
    const states = consents.map((query) => query.state ?? '');
    const challenges = consents.map((query) => query.code_challenge ?? '');
    for (const value of [...states, ...verifiers]) expect(Buffer.from(value, 'base64url').toString('base64url') === value && value.length).toBe(43);
    expect(new Set(states).size).toBe(2);
    expect(new Set(verifiers).size).toBe(2);
    expect(new Set(challenges).size).toBe(2);
    expect(challenges).toEqual(verifiers.map((verifier) => createHash('sha256').update(verifier).digest('base64url')));
  });

  it('prints the consent URL on a line of its own on stderr, never on stdout', async () => {
    const run = mint(['-o', '-']);
    const url = await run.consentUrl();
    expect(run.stderr().split('\n')).toContain(url);
    await followConsent(url);
    const result = await run.exit;
    expect(result.stdout).not.toContain('/o/oauth2/');
    expect(JSON.parse(result.stdout).type).toBe('authorized_user');
    expect(existsSync(join(h.workspace.dir, 'token.json'))).toBe(false);
  });

  it('records refresh_token_expiry and warns when Google limits the refresh token', async () => {
    h.emulator.behaviour.refreshTokenExpiresIn = 604_800;
    const before = Date.now();
    const result = await mintApproved();
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/warning: .*expires.*Testing.*publish/i);
    const file = JSON.parse(readFileSync(join(h.workspace.dir, 'token.json'), 'utf8'));
    const expiry = Date.parse(file.refresh_token_expiry);
    expect(expiry - before).toBeGreaterThanOrEqual(604_800_000 - 1000);
    expect(expiry - before).toBeLessThan(604_800_000 + 60_000);
  });
});

describe('mint: env and shell', () => {
  it('prints the three env lines on stdout by default', async () => {
    const result = await mintApproved(['-f', 'env']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.map((line) => line.split('=')[0])).toEqual(['GMAIL_API_CLIENT_ID', 'GMAIL_API_CLIENT_SECRET', 'GMAIL_API_REFRESH_TOKEN']);
    expect(lines[1]).toBe(`GMAIL_API_CLIENT_SECRET=${h.emulator.defaultClient.clientSecret}`);
    expect(existsSync(join(h.workspace.dir, 'token.json'))).toBe(false);
  });

  it('uses --env-prefix and prints export lines for shell', async () => {
    const result = await mintApproved(['-f', 'shell', '--env-prefix', 'MAIL_']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/Next: with these variables set, `gmail-token check --env-prefix MAIL_`/);
    expect(result.stdout).toMatch(/^export MAIL_CLIENT_ID='[^']+'\nexport MAIL_CLIENT_SECRET='[^']+'\nexport MAIL_REFRESH_TOKEN='[^']+'\n$/);
  });

  it('updates the three keys of an existing .env in place and keeps every other line', async () => {
    const before = '# app settings\r\nDEBUG=true\r\nGMAIL_API_REFRESH_TOKEN=stale\r\nSECRET_KEY="x y"\r\n';
    const path = h.workspace.file('.env', before);
    const result = await mintApproved(['-f', 'env', '-o', '.env']);
    expect(result.code).toBe(0);
    const after = readFileSync(path, 'utf8');
    const lines = after.split('\r\n');
    expect(lines.slice(0, 2)).toEqual(['# app settings', 'DEBUG=true']);
    expect(lines[2]).toMatch(/^GMAIL_API_REFRESH_TOKEN=(?!stale)\S+$/);
    expect(lines[3]).toBe('SECRET_KEY="x y"');
    expect(lines[4]).toMatch(/^GMAIL_API_CLIENT_ID=/);
    expect(lines[5]).toMatch(/^GMAIL_API_CLIENT_SECRET=/);
    expect(result.stderr).toMatch(/gmail-token check --token-file \.env`/);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('leaves another key\'s multi-line value alone, even a line in it that reads like ours; check reads the result', async () => {
    const pem = 'SIGNING_KEY="-----BEGIN KEY-----\nGMAIL_API_REFRESH_TOKEN=part-of-the-key\n-----END KEY-----"\n';
    const path = h.workspace.file('.env', `${pem}GMAIL_API_REFRESH_TOKEN=stale\n`);
    const result = await mintApproved(['-f', 'env', '-o', '.env']);
    expect(result.code).toBe(0);
    const after = readFileSync(path, 'utf8');
    expect(after.startsWith(pem)).toBe(true);
    expect(after.slice(pem.length)).toMatch(/^GMAIL_API_REFRESH_TOKEN=(?!stale)\S+\nGMAIL_API_CLIENT_ID=\S+\nGMAIL_API_CLIENT_SECRET=\S+\n$/);
    const check = await runInProcessToEnd(['check', '--token-file', '.env'], { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort } });
    expect(check.code).toBe(0);
  });

  it('refuses, before any network or browser action, a .env it cannot update without changing another key', async () => {
    // U+2028 ends a line for dotenv's regex, but a bare value runs over it: NEXT would be swallowed.
    const before = 'GMAIL_API_REFRESH_TOKEN=old # pasted from a web page\u2028NEXT=1\n';
    const path = h.workspace.file('.env', before);
    const result = await runInProcessToEnd(['mint', '--no-open', '-f', 'env', '-o', '.env'], { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: The \.env cannot be updated so that dotenv still reads every other key as before.*choose another --out\.\n$/);
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(h.emulator.received).toEqual([]);
  });
});

describe('mint: existing output', () => {
  it('stops before any network or browser action when the output exists, naming --force', async () => {
    const path = h.workspace.file('token.json', 'precious');
    const result = await runInProcessToEnd(['mint', '--no-open'], { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--force');
    expect(result.stderr).not.toContain('/o/oauth2/');
    expect(readFileSync(path, 'utf8')).toBe('precious');
    expect(h.emulator.received).toEqual([]);
  });

  it('overwrites it with --force, 0600', async () => {
    const path = h.workspace.file('token.json', 'old');
    const result = await mintApproved(['--force']);
    expect(result.code).toBe(0);
    expect(JSON.parse(readFileSync(path, 'utf8')).type).toBe('authorized_user');
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});

describe('mint: the loopback callback', () => {
  it('answers a forged state with 400 and keeps waiting for the real callback', async () => {
    const run = mint([]);
    const url = await run.consentUrl();
    const redirect = redirectUriOf(url);
    const forged = await fetch(`${redirect.origin}${redirect.pathname}?code=attacker&state=forged`);
    expect(forged.status).toBe(400);
    const other = await fetch(`${redirect.origin}/elsewhere`);
    expect(other.status).toBe(404);
    expect(run.child.exitCode).toBeNull();
    await followConsent(url);
    const result = await run.exit;
    expect(result.code).toBe(0);
    expect(tokenRequests().map((request) => request.form.code)).not.toContain('attacker');
  });

  it('closes the port as soon as the callback is answered, while the exchange is still under way', async () => {
    h.emulator.behaviour.tokenFault = { kind: 'hang' };
    const run = mint([]);
    const url = await run.consentUrl();
    const port = Number(redirectUriOf(url).port);
    expect(await isListening(port)).toBe(true);
    await followConsent(url);
    await until(() => tokenRequests().length > 0);
    expect(await isListening(port)).toBe(false);
    expect(run.child.exitCode).toBeNull();
    run.child.kill('SIGINT');
    expect((await run.exit).code).toBe(130);
    expect(existsSync(join(h.workspace.dir, 'token.json'))).toBe(false);
  });

  it('ends with exit 1 and an error page when consent is declined, writing nothing', async () => {
    h.emulator.behaviour.consent = 'deny';
    const result = await mintApproved();
    expect(result.code).toBe(1);
    expect(result.page.body).toContain('access_denied');
    expect(result.stderr).toMatch(/declined.*access_denied/);
    expect(existsSync(join(h.workspace.dir, 'token.json'))).toBe(false);
    expect(tokenRequests()).toEqual([]);
  });

  it('fails naming the scope the person unticked', async () => {
    h.emulator.behaviour.grantScopes = (requested) => requested.filter((scope) => scope !== READONLY);
    const result = await mintApproved(['-s', 'send,readonly']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(READONLY);
    expect(result.stderr).toMatch(/did not grant/);
    expect(existsSync(join(h.workspace.dir, 'token.json'))).toBe(false);
  });

  it('gives up after --timeout with exit 1 and nothing written', async () => {
    const run = mint(['--timeout', '1']);
    await run.consentUrl();
    const result = await run.exit;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/No consent arrived within 1 second;.*--timeout/);
    expect(existsSync(join(h.workspace.dir, 'token.json'))).toBe(false);
  });

  it('stops the same way on SIGTERM', async () => {
    const run = mint([]);
    await run.consentUrl();
    run.child.kill('SIGTERM');
    const result = await run.exit;
    expect(result.code).toBe(130);
    expect(existsSync(join(h.workspace.dir, 'token.json'))).toBe(false);
  });

  it('exits 130 on Ctrl-C with nothing written', async () => {
    const run = mint([]);
    await run.consentUrl();
    run.child.kill('SIGINT');
    const result = await run.exit;
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/Interrupted/);
    expect(existsSync(join(h.workspace.dir, 'token.json'))).toBe(false);
  });

  it('listens on --port when given', async () => {
    const port = await freePort();
    const run = mint(['--port', String(port)]);
    const url = await run.consentUrl();
    expect(redirectUriOf(url).port).toBe(String(port));
    await followConsent(url);
    expect((await run.exit).code).toBe(0);
  });
});

describe('mint: Web clients', () => {
  it('binds the registered loopback URI exactly', async () => {
    const port = await freePort();
    const registered = `http://127.0.0.1:${port}/oauth2/callback`;
    const client = { clientId: 'web-client.apps.googleusercontent.com', clientSecret: 'GOCSPX-web', type: 'web' as const, redirectUris: ['https://example.com/cb', registered] };
    h.emulator.addClient(client);
    h.workspace.file('web.json', JSON.stringify(h.emulator.credentialsFile(client)));
    const result = await mintApproved(['-c', 'web.json']);
    expect(result.code).toBe(0);
    expect(tokenRequests()[0]?.form.redirect_uri).toBe(registered);
    expect(JSON.parse(readFileSync(join(h.workspace.dir, 'token.json'), 'utf8')).client_id).toBe(client.clientId);
  });

  it('says --port is ignored when the registered URI fixes another port', async () => {
    const port = await freePort();
    const client = { clientId: 'web-port.apps.googleusercontent.com', clientSecret: 'GOCSPX-web2', type: 'web' as const, redirectUris: [`http://127.0.0.1:${port}/cb`] };
    h.emulator.addClient(client);
    h.workspace.file('web.json', JSON.stringify(h.emulator.credentialsFile(client)));
    const result = await mintApproved(['-c', 'web.json', '--port', String(port === 65535 ? 1 : port + 1), '-o', '-']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(new RegExp(`--port \\d+ is ignored.*fixes port ${port}`));
  });

  it('without a loopback URI, exits 2 saying what to register', async () => {
    h.workspace.file('web.json', JSON.stringify({ web: { client_id: 'w', client_secret: 's', redirect_uris: ['https://example.com/cb'] } }));
    const result = await runInProcessToEnd(['mint', '--no-open', '-c', 'web.json'], { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/http:\/\/127\.0\.0\.1:8085\/oauth2callback.*Desktop app/);
  });
});

describe('mint: inputs are checked first', () => {
  const cases: [string, string[], RegExp][] = [
    ['unknown scope', ['-s', 'gmail.sned'], /Unknown scope "gmail\.sned"/],
    ['bad port', ['--port', '70000'], /--port "70000"/],
    ['bad timeout', ['--timeout', 'soon'], /--timeout "soon"/],
    ['bad login hint', ['--login-hint', 'nobody'], /--login-hint/],
    ['bad env prefix', ['-f', 'env', '--env-prefix', 'A-B'], /--env-prefix/],
    ['missing credentials file', ['-c', 'nope.json'], /nope\.json does not exist.*Desktop app/],
    ['half a client', ['--client-id', 'x'], /Give both --client-id and --client-secret/],
    ['output folder missing', ['-o', 'no/such/dir/token.json'], /does not exist/],
  ];
  it.each(cases)('%s: exit 2, one line, nothing sent', async (_name, args, message) => {
    const result = await runInProcessToEnd(['mint', '--no-open', ...args], { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(h.emulator.received).toEqual([]);
  });

  const badFiles: [string, string, RegExp][] = [
    ['not JSON', '{oops', /not valid JSON/],
    ['empty', '', /is empty/],
    ['an array', '[1]', /holds an array/],
    ['a service-account key', JSON.stringify({ type: 'service_account', private_key: 'k', client_email: 'a@b' }), /service-account key.*Desktop app/],
    ['a token.json', JSON.stringify({ type: 'authorized_user', client_id: 'a', client_secret: 'b', refresh_token: 'c' }), /token file/],
    ['no client_id', JSON.stringify({ installed: { client_secret: 's' } }), /no client_id/],
    ['no client_secret', JSON.stringify({ installed: { client_id: 'c' } }), /no client_secret/],
    ['wrong types', JSON.stringify({ installed: { client_id: ['c'], client_secret: 's' } }), /client_id should be a string/],
  ];
  it.each(badFiles)('a credentials file that is %s: exit 2 with its own message', async (_name, content, message) => {
    h.workspace.file('bad.json', content);
    const result = await runInProcessToEnd(['mint', '--no-open', '-c', 'bad.json'], { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(h.emulator.received).toEqual([]);
  });

  it('takes the client from --client-id and --client-secret', async () => {
    const { clientId, clientSecret } = h.emulator.defaultClient;
    const result = await mintApproved(['--client-id', clientId, '--client-secret', clientSecret, '-o', '-']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).client_id).toBe(clientId);
  });

  it('takes the client from $GOOGLE_CLIENT_ID and $GOOGLE_CLIENT_SECRET when no file is named', async () => {
    const { clientId, clientSecret } = h.emulator.defaultClient;
    h.workspace.file('credentials.json', '{broken');
    const result = await mintApproved(['-o', '-'], { GOOGLE_CLIENT_ID: clientId, GOOGLE_CLIENT_SECRET: clientSecret });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).client_secret).toBe(clientSecret);
    expect(result.stderr).not.toContain(clientSecret);
  });

  it('takes the credentials file from $GMAIL_TOKEN_CREDENTIALS', async () => {
    h.workspace.file('elsewhere.json', JSON.stringify(h.emulator.credentialsFile()));
    h.workspace.file('credentials.json', '{broken');
    const result = await mintApproved(['-o', '-'], { GMAIL_TOKEN_CREDENTIALS: join(h.workspace.dir, 'elsewhere.json') });
    expect(result.code).toBe(0);
  });

  it('exits 2 when the port is taken', async () => {
    const port = await freePort();
    const blocker = (await import('node:net')).createServer().listen(port, '127.0.0.1');
    await new Promise((resolve) => blocker.once('listening', resolve));
    try {
      const result = await runInProcessToEnd(['mint', '--no-open', '--port', String(port)], { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort } });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`Port ${port}.*in use`));
    } finally {
      blocker.close();
    }
  });
});
