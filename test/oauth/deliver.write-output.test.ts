import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FlowError } from '../../src/core/errors.js';
import { envEntries, envText, renderOutput, type Format, type MintedToken } from '../../src/core/output.js';
import { writeOutput } from '../../src/oauth/deliver.js';
import { snapshot, type FileSnapshot } from '../../src/oauth/snapshot.js';
import { rejectionOf } from '../helpers/usage.js';
import { makeWorkspace } from '../helpers/workspace.js';

const TOKEN: MintedToken = {
  clientId: 'id.apps.googleusercontent.com',
  clientSecret: 'GOCSPX-client-secret',
  refreshToken: '1//refresh-token-new',
  accessToken: 'ya29.access-token',
  tokenUri: 'https://oauth2.googleapis.com/token',
  scopes: ['https://www.googleapis.com/auth/gmail.send'],
  expiry: new Date('2026-11-27T13:00:00Z'),
  account: 'tester@example.com',
};

let ws: ReturnType<typeof makeWorkspace>;
beforeEach(() => {
  ws = makeWorkspace();
});
afterEach(() => {
  vi.useRealTimers();
  ws.cleanup();
});

const at = (name: string): string => join(ws.dir, name);

function target(format: Format, path: string, before: FileSnapshot | undefined, force = false) {
  return { format, prefix: 'APP_', path, force, before };
}

/** Exactly this file, 0600, and nothing temporary (.tmp, a lock) left in the folder. */
function expectOnly(path: string, content: string, others: string[] = []): void {
  expect(readFileSync(path, 'utf8')).toBe(content);
  expect(statSync(path).mode & 0o777).toBe(0o600);
  expect(readdirSync(ws.dir).sort()).toEqual([path.slice(ws.dir.length + 1), ...others].sort());
}

const refusal = (promise: Promise<unknown>): Promise<FlowError> => rejectionOf(promise, FlowError);

describe('writeOutput: json and shell', () => {
  it('creates a new 0600 file when there was none', async () => {
    const path = at('token.json');
    expect(await writeOutput(target('json', path, undefined), TOKEN)).toBe('created');
    expectOnly(path, renderOutput('json', TOKEN, 'APP_'));
  });

  it('never clobbers a file that appeared during consent', async () => {
    const path = at('token.json');
    writeFileSync(path, 'theirs\n', { mode: 0o644 });
    const error = await refusal(writeOutput(target('json', path, undefined), TOKEN));
    expect(error.message).toBe(`${path} appeared while consent was given (another gmail-token run?) and was kept as it is.`);
    expect(readFileSync(path, 'utf8')).toBe('theirs\n');
    expect(statSync(path).mode & 0o777).toBe(0o644);
  });

  it('--force replaces whatever is there, as a 0600 file', async () => {
    const path = at('token.sh');
    writeFileSync(path, 'theirs\n', { mode: 0o644 });
    expect(await writeOutput(target('shell', path, undefined, true), TOKEN)).toBe('replaced');
    expectOnly(path, renderOutput('shell', TOKEN, 'APP_'));
  });

  it('replaces the file agreed to on a terminal while it is unchanged', async () => {
    const path = at('token.json');
    writeFileSync(path, 'old\n', { mode: 0o644 });
    expect(await writeOutput(target('json', path, await snapshot(path)), TOKEN)).toBe('replaced');
    expectOnly(path, renderOutput('json', TOKEN, 'APP_'));
  });

  it('keeps the file agreed to when it changed during consent', async () => {
    const path = at('token.json');
    writeFileSync(path, 'old\n');
    const before = await snapshot(path);
    writeFileSync(path, 'edited\n');
    const error = await refusal(writeOutput(target('json', path, before), TOKEN));
    expect(error.message).toBe(`${path} changed while consent was given, so it was kept as it is.`);
    expect(readFileSync(path, 'utf8')).toBe('edited\n');
    expect(readdirSync(ws.dir)).toEqual(['token.json']);
  });
});

