import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveEndpoints } from '../../src/core/endpoints.js';
import { FlowError } from '../../src/core/errors.js';
import { parseTokenFile } from '../../src/core/stored-token.js';
import { checkToken } from '../../src/oauth/check.js';
import { exchangeCode } from '../../src/oauth/exchange.js';
import { accessTokenFor } from '../../src/oauth/token-cache.js';
import { makeWorkspace } from '../helpers/workspace.js';

/**
 * Issue 19, items 5 and 9, and the review's finding on expires_in past a Date's range: what a token
 * endpoint answers is checked before it is printed or stored. Google's access tokens are RFC 6750 b64tokens and its expires_in a number; a tampered
 * token_uri or a proxy may send "ya29.ok\r\nX-Injected: 1", which `$(gmail-token access-token)`
 * would put into a request as a header of its own.
 */

let server: Server;
let origin = '';
let answer: Record<string, unknown> = {};
let workspace: ReturnType<typeof makeWorkspace>;

beforeEach(async () => {
  workspace = makeWorkspace();
  server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(answer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterEach(async () => {
  workspace.cleanup();
  await new Promise((resolve) => server.close(resolve));
});

const secrets = { clientId: 'client.apps.googleusercontent.com', clientSecret: 'GOCSPX-secret' };
const OLD = 'ya29.the-stored-one';

function tokenFile(): string {
  const text = `${JSON.stringify({ type: 'authorized_user', ...{ client_id: secrets.clientId, client_secret: secrets.clientSecret }, refresh_token: '1//r', token_uri: `${origin}/token`, token: OLD, expiry: '2020-01-01T00:00:00Z' }, null, 2)}\n`;
  return workspace.file('token.json', text);
}

function request(path: string) {
  const stored = { ...parseTokenFile(readFileSync(path, 'utf8'), 'token.json'), file: path };
  const endpoints = resolveEndpoints({ tokenUri: stored.tokenUri });
  return { stored, secrets, endpoints, noCache: false, now: () => new Date(), warn: () => undefined };
}

const INJECTED = 'ya29.ok\r\nX-Injected: 1';

describe('an access token of the wrong shape from the token endpoint', () => {
  for (const token of [INJECTED, 'ya29.a b', 'ya29.ok"', 'ya29.é']) {
    it(`access-token refuses ${JSON.stringify(token)}: exit 1, nothing written back`, async () => {
      answer = { access_token: token, expires_in: 3599, token_type: 'Bearer' };
      const path = tokenFile();
      const before = readFileSync(path, 'utf8');
      const failed = accessTokenFor(request(path));
      await expect(failed).rejects.toBeInstanceOf(FlowError);
      await expect(failed).rejects.toThrow(/sent an access token with characters no bearer token has \(RFC 6750\), so it was neither printed nor saved/);
      expect(readFileSync(path, 'utf8')).toBe(before);
    });
  }

  it('check refuses it too, saying why', async () => {
    answer = { access_token: INJECTED, expires_in: 3599 };
    await expect(checkToken({ ...request(tokenFile()), now: () => new Date() })).rejects.toThrow(/no bearer token has \(RFC 6750\)/);
  });

  it("mint's code exchange refuses it, so token.json never holds it", async () => {
    answer = { access_token: INJECTED, refresh_token: '1//r', expires_in: 3599, scope: 'https://www.googleapis.com/auth/gmail.send' };
    const endpoints = resolveEndpoints({ tokenUri: `${origin}/token` });
    const exchange = exchangeCode(secrets, endpoints, { code: 'c', codeVerifier: 'v'.repeat(43), redirectUri: 'http://127.0.0.1:1/', now: () => new Date() });
    await expect(exchange).rejects.toThrow(/no bearer token has \(RFC 6750\), so nothing was written/);
  });

  it('a well-formed one is still printed and saved', async () => {
    answer = { access_token: 'ya29.A0-good_one~+/=', expires_in: 3599 };
    const path = tokenFile();
    expect(await accessTokenFor(request(path))).toBe('ya29.A0-good_one~+/=');
    expect(JSON.parse(readFileSync(path, 'utf8')).token).toBe('ya29.A0-good_one~+/=');
  });
});

describe('a non-numeric expires_in from the token endpoint', () => {
  it('check says so (not "Unexpected RangeError")', async () => {
    answer = { access_token: 'ya29.fine', expires_in: 'soon' };
    await expect(checkToken({ ...request(tokenFile()), now: () => new Date() })).rejects.toThrow(/expires_in is not a number of seconds/);
  });

  it('access-token says so (not blamed on a link), and leaves the file as it was', async () => {
    answer = { access_token: 'ya29.fine', expires_in: 'soon' };
    const path = tokenFile();
    const before = readFileSync(path, 'utf8');
    const warned: string[] = [];
    await expect(accessTokenFor({ ...request(path), warn: (line) => void warned.push(line) })).rejects.toThrow(/expires_in is not a number of seconds/);
    expect(warned).toEqual([]);
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it('a numeric string still counts, as the library reads it', async () => {
    answer = { access_token: 'ya29.fine', expires_in: '3599' };
    expect(await accessTokenFor(request(tokenFile()))).toBe('ya29.fine');
  });
});


/**
 * An expires_in so large that the expiry is past a Date's range (8.64e15 ms) passed as a number,
 * then made an invalid date: access-token printed the token and blamed the file. It is refused like
 * a non-numeric one; the code exchange counts it as an hour, so the refresh token just issued is kept.
 */
const HUGE = 9_000_000_000_000;

describe(`expires_in ${HUGE} from the token endpoint`, () => {
  it('access-token refuses it, saying why: nothing printed, the file as it was, no warning', async () => {
    answer = { access_token: 'ya29.fine', expires_in: HUGE };
    const path = tokenFile();
    const before = readFileSync(path, 'utf8');
    const warned: string[] = [];
    await expect(accessTokenFor({ ...request(path), warn: (line) => void warned.push(line) })).rejects.toThrow(
      /expires_in is not a number of seconds \(or is too large for a date\), so the access token was neither printed nor saved/,
    );
    expect(warned).toEqual([]);
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it('check refuses it too', async () => {
    answer = { access_token: 'ya29.fine', expires_in: HUGE };
    await expect(checkToken(request(tokenFile()))).rejects.toThrow(/too large for a date/);
  });

  it('the code exchange counts it as an hour from the answer, keeping the refresh token', async () => {
    answer = { access_token: 'ya29.fine', refresh_token: '1//new', expires_in: HUGE };
    const now = new Date('2001-02-03T04:05:06Z');
    const grant = await exchangeCode(secrets, resolveEndpoints({ tokenUri: `${origin}/token` }), { code: 'c', codeVerifier: 'v', redirectUri: 'http://127.0.0.1:1/', now: () => now });
    expect(grant.refreshToken).toBe('1//new');
    expect(grant.expiresAt).toEqual(new Date(now.getTime() + 3599_000));
  });
});
