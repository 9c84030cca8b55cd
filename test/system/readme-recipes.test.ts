import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'dotenv';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { followConsent } from '../helpers/browser.js';
import { runInProcess } from '../helpers/run-cli.js';
import { childEnvironment } from '../helpers/environment.js';
import { useEmulatorHarness } from '../helpers/harness.js';
import { lacks } from '../helpers/programs.js';
import { recipe as recipeOn } from '../helpers/recipes.js';

/**
 * The recipes of docs/recipes/, taken from their pages (the code block after each
 * `<!-- recipe: name -->`), saved and run the way their first line says, in a fresh project folder,
 * against the emulator. The token they use is minted by the `gmail-token mint` line the page shows
 * before them.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The page under docs/recipes/ that shows each recipe. */
const PAGE: Record<string, string> = { 'django-settings': 'django', nodemailer: 'nodemailer', googleapis: 'node-google', 'google-auth-library': 'node-google', 'python-token': 'python' };
/** Debian's interpreter, where apt's python3-google-auth and python3-dotenv live. */
const PYTHON = '/usr/bin/python3';

const h = useEmulatorHarness();
const children: ChildProcess[] = [];
// The harness keeps the emulator's sent messages across tests; each recipe here counts its own.
beforeEach(() => {
  h.emulator.messages.length = 0;
});
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function recipe(name: string) {
  const found = recipeOn(PAGE[name] ?? name, name);
  if (found.mint.length === 0) throw new Error(`docs/recipes/${PAGE[name]}.md shows no \`gmail-token mint\` line before the ${name} recipe`);
  return found;
}

/** A new project folder: the harness's, with this repository's node_modules where npm install would put them. */
function project(): string {
  symlinkSync(join(ROOT, 'node_modules'), join(h.workspace.dir, 'node_modules'), 'dir');
  return h.workspace.dir;
}

/** Runs that mint line against the emulator, consenting at once; returns what mint said on stderr. */
async function mintAsReadmeSays(mint: string[], dir: string): Promise<string> {
  const run = runInProcess([...mint, '--no-open'], { cwd: dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort } });
  await followConsent(await run.consentUrl());
  const minted = await run.exit;
  expect(minted.code, minted.stderr).toBe(0);
  return minted.stderr;
}