describe('writeOutput: a .env update', () => {
  const ours = (values: [string, string, string]): string => envText([['APP_CLIENT_ID', values[0]], ['APP_CLIENT_SECRET', values[1]], ['APP_REFRESH_TOKEN', values[2]]]);

  it('creates the .env with our three lines when there is none', async () => {
    const path = at('.env');
    expect(await writeOutput(target('env', path, undefined), TOKEN)).toBe('created');
    expectOnly(path, envText(envEntries('APP_', TOKEN)));
  });

  it('updates our keys in place and keeps every other line, also lines added during consent', async () => {
    const path = at('.env');
    writeFileSync(path, `# app\nPORT=8080\n${ours(['old-id', 'old-secret', '1//old'])}`);
    const before = await snapshot(path);
    writeFileSync(path, `# app\nPORT=8080\n${ours(['old-id', 'old-secret', '1//old'])}DEBUG=1\n`);
    expect(await writeOutput(target('env', path, before), TOKEN)).toBe('updated');
    expectOnly(path, `# app\nPORT=8080\n${envText(envEntries('APP_', TOKEN))}DEBUG=1\n`);
  });

  it('merges into a .env that appeared during consent without our keys', async () => {
    const path = at('.env');
    writeFileSync(path, 'PORT=8080\n');
    expect(await writeOutput(target('env', path, undefined), TOKEN)).toBe('updated');
    expectOnly(path, `PORT=8080\n${envText(envEntries('APP_', TOKEN))}`);
  });

  it('creates it again when the .env went away during consent', async () => {
    const path = at('.env');
    writeFileSync(path, 'PORT=8080\n');
    const before = await snapshot(path);
    rmSync(path);
    expect(await writeOutput(target('env', path, before), TOKEN)).toBe('created');
    expectOnly(path, envText(envEntries('APP_', TOKEN)));
  });

  it('leaves the .env as it is when another run wrote our keys during consent', async () => {
    const path = at('.env');
    writeFileSync(path, ours(['id', 'secret', '1//old']));
    const before = await snapshot(path);
    const theirs = ours(['id', 'secret', '1//another-run']);
    writeFileSync(path, theirs);
    const error = await refusal(writeOutput(target('env', path, before), TOKEN));
    expect(error.message).toBe(`${path} got new APP_CLIENT_ID, APP_CLIENT_SECRET, APP_REFRESH_TOKEN values while consent was given (another gmail-token run?), so it was left as it is.`);
    expect(readFileSync(path, 'utf8')).toBe(theirs);
    expect(readdirSync(ws.dir)).toEqual(['.env']);
  });

  it('refuses a .env that appeared with our keys in it', async () => {
    const path = at('.env');
    writeFileSync(path, ours(['id', 'secret', '1//another-run']));
    await refusal(writeOutput(target('env', path, undefined), TOKEN));
    expect(readFileSync(path, 'utf8')).toBe(ours(['id', 'secret', '1//another-run']));
  });

  it('ends with exit 1, not as a usage error, when the .env changed so that it can no longer be merged', async () => {
    const path = at('.env');
    writeFileSync(path, 'APP_CLIENT_ID=x # pasted\nNEXT=1\n');
    const before = await snapshot(path);
    // Our key reads the same, but U+2028 ends a line for dotenv's regex while a bare value runs
    // over it: rewriting APP_CLIENT_ID would swallow NEXT.
    const changed = 'APP_CLIENT_ID=x # pasted\u2028NEXT=1\n';
    writeFileSync(path, changed);
    const error = await refusal(writeOutput(target('env', path, before), TOKEN));
    expect(error.constructor).toBe(FlowError);
    expect(error.message).toBe(
      `${path} changed while consent was given and can no longer be updated so that dotenv reads every other key as before, so it was left as it is.`,
    );
    expect(readFileSync(path, 'utf8')).toBe(changed);
  });
});
