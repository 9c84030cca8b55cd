import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import dotenv from 'dotenv';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type EmulatorClient, type TokenFault } from '../../src/emulator/index.js';
import { followConsent, redirectUriOf } from '../helpers/browser.js';
import { runInProcess, type InProcessOptions } from '../helpers/run-cli.js';
import { makeWorkspace } from '../helpers/workspace.js';
import { pool } from '../helpers/async.js';

/**
 * SPEC "Conventions": no client secret, refresh token or access token on stderr, in an error
 * message or in a page the loopback server serves; stdout only when it is the requested output.
 *
 * The CLI talks to the emulator through a recording proxy, so every refresh and access token
 * the emulator issues is known here, even those of runs that fail after the exchange. Every
 * command and error path runs with DEBUG=gmail-token, the most the tool ever prints.
 */

const CANARY_SECRET = `GOCSPX-LeakCanary-${randomBytes(18).toString('base64url')}`;
/** A secret Google will not accept: error paths for a wrong secret must not quote it either. */
const WRONG_SECRET = `GOCSPX-WrongCanary-${randomBytes(18).toString('base64url')}`;
const CLIENT: EmulatorClient = {
  clientId: 'leak-canary.apps.googleusercontent.com',
  clientSecret: CANARY_SECRET,
  type: 'installed',
  redirectUris: ['http://localhost'],
};

/** An emulator behind a recording proxy; fault runs get a stage each, so they can run at once. */
interface Stage {
  emulator: Emulator;
  proxy: Server;
  host: string;
}

const issued = new Set<string>();
/** Everything a person or a log could see, with where it came from. */
const surfaces: { where: string; text: string }[] = [];
const stages: Stage[] = [];

function secrets(): string[] {
  return [CANARY_SECRET, WRONG_SECRET, ...issued];
}

function recordIssued(body: string): void {
  for (const match of body.matchAll(/"(access_token|refresh_token)"\s*:\s*"([^"]+)"/g)) issued.add(match[2] as string);
}

/** Forwards to the emulator and notes every token in its answers; a reset or hang passes through. */
function startRecordingProxy(target: string): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const controller = new AbortController();
      res.on('close', () => controller.abort());
      const headers: Record<string, string> = {};
      for (const name of ['content-type', 'authorization', 'accept']) {
        const value = req.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
      fetch(target + (req.url ?? '/'), { method: req.method, headers, body, redirect: 'manual', signal: controller.signal })
        .then(async (upstream) => {
          const text = await upstream.text();
          recordIssued(text);
          const out: Record<string, string> = {};
          for (const name of ['content-type', 'location', 'www-authenticate']) {
            const value = upstream.headers.get(name);
            if (value) out[name] = value;
          }
          res.writeHead(upstream.status, out).end(text);
        })
        .catch(() => res.destroy());
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function startStage(): Promise<Stage> {
  const emulator = await startEmulator({ clients: [CLIENT], behaviour: { account: 'leak-tester@example.com' } });
  const proxy = await startRecordingProxy(emulator.origin);
  const stage = { emulator, proxy, host: `127.0.0.1:${(proxy.address() as AddressInfo).port}` };
  stages.push(stage);
  return stage;
}

let main: Stage;
let emulator: Emulator;
let proxyHost: string;

beforeAll(async () => {
  main = await startStage();
  emulator = main.emulator;
  proxyHost = main.host;
});
afterAll(async () => {
  for (const stage of stages) {
    await stage.emulator.close();
    stage.proxy.closeAllConnections();
    await new Promise((resolve) => stage.proxy.close(resolve));
  }
});

/** A folder per test, so each test stands alone: run by itself, or in any order. */
let workspace: ReturnType<typeof makeWorkspace>;
beforeEach(() => {
  workspace = makeWorkspace();
  workspace.file('credentials.json', JSON.stringify(emulator.credentialsFile(CLIENT)));
});
afterEach(() => workspace.cleanup());

/** A token issued after a surface was noted is checked against it too: every surface, every secret, after each test. */
afterEach(() => {
  const found = surfaces.flatMap(({ where, text }) => secrets().filter((secret) => text.includes(secret)).map((secret) => `${where}: ${secret.slice(0, 12)}…`));
  expect(found).toEqual([]);
});

function reset(fault: TokenFault | null = null): void {
  emulator.behaviour = { consent: 'approve', account: 'leak-tester@example.com', tokenFault: fault };
}

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
  page?: string;
}