function run(command: string, args: string[], dir: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(command, args, { cwd: dir, env: childEnvironment(env), stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/**
 * Saves a Node recipe under the name its first line gives, and runs the command that line gives.
 * The variants README offers: saved `as` another file name, or loading .env with `dotenv` in place of --env-file.
 */
function runNodeRecipe(code: string, dir: string, env: Record<string, string>, variant: Variant = {}) {
  const first = /^\/\/ Save as (\S+) and run: node (.+)$/m.exec(code.split('\n')[0] ?? '');
  if (!first) throw new Error(`a Node recipe starts with "// Save as <file> and run: node …", not: ${code.split('\n')[0]}`);
  const [, file, command] = first as unknown as [string, string, string];
  writeFileSync(join(dir, variant.as ?? file), variant.dotenv ? `import 'dotenv/config';\n${code}` : code);
  const args = command
    .split(/\s+/)
    .filter((arg) => !(variant.dotenv && arg.startsWith('--env-file=')))
    .map((arg) => (arg === file ? (variant.as ?? file) : arg));
  return run(process.execPath, args, dir, env);
}

interface Variant {
  as?: string;
  dotenv?: boolean;
}

/** Mints as README says before the recipe, then runs the recipe, in a new project folder. */
async function mintThenRun(name: string, env: Record<string, string>, variant?: Variant) {
  const { code, mint } = recipe(name);
  const dir = project();
  const minted = await mintAsReadmeSays(mint, dir);
  return { minted, ...(await runNodeRecipe(code, dir, env, variant)) };
}

function expectOneMessageSent(stdout: string, to: string, text: string): void {
  expect(h.emulator.messages).toHaveLength(1);
  const [sent] = h.emulator.messages;
  expect(stdout).toBe(`sent ${sent?.id}\n`);
  expect(sent?.message).toMatch(new RegExp(`^To: ${to}\\r\\nSubject: Hello\\r\\n\\r\\n${text}`));
}

describe("README's Node recipes, run as copied, against the emulator", () => {
  const emulatorEnv = () => ({ GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort });

  it('googleapis (@googleapis/gmail): reads token.json, refreshes at its token_uri and sends through rootUrl', async () => {
    const ran = await mintThenRun('googleapis', emulatorEnv());
    expect(ran).toMatchObject({ code: 0, stderr: '' });
    expectOneMessageSent(ran.stdout, 'friend@example.com', 'Sent with the Gmail API.');
  });

  it('google-auth-library alone: the same through OAuth2Client.request', async () => {
    const ran = await mintThenRun('google-auth-library', emulatorEnv());
    expect(ran).toMatchObject({ code: 0, stderr: '' });
    expectOneMessageSent(ran.stdout, 'friend@example.com', 'Sent with google-auth-library.');
  });

  it('a recipe saved as .js runs in a project whose package.json says "type": "module"', async () => {
    writeFileSync(join(h.workspace.dir, 'package.json'), JSON.stringify({ type: 'module' }));
    const ran = await mintThenRun('google-auth-library', emulatorEnv(), { as: 'send.js' });
    expect(ran.code, ran.stderr).toBe(0);
    expect(h.emulator.messages).toHaveLength(1);
  });

  it.each([
    ['node --env-file=.env', {}],
    ["dotenv's import 'dotenv/config' as its first line", { dotenv: true }],
  ])('nodemailer, .env read by %s: logs in with XOAUTH2 as the consenting account, with a token from accessUrl', async (_how, variant: Variant) => {
    // As copied: the emulator's own account is not the page's; the mint line's --login-hint makes it so.
    const account = /const account = '([^']+)'/.exec(recipe('nodemailer').code)?.[1] ?? '';
    expect(h.emulator.behaviour.account).not.toBe(account);
    // The emulator's SMTP, like Gmail's, takes a token only for the account it was granted by. Plain
    // TCP on loopback: ignoreTLS keeps nodemailer from a STARTTLS with the emulator's test-only certificate.
    h.emulator.mailLogins.length = 0;
    const ran = await mintThenRun('nodemailer', { ...emulatorEnv(), SMTP_URL: `smtp://${h.emulator.smtpHostPort}/?ignoreTLS=true` }, variant);
    expect(ran.minted).toContain(`account: ${account}\n`);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toMatch(/^sent <.+>\n$/);
    expect(h.emulator.mailLogins.map((login) => [login.user, login.accepted])).toEqual([[account, true]]);
    expect(h.emulator.messages).toHaveLength(1);
    expect(h.emulator.messages[0]?.message).toMatch(/^To: friend@example\.com\r$/m);
    expect(h.emulator.messages[0]?.message).toMatch(/^Subject: Hello\r$/m);
  });
});

describe.skipIf(lacks('python3-google-auth', 'python3-dotenv'))("README's Python recipes, with Debian's python3-google-auth and python3-dotenv", () => {
  it('Django settings: load_dotenv reads the .env that mint wrote; the environment wins; missing values are None, not an error', async () => {
    const { code, mint } = recipe('django-settings');
    const dir = h.workspace.dir;
    mkdirSync(join(dir, 'mysite'));
    writeFileSync(join(dir, 'mysite', 'settings.py'), code);
    const names = ['GMAIL_API_CLIENT_ID', 'GMAIL_API_CLIENT_SECRET', 'GMAIL_API_REFRESH_TOKEN'];
    const settings = async (env: Record<string, string> = {}) => {
      const script = `import json, runpy; s = runpy.run_path('mysite/settings.py'); print(json.dumps({k: s[k] for k in ${JSON.stringify(names)}}))`;
      const ran = await run(PYTHON, ['-c', script], dir, env);
      expect(ran.code, ran.stderr).toBe(0);
      return JSON.parse(ran.stdout) as Record<string, string | null>;
    };

    // Like collectstatic in a build with no secrets: the settings still load.
    expect(await settings()).toEqual({ GMAIL_API_CLIENT_ID: null, GMAIL_API_CLIENT_SECRET: null, GMAIL_API_REFRESH_TOKEN: null });
    await mintAsReadmeSays(mint, dir);
    const written = parse(readFileSync(join(dir, '.env')));
    expect(await settings()).toEqual(Object.fromEntries(names.map((name) => [name, written[name]])));
    expect((await settings({ GMAIL_API_CLIENT_ID: 'set-in-the-environment' })).GMAIL_API_CLIENT_ID).toBe('set-in-the-environment');
  });

  it('google-auth: Credentials.from_authorized_user_file reads the token.json that mint wrote', async () => {
    const { code, mint } = recipe('python-token');
    const dir = h.workspace.dir;
    await mintAsReadmeSays(mint, dir);
    writeFileSync(join(dir, 'recipe.py'), code);
    const script = `exec(open('recipe.py').read()); import json; print(json.dumps([creds.client_id, creds.client_secret, creds.refresh_token]))`;
    const ran = await run(PYTHON, ['-c', script], dir, {});
    expect(ran.code, ran.stderr).toBe(0);
    const file = JSON.parse(readFileSync(join(dir, 'token.json'), 'utf8')) as Record<string, string>;
    expect(JSON.parse(ran.stdout)).toEqual([file.client_id, file.client_secret, file.refresh_token]);
  });
});
