import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveEndpoints } from '../../src/core/endpoints.js';
import { parseTokenFile } from '../../src/core/stored-token.js';
import { checkToken } from '../../src/oauth/check.js';
import { exchangeCode } from '../../src/oauth/exchange.js';
import { accessTokenFor } from '../../src/oauth/token-cache.js';
import { makeWorkspace } from '../helpers/workspace.js';

/**
 * Review 1, finding 8: an expires_in so large that the expiry is past a Date's range (8.64e15 ms)
 * passed as a number, then made an invalid date: access-token printed the token and blamed the
 * file ("could not be written"). It is refused like a non-numeric one; the code exchange counts it
 * as an hour, as it does a non-numeric one, so the refresh token just issued is kept.
 */

const HUGE = 9_000_000_000_000;
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

function request() {
  const text = `${JSON.stringify({ client_id: secrets.clientId, client_secret: secrets.clientSecret, refresh_token: '1//r', token_uri: `${origin}/token`, token: 'ya29.old', expiry: '2020-01-01T00:00:00Z' }, null, 2)}\n`;
  const path = workspace.file('token.json', text);
  const stored = { ...parseTokenFile(text, 'token.json'), file: path };
  return { given: { stored, secrets, endpoints: resolveEndpoints({ tokenUri: stored.tokenUri }), noCache: false, now: () => new Date() }, path, text };
}

describe(`expires_in ${HUGE} from the token endpoint`, () => {
  it('access-token refuses it, saying why: nothing printed, the file as it was, no warning', async () => {
    answer = { access_token: 'ya29.fine', expires_in: HUGE };
    const { given, path, text } = request();
    const warned: string[] = [];
    await expect(accessTokenFor({ ...given, warn: (line) => void warned.push(line) })).rejects.toThrow(
      /expires_in is not a number of seconds \(or is too large for a date\), so the access token was neither printed nor saved/,
    );
    expect(warned).toEqual([]);
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it('check refuses it too', async () => {
    answer = { access_token: 'ya29.fine', expires_in: HUGE };
    await expect(checkToken(request().given)).rejects.toThrow(/too large for a date/);
  });

  it("the code exchange counts it as an hour from the answer, keeping the refresh token", async () => {
    answer = { access_token: 'ya29.fine', refresh_token: '1//new', expires_in: HUGE };
    const now = new Date('2001-02-03T04:05:06Z');
    const grant = await exchangeCode(secrets, resolveEndpoints({ tokenUri: `${origin}/token` }), { code: 'c', codeVerifier: 'v', redirectUri: 'http://127.0.0.1:1/', now: () => now });
    expect(grant.refreshToken).toBe('1//new');
    expect(grant.expiresAt).toEqual(new Date(now.getTime() + 3599_000));
  });
});
