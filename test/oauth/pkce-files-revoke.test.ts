import { createHash } from 'node:crypto';
import { linkSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveEndpoints } from '../../src/core/endpoints.js';
import { FlowError, UsageError } from '../../src/core/errors.js';
import { planOutput, writeFileAtomic } from '../../src/oauth/files.js';
import { describeFailure, googleFailure } from '../../src/oauth/google.js';
import { mintToken } from '../../src/oauth/mint.js';
import { createPkce, createState } from '../../src/oauth/pkce.js';
import { revokeToken } from '../../src/oauth/revoke.js';
import { snapshot } from '../../src/oauth/snapshot.js';
import { followConsent } from '../helpers/browser.js';
import { useEmulatorHarness } from '../helpers/harness.js';
import { mintRequestFor } from '../helpers/mint.js';

/**
 * The security-relevant parts of src/oauth, in this process, so that `npm run mutation` sees a
 * changed line make a test fail (the CLI tests run dist/, never the mutant).
 */
const h = useEmulatorHarness();

const SEND = 'https://www.googleapis.com/auth/gmail.send';
const READONLY = 'https://www.googleapis.com/auth/gmail.readonly';


function mint(scopes = [SEND]) {
  return mintToken(mintRequestFor(h.emulator, { scopes }), {
    openUrl: async (url) => void followConsent(url),
    tell: () => undefined,
    readPasted: () => Promise.reject(new Error('not in manual mode')),
    signal: new AbortController().signal,
    now: () => new Date(),
  });
}

const BASE64URL_256_BITS = /^[A-Za-z0-9_-]{43}$/;

describe('state and PKCE', () => {
  it('a state is 256 random bits, new each time', () => {
    const [a, b] = [createState(), createState()];
    expect(a).toMatch(BASE64URL_256_BITS);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(a).not.toBe(b);
  });

  it('a verifier is 256 random bits, new each time, and the challenge is its S256', () => {
    const [a, b] = [createPkce(), createPkce()];
    expect(a.verifier).toMatch(BASE64URL_256_BITS);
    expect(a.verifier).not.toBe(b.verifier);
    expect(a.challenge).toBe(createHash('sha256').update(a.verifier).digest('base64url'));
    expect(b.challenge).toBe(createHash('sha256').update(b.verifier).digest('base64url'));
  });
});

describe('the granted-scope check', () => {
  it('refuses a grant missing a requested scope, naming it, and returns nothing', async () => {
    h.emulator.behaviour.grantScopes = (requested) => requested.filter((scope) => scope !== READONLY);
    const failure = mint([SEND, READONLY]);
    await expect(failure).rejects.toBeInstanceOf(FlowError);
    await expect(failure).rejects.toThrow(`Consent did not grant ${READONLY} (a box was left unticked); nothing was written.`);
  });

  it('accepts a grant of every requested scope', async () => {
    const token = await mint([SEND, READONLY]);
    expect(token.scopes).toEqual([SEND, READONLY]);
    expect(token.refreshToken).toMatch(/\S/);
  });
});

describe('output files', () => {
  let dir: string;
  beforeEach(() => {
    dir = h.workspace.dir;
  });

  const noTemporaries = () => expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);

  it('plans create, update, overwrite only with --force or a yes, and keeps an existing file otherwise', async () => {
    const path = join(dir, 'token.json');
    expect(await planOutput(path, { force: false, update: false })).toBe('create');
    writeFileSync(path, 'precious');
    expect(await planOutput(path, { force: false, update: true })).toBe('update');
    expect(await planOutput(path, { force: true, update: false })).toBe('overwrite');
    expect(await planOutput(path, { force: false, update: false, confirmOverwrite: async () => true })).toBe('overwrite');
    const kept = planOutput(path, { force: false, update: false, confirmOverwrite: async () => false });
    await expect(kept).rejects.toBeInstanceOf(UsageError);
    await expect(kept).rejects.toThrow(`${path} already exists and was kept. Pass --force to overwrite it, or choose another --out.`);
    await expect(planOutput(path, { force: false, update: false })).rejects.toThrow(/already exists and was kept/);
    expect(readFileSync(path, 'utf8')).toBe('precious');
    noTemporaries();
  });

  it('refuses a symbolic link, even with --force or as a .env update, and a folder', async () => {
    writeFileSync(join(dir, 'target'), 'elsewhere');
    const link = join(dir, 'token.json');
    symlinkSync(join(dir, 'target'), link);
    for (const options of [{ force: true, update: false }, { force: false, update: true }]) {
      const refused = planOutput(link, options);
      await expect(refused).rejects.toBeInstanceOf(UsageError);
      await expect(refused).rejects.toThrow(`${link} is a symbolic link; gmail-token does not write through links.`);
    }
    mkdirSync(join(dir, 'folder'));
    await expect(planOutput(join(dir, 'folder'), { force: true, update: false })).rejects.toThrow(/is a folder\. Give a file name with --out\./);
    await expect(planOutput(join(dir, 'no', 'token.json'), { force: true, update: false })).rejects.toThrow(/the folder .* does not exist/);
    expect(readFileSync(join(dir, 'target'), 'utf8')).toBe('elsewhere');
  });

  it('writes a new file 0600', async () => {
    const path = join(dir, 'token.json');
    await writeFileAtomic(path, 'secret');
    expect(readFileSync(path, 'utf8')).toBe('secret');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    noTemporaries();
  });

  it('replaces a file by rename: the old file is never written in place, and the new one is 0600', async () => {
    const path = join(dir, 'token.json');
    writeFileSync(path, 'old', { mode: 0o644 });
    const before = join(dir, 'old-inode');
    linkSync(path, before);
    await writeFileAtomic(path, 'new');
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(readFileSync(before, 'utf8')).toBe('old');
    expect(statSync(path).ino).not.toBe(statSync(before).ino);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    noTemporaries();
  });

  it('when the rename fails, removes its temporary file, changes nothing and says so', async () => {
    const path = join(dir, 'token.json');
    mkdirSync(path);
    writeFileSync(join(path, 'inside'), 'kept');
    const failure = writeFileAtomic(path, 'secret-value');
    await expect(failure).rejects.toBeInstanceOf(FlowError);
    await expect(failure).rejects.toThrow(new RegExp(`^Could not write ${path} \\(E[A-Z]+\\); nothing was changed\\. Choose another --out, then run again\\.$`));
    await expect(failure).rejects.not.toThrow(/secret-value/);
    expect(readFileSync(join(path, 'inside'), 'utf8')).toBe('kept');
    noTemporaries();
  });

  it('reads a .env to update without following a symbolic link planted there', async () => {
    writeFileSync(join(dir, 'other'), 'OTHER_SECRET=1\n');
    symlinkSync(join(dir, 'other'), join(dir, '.env'));
    const refused = snapshot(join(dir, '.env'));
    await expect(refused).rejects.toBeInstanceOf(FlowError);
    await expect(refused).rejects.toThrow(/\(ELOOP: it is now a symbolic link\); nothing was changed\./);
    writeFileSync(join(dir, 'real.env'), 'A=1\n');
    expect((await snapshot(join(dir, 'real.env')))?.bytes.toString('utf8')).toBe('A=1\n');
  });
});

