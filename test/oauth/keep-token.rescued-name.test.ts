import { execFileSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveEndpoints } from '../../src/core/endpoints.js';
import { FlowError } from '../../src/core/errors.js';
import type { MintedToken } from '../../src/core/output.js';
import { rescuedName } from '../../src/core/rescued-name.js';
import { keepUnwrittenToken, type KeepEffects } from '../../src/oauth/keep-token.js';
import { rejectionOf } from '../helpers/usage.js';
import { makeWorkspace } from '../helpers/workspace.js';

/**
 * Issue 19, item 9: a rescued copy was `token.json.rescued-…`, which a .gitignore listing
 * `token.json` or `*.json` lets through. It now keeps its extension (`token.rescued-….json`), so
 * the broad patterns catch it, and the message says a line naming the file itself does not.
 */

const FAKE: MintedToken = {
  clientId: 'id.apps.googleusercontent.com',
  clientSecret: 'GOCSPX-s',
  refreshToken: '1//r',
  accessToken: 'ya29.a',
  tokenUri: 'https://oauth2.googleapis.com/token',
  scopes: ['https://www.googleapis.com/auth/gmail.send'],
  expiry: new Date('2026-11-27T13:00:00Z'),
  account: '',
};

let ws: ReturnType<typeof makeWorkspace>;
beforeEach(() => (ws = makeWorkspace()));
afterEach(() => ws.cleanup());

/** Whether git, with this .gitignore, ignores `name` (git check-ignore is the rule's own judge). */
function ignored(gitignore: string, name: string): boolean {
  execFileSync('git', ['init', '-q', ws.dir]);
  writeFileSync(join(ws.dir, '.gitignore'), gitignore);
  try {
    execFileSync('git', ['-C', ws.dir, 'check-ignore', '-q', '--no-index', name]);
    return true;
  } catch {
    return false;
  }
}

describe('the name of a rescued copy', () => {
  it('keeps the extension last, the random part before it', () => {
    expect(rescuedName('/a/token.json', 'abc123')).toBe('/a/token.rescued-abc123.json');
    expect(rescuedName('/a/.env', 'abc123')).toBe('/a/.env.rescued-abc123');
    expect(rescuedName('/a/.env.local', 'abc123')).toBe('/a/.env.rescued-abc123.local');
    expect(rescuedName('/a/prod.env', 'abc123')).toBe('/a/prod.rescued-abc123.env');
  });

  const cases: [string, string, boolean][] = [
    ['*.json', 'token.json', true],
    ['token*', 'token.json', true],
    ['.env*', '.env', true],
    ['.env.*', '.env', true],
    ['*.env', 'prod.env', true],
    ['*.rescued-*', 'token.json', true],
    ['token.json', 'token.json', false],
    ['.env', '.env', false],
  ];
  for (const [pattern, output, caught] of cases) {
    it(`a .gitignore line ${pattern} ${caught ? 'catches' : 'does not catch'} the copy of ${output}`, () => {
      expect(ignored(`${pattern}\n`, rescuedName(output, 'abc123'))).toBe(caught);
    });
  }
});

it('the message says a .gitignore line naming the output does not cover the copy', async () => {
  const path = join(ws.dir, 'token.json');
  const fx: KeepEffects = { askLine: () => Promise.resolve(undefined), say: () => undefined, warn: () => undefined, emit: () => Promise.resolve(), temporaryFolder: ws.dir };
  const unwritten = { token: FAKE, format: 'json' as const, prefix: 'GMAIL_API_', path, endpoints: resolveEndpoints({}) };
  const error = await rejectionOf(keepUnwrittenToken(new FlowError('full'), unwritten, 'beside', fx), FlowError);
  const [kept = 'missing'] = readdirSync(ws.dir);
  expect(kept).toMatch(/^token\.rescued-[0-9a-f]{6}\.json$/);
  expect(error.message).toBe(
    `The refresh token was not written to ${path}; it was written to ${join(ws.dir, kept)} (mode 0600) instead; move it where it belongs. A .gitignore line naming token.json does not cover this copy.`,
  );
});

it('Ctrl-D at the rescue question keeps the copy beside the output, as off a terminal', async () => {
  const path = join(ws.dir, 'token.json');
  const said: string[] = [];
  const fx: KeepEffects = { askLine: () => Promise.resolve(undefined), say: (line) => void said.push(line), warn: () => undefined, emit: () => Promise.resolve(), temporaryFolder: ws.dir };
  const unwritten = { token: FAKE, format: 'json' as const, prefix: 'GMAIL_API_', path, endpoints: resolveEndpoints({}) };
  const error = await rejectionOf(keepUnwrittenToken(new FlowError('full'), unwritten, 'ask', fx), FlowError);
  expect(error.exitCode).toBe(1);
  expect(said.at(-1)).toBe('Input ended with no answer: keeping it beside the output, as off a terminal.');
  expect(readdirSync(ws.dir)).toEqual([expect.stringMatching(/^token\.rescued-[0-9a-f]{6}\.json$/)]);
});