/** Runs the CLI as a person would, approving in the "browser" when it prints a consent URL. */
async function run(label: string, args: string[], options: { browse?: boolean; stdoutIsOutput?: boolean; cli?: InProcessOptions; env?: Record<string, string | undefined> } = {}): Promise<Outcome> {
  const cli = runInProcess(args, {
    cwd: workspace.dir,
    ...options.cli,
    env: { GMAIL_TOKEN_EMULATOR_HOST: proxyHost, DEBUG: 'gmail-token', GMAIL_API_REFRESH_TOKEN: undefined, ...options.env },
  });
  let page: string | undefined;
  if (options.browse ?? args[0] === 'mint') {
    const served = await followConsent(await cli.consentUrl());
    page = served.body;
  }
  const result = await cli.exit;
  note(`${label}: stderr`, result.stderr);
  if (page !== undefined) note(`${label}: page`, page);
  if (!options.stdoutIsOutput) note(`${label}: stdout`, result.stdout);
  return { ...result, page };
}

function note(where: string, text: string): void {
  surfaces.push({ where, text });
  for (const secret of secrets()) {
    expect(text.includes(secret), `${where} shows a secret (${secret.slice(0, 12)}…):\n${text}`).toBe(false);
  }
}

function tokenJson(name = 'token.json'): Record<string, string> {
  return JSON.parse(readFileSync(join(workspace.dir, name), 'utf8')) as Record<string, string>;
}