describe('revoke', () => {
  it('revokes a live refresh token; a second time it is already invalid, not a failure', async () => {
    const token = await mint();
    const endpoints = resolveEndpoints({ emulatorHost: h.emulator.hostPort });
    expect(await revokeToken({ source: 'test', refreshToken: token.refreshToken, accessToken: token.accessToken }, endpoints)).toEqual({ kind: 'revoked', which: 'refresh token' });
    expect(await revokeToken({ source: 'test', refreshToken: token.refreshToken }, endpoints)).toEqual({ kind: 'already-invalid', which: 'refresh token' });
    expect(await revokeToken({ source: 'test', accessToken: 'not-a-token' }, endpoints)).toEqual({ kind: 'already-invalid', which: 'access token' });
  });

  describe('any other answer is a failure', () => {
    let google: Server;
    let answer: { status: number; body: object };
    beforeEach(async () => {
      google = createServer((_req, res) => res.writeHead(answer.status, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer.body)));
      await new Promise<void>((resolve) => google.listen(0, '127.0.0.1', resolve));
    });
    afterEach(() => new Promise<void>((resolve) => google.close(() => resolve())));

    it.each([
      [400, { error: 'invalid_request', error_description: 'Bad Request' }, /Revoking the token failed: Google answered invalid_request \(Bad Request\)\./],
      [401, { error: 'invalid_token' }, /Revoking the token failed: Google answered invalid_token\./],
      [503, { error: 'invalid_token' }, /Google had a server error \(HTTP 503, invalid_token\)/],
    ])('HTTP %i %j', async (status, body, message) => {
      answer = { status, body };
      const endpoints = resolveEndpoints({ emulatorHost: `127.0.0.1:${(google.address() as AddressInfo).port}` });
      const failure = revokeToken({ source: 'test', refreshToken: '1//refresh-secret' }, endpoints, { timeoutMs: 5_000 });
      await expect(failure).rejects.toBeInstanceOf(FlowError);
      await expect(failure).rejects.toThrow(message);
      await expect(failure).rejects.not.toThrow(/refresh-secret/);
    });
  });
});

describe("Google's errors, as data", () => {
  it('keeps status, error and description, with control characters blanked and length bounded', () => {
    const failure = googleFailure({ response: { status: 400, data: { error: 'invalid_grant\u001b[31m', error_description: `Bad\r\nRequest ${'x'.repeat(300)}` } } });
    expect(failure.status).toBe(400);
    expect(failure.error).toBe('invalid_grant [31m');
    expect(failure.description).toBe(`Bad Request ${'x'.repeat(188)}`);
    expect(failure.network).toBeUndefined();
  });

  it("reads Google API's nested error shape", () => {
    expect(googleFailure({ response: { status: 403, data: { error: { status: 'PERMISSION_DENIED', message: 'no' } } } })).toEqual({
      status: 403,
      error: 'PERMISSION_DENIED',
      description: 'no',
      network: undefined,
    });
  });

  it("never carries the library's own message, which can quote the request", () => {
    const failure = googleFailure(Object.assign(new Error('request to https://x/token?refresh_token=1//secret failed'), { cause: { code: 'ECONNRESET' } }));
    expect(failure).toEqual({ status: undefined, error: undefined, description: undefined, network: 'ECONNRESET' });
    expect(describeFailure(failure, 'Refreshing').message).toBe('Refreshing failed: could not reach Google (ECONNRESET). Check your network or proxy and try again.');
  });
});
