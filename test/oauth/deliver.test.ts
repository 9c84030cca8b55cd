import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveEndpoints } from '../../src/core/endpoints.js';
import { FlowError } from '../../src/core/errors.js';
import type { MintedToken } from '../../src/core/output.js';
import { deliverToken, type Delivery } from '../../src/oauth/deliver.js';
import type { KeepEffects, Unwritten } from '../../src/oauth/keep-token.js';
import { makeWorkspace } from '../helpers/workspace.js';

/**
 * Where mint's token goes once Google issued it (src/oauth/deliver.ts deliverToken), in this
 * process so that `npm run mutation` sees it: stdout or a file, the notice about a lock left
 * beside the output, and which way of keeping the token follows a failure.
 */
let ws: ReturnType<typeof makeWorkspace>;
beforeEach(() => {
  ws = makeWorkspace();
});
afterEach(() => ws.cleanup());

const token: MintedToken = {
  clientId: 'client-1.apps.googleusercontent.com',
  clientSecret: 'GOCSPX-secret',
  refreshToken: '1//refresh-delivery',
  accessToken: 'ya29.access',
  tokenUri: 'https://oauth2.googleapis.com/token',
  scopes: ['https://www.googleapis.com/auth/gmail.send'],
  expiry: new Date('2026-12-06T20:00:00Z'),
  account: 'tester@example.com',
};

function effects(emit: (data: string) => Promise<void>) {
  const said: string[] = [];
  const emitted: string[] = [];
  const keep: KeepEffects = {
    askLine: () => Promise.reject(new Error('no terminal here')),
    say: (line) => said.push(line),
    warn: (line) => said.push(line),
    emit: async (data) => {
      emitted.push(data);
      await emit(data);
    },
    temporaryFolder: ws.dir,
  };
  return { keep, said, emitted };
}

function delivery(path: string | undefined, overrides: Partial<Delivery> = {}): Delivery {
  return { format: 'json', prefix: 'GMAIL_API_', path, force: false, before: undefined, ifUnwritable: 'beside', ...overrides };
}

const unwritten = (): Unwritten => ({ token, format: 'json', prefix: 'GMAIL_API_', path: join(ws.dir, 'token.json'), shownAs: 'stdout', endpoints: resolveEndpoints({}) });

describe('deliverToken', () => {
  it('prints the token on stdout when there is no output file, and writes no file', async () => {
    const seen = effects(async () => undefined);
    await expect(deliverToken(delivery(undefined), unwritten(), seen.keep)).resolves.toBeUndefined();
    expect(JSON.parse(seen.emitted.join('')).refresh_token).toBe(token.refreshToken);
    expect(readdirSync(ws.dir)).toEqual([]);
  });

  it('with --if-unwritable stdout, a stdout that failed is not tried again: the token is kept beside, 0600', async () => {
    const seen = effects(() => Promise.reject(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })));
    const failed = deliverToken(delivery(undefined, { ifUnwritable: 'stdout' }), unwritten(), seen.keep);
    await expect(failed).rejects.toBeInstanceOf(FlowError);
    await expect(failed).rejects.toThrow(/not written to stdout; it was written to .*token\.rescued-[0-9a-f]{6}\.json \(mode 0600\)/);
    expect(seen.emitted).toHaveLength(1);
    const [rescued] = readdirSync(ws.dir);
    expect(rescued).toMatch(/^token\.rescued-[0-9a-f]{6}\.json$/);
    expect(statSync(join(ws.dir, rescued!)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(ws.dir, rescued!), 'utf8')).refresh_token).toBe(token.refreshToken);
    expect(seen.said.join('\n')).not.toContain(token.refreshToken);
  });

  it('with --if-unwritable ask, a stdout that failed leads to the question, not straight to a file beside', async () => {
    const seen = effects(() => Promise.reject(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })));
    const asked: string[] = [];
    seen.keep.askLine = (question) => {
      asked.push(question);
      return Promise.reject(new Error('the terminal closed'));
    };
    const failed = deliverToken(delivery(undefined, { ifUnwritable: 'ask' }), unwritten(), seen.keep);
    await expect(failed).rejects.toThrow(/not written to stdout; keeping it failed too \(error\.\), so it is lost/);
    expect(asked).toEqual(['Keep the refresh token how?']);
    expect(readdirSync(ws.dir)).toEqual([]);
  });

  it('writes a new file 0600 and says so; an existing one is not overwritten without --force', async () => {
    const out = join(ws.dir, 'token.json');
    const seen = effects(async () => undefined);
    await expect(deliverToken(delivery(out), unwritten(), seen.keep)).resolves.toBe('created');
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(seen.said).toEqual([]);
    const again = deliverToken(delivery(out, { ifUnwritable: 'stdout' }), unwritten(), seen.keep);
    await expect(again).rejects.toThrow(/it was printed on stdout instead/);
    expect(seen.emitted).toHaveLength(1);
  });

  it('tells the person about a lock left beside the output before waiting for it, then writes', async () => {
    const out = join(ws.dir, 'token.json');
    const lock = join(ws.dir, '.token.json.gmail-token.lock');
    // A pid no process has: the lock of a run that crashed, which the write takes over.
    writeFileSync(lock, '2147483646\n');
    const seen = effects(async () => undefined);
    await expect(deliverToken(delivery(out, { force: true }), unwritten(), seen.keep)).resolves.toBe('replaced');
    expect(seen.said).toEqual([`${lock} is there: another gmail-token run may be writing ${out}; waiting up to 5 s for it.`]);
    expect(JSON.parse(readFileSync(out, 'utf8')).refresh_token).toBe(token.refreshToken);
  });
});