describe('no secret leaks, on every command and error path', () => {
  it('mint: json, env, shell, a .env update, with the email scope, --manual, and flags instead of a file', async () => {
    reset();
    expect((await run('mint json to token.json', ['mint', '--no-open', '--force'])).code).toBe(0);
    const file = tokenJson();
    expect(file.client_secret).toBe(CANARY_SECRET);
    expect(issued.has(file.refresh_token ?? '')).toBe(true);
    expect(issued.has(file.token ?? '')).toBe(true);

    // Runs that need the same emulator behaviour go together, to keep the file quick.
    workspace.file('.env', '# app\nDEBUG=1\n');
    const [json, env, shell, update, email, openid, flags] = await Promise.all([
      run('mint json to stdout', ['mint', '--no-open', '-o', '-'], { stdoutIsOutput: true }),
      run('mint env to stdout', ['mint', '--no-open', '-f', 'env'], { stdoutIsOutput: true }),
      run('mint shell to stdout', ['mint', '--no-open', '-f', 'shell'], { stdoutIsOutput: true }),
      run('mint env update', ['mint', '--no-open', '-f', 'env', '-o', '.env']),
      run('mint with email', ['mint', '--no-open', '-s', 'send,email', '-o', 'email.json']),
      run('mint with openid', ['mint', '--no-open', '-s', 'send,openid,email', '-o', 'openid.json']),
      run('mint with --client-secret', ['mint', '--no-open', '--client-id', CLIENT.clientId, '--client-secret', CANARY_SECRET, '-o', 'flags.json']),
    ]);
    for (const outcome of [json, env, shell, update, email, openid, flags]) expect(outcome.code).toBe(0);
    for (const outcome of [json, env, shell]) expect(outcome.stdout).toContain(CANARY_SECRET);
    expect(readFileSync(join(workspace.dir, '.env'), 'utf8')).toContain(CANARY_SECRET);

    const manual = runInProcess(['mint', '--manual', '-o', 'manual.json'], {
      cwd: workspace.dir,
      env: { GMAIL_TOKEN_EMULATOR_HOST: proxyHost, DEBUG: 'gmail-token', BROWSER: 'false' },
      keepStdinOpen: true,
    });
    const consent = await fetch(await manual.consentUrl(), { redirect: 'manual' });
    manual.child.stdin?.end(`${consent.headers.get('location')}\n`);
    const manualResult = await manual.exit;
    note('mint --manual: stderr', manualResult.stderr);
    note('mint --manual: stdout', manualResult.stdout);
    expect(manualResult.code).toBe(0);
  }, 60_000);

  it('mint error paths: denial, partial grant, timeout, Ctrl-C, a failed write, a wrong secret', async () => {
    reset();
    emulator.behaviour.consent = 'deny';
    const denied = await run('mint denied', ['mint', '--no-open', '-o', 'denied.json']);
    expect(denied.code).toBe(1);
    expect(denied.page).toContain('access_denied');

    reset();
    emulator.behaviour.grantScopes = (requested) => requested.filter((scope) => !scope.endsWith('gmail.readonly'));
    const before = issued.size;
    const interrupted = runInProcess(['mint', '--no-open', '-o', 'int.json'], { cwd: workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: proxyHost, DEBUG: 'gmail-token' } });
    const [partial, late] = await Promise.all([
      run('mint partial grant', ['mint', '--no-open', '-s', 'send,readonly', '-o', 'partial.json']),
      run('mint timeout', ['mint', '--no-open', '--timeout', '1', '-o', 'late.json'], { browse: false }),
      interrupted.consentUrl().then(() => interrupted.child.kill('SIGINT')),
    ]);
    expect(partial.code).toBe(1);
    expect(issued.size).toBeGreaterThan(before); // tokens were issued, then refused: they must not show
    expect(late.code).toBe(1);
    const interruptedResult = await interrupted.exit;
    note('mint Ctrl-C: stderr', interruptedResult.stderr);
    expect(interruptedResult.code).toBe(130);

    // Tokens issued, then the write fails: the error names the file, never the token.
    reset();
    mkdirSync(join(workspace.dir, 'gone'), { recursive: true });
    const cli = runInProcess(['mint', '--no-open', '-o', 'gone/token.json'], { cwd: workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: proxyHost, DEBUG: 'gmail-token' } });
    const url = await cli.consentUrl();
    rmSync(join(workspace.dir, 'gone'), { recursive: true });
    note('mint failed write: page', (await followConsent(url)).body);
    const failedWrite = await cli.exit;
    note('mint failed write: stderr', failedWrite.stderr);
    expect(failedWrite.code).toBe(1);

    // Google refuses the secret given on the command line.
    reset();
    const wrong = await run('mint wrong --client-secret', ['mint', '--no-open', '--client-id', CLIENT.clientId, '--client-secret', WRONG_SECRET, '-o', 'wrong.json']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/invalid_client/);
  }, 60_000);

  it('the loopback server: pages for forged, stray and foreign-Host requests show no secret either', async () => {
    reset();
    const cli = runInProcess(['mint', '--no-open', '-o', 'pages.json'], { cwd: workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: proxyHost } });
    const url = await cli.consentUrl();
    const redirect = redirectUriOf(url);
    for (const target of [`${redirect.pathname}?code=x&state=forged`, '/favicon.ico', `${redirect.pathname}?error=access_denied&state=forged`]) {
      const answer = await fetch(`${redirect.origin}${target}`);
      note(`loopback page ${target}`, await answer.text());
    }
    const foreign = await new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: Number(redirect.port), path: `${redirect.pathname}?code=x&state=y`, headers: { host: 'evil.example' } }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve(`${res.statusCode} ${body}`));
      });
      req.on('error', reject).end();
    });
    expect(foreign).toMatch(/^421 /);
    note('loopback page for a foreign Host', foreign);
    note('mint pages: page', (await followConsent(url)).body);
    const result = await cli.exit;
    note('mint pages: stderr', result.stderr);
    expect(result.code).toBe(0);
  });

  it('check and access-token, working', async () => {
    reset();
    expect((await run('mint for check', ['mint', '--no-open', '--force', '-s', 'send,email'])).code).toBe(0);
    const file = tokenJson();

    expect((await run('mint env for check', ['mint', '--no-open', '-f', 'env', '-o', 'app.env'])).code).toBe(0);
    const envLines = dotenv.parse(readFileSync(join(workspace.dir, 'app.env'), 'utf8'));
    const [check, report, sent, fromEnvFile, fromEnvironment, access] = await Promise.all([
      run('check', ['check']),
      run('check --json', ['check', '--json', '--token-file', 'token.json']),
      run('check --send-test', ['check', '--send-test', 'someone@example.com']),
      run('check --token-file .env', ['check', '--token-file', 'app.env']),
      run('check from the environment', ['check'], { env: envLines }),
      // access-token: stdout is the requested output, but only a fresh access token, nothing else.
      run('access-token', ['access-token'], { stdoutIsOutput: true }),
    ]);
    for (const outcome of [check, report, sent, fromEnvFile, fromEnvironment, access]) expect(outcome.code).toBe(0);
    expect(JSON.parse(report.stdout).ok).toBe(true);
    const printed = access.stdout.trim();
    expect(access.stdout).toBe(`${printed}\n`);
    expect(issued.has(printed)).toBe(true);
    for (const secret of [CANARY_SECRET, file.refresh_token ?? '']) expect(access.stdout).not.toContain(secret);

  }, 60_000);

  it('every token-endpoint fault, for mint, check and access-token', async () => {
    // (Each error's own wording is checked in mint.token-endpoint-faults and test/oauth/exchange, refresh; here only what it must not show.)
    const faults: TokenFault[] = [
      { kind: 'status', status: 503 },
      { kind: 'non-json' },
      { kind: 'reset' },
      { kind: 'hang' },
      { kind: 'oauth-error', error: 'invalid_client', description: 'Unauthorized' },
      { kind: 'oauth-error', error: 'invalid_grant', description: 'Token has been expired or revoked.' },
    ];
    // check and access-token read token.json: a real one, minted before the faults start.
    reset();
    expect((await run('mint before faults', ['mint', '--no-open', '--force', '-o', 'faults.json'])).code).toBe(0);
    const jobs = await Promise.all(
      faults.map(async (fault) => {
        const stage = await startStage();
        stage.emulator.behaviour.tokenFault = fault;
        const env = { GMAIL_TOKEN_EMULATOR_HOST: stage.host, GMAIL_TOKEN_HTTP_TIMEOUT: '1' };
        const label = JSON.stringify(fault);
        return [
          () => run(`mint fault ${label}`, ['mint', '--no-open', '-o', `fault-${stages.indexOf(stage)}.json`], { env }),
          () => run(`check fault ${label}`, ['check', '--json', '--token-file', 'faults.json'], { env }),
          // --no-cache: the stored access token is fresh, and the refresh is what meets the fault.
          () => run(`access-token fault ${label}`, ['access-token', '--no-cache', '--token-file', 'faults.json'], { env }),
        ];
      }),
    );
    const outcomes = await pool(jobs.flat(), 4, (job) => job());
    for (const outcome of outcomes) expect(outcome.code, outcome.stderr).toBe(1);
  }, 60_000);

  it('check, access-token and revoke when things go wrong', async () => {
    reset();
    expect((await run('mint for failures', ['mint', '--no-open'])).code).toBe(0);
    const file = tokenJson();
    // A wrong client secret for a good refresh token.
    writeFileSync(join(workspace.dir, 'wrong.json'), JSON.stringify({ ...file, client_secret: WRONG_SECRET }));
    const wrong = await Promise.all([run('check wrong secret', ['check', '--token-file', 'wrong.json']), run('access-token wrong secret', ['access-token', '--no-cache', '--token-file', 'wrong.json'])]);
    for (const outcome of wrong) expect(outcome.code).toBe(1);

    // Revoke (from the file, then again: already invalid; and by value on the command line).
    expect((await run('revoke', ['revoke'])).code).toBe(0);
    expect((await run('revoke again', ['revoke'])).code).toBe(0);
    expect((await run('revoke --token', ['revoke', '--token', file.refresh_token ?? ''])).code).toBe(0);
    expect((await run('revoke --token access', ['revoke', '--token', file.token ?? ''])).code).toBe(0);
    const unreachable = await run('revoke, Google unreachable', ['revoke', '--token-file', 'token.json'], { env: { GMAIL_TOKEN_EMULATOR_HOST: '127.0.0.1:1' } });
    expect(unreachable.code).toBe(1);

    // A revoked token: invalid_grant, whose explanation must not quote the token.
    const [revoked, ...others] = await Promise.all([run('check revoked', ['check']), run('check --json revoked', ['check', '--json']), run('access-token revoked', ['access-token', '--no-cache'])]);
    expect(revoked.stderr).toMatch(/invalid_grant/);
    for (const outcome of [revoked, ...others]) expect(outcome.code).toBe(1);
  }, 60_000);
});
