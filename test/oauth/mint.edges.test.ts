import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveEndpoints } from '../../src/core/endpoints.js';
import { FlowError, InterruptedError } from '../../src/core/errors.js';
import { mintToken, type MintRequest } from '../../src/oauth/mint.js';
import { until } from '../helpers/async.js';
import { redirectUriOf } from '../helpers/browser.js';
import { useEmulatorHarness } from '../helpers/harness.js';
import { mintEffects, mintRequestFor } from '../helpers/mint.js';
import { freePort } from '../helpers/workspace.js';

const h = useEmulatorHarness();

const SEND = 'https://www.googleapis.com/auth/gmail.send';
const READONLY = 'https://www.googleapis.com/auth/gmail.readonly';
const COMPOSE = 'https://www.googleapis.com/auth/gmail.compose';

const effects = mintEffects;

const mint = (request: Partial<MintRequest>, fx = effects()) => mintToken(mintRequestFor(h.emulator, request), fx);

describe('mintToken', () => {
  it('tells the person where to open the URL, and records no expiry when Google sets none', async () => {
    const fx = effects();
    const token = await mint({}, fx);
    expect(fx.lines[0]).toBe('Open this URL in a browser to give consent:');
    expect(fx.lines[1]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/o\/oauth2\/v2\/auth\?/);
    expect(token.refreshTokenExpiry).toBeUndefined();
    expect(token.account).toBe('');
  });

  it('with the email scope, asks Google for the account with the same client', async () => {
    const token = await mint({ scopes: [SEND, 'email'] });
    expect(token.account).toBe('tester@example.com');
  });

  it('names every missing scope', async () => {
    h.emulator.behaviour.grantScopes = () => [SEND];
    await expect(mint({ scopes: [SEND, READONLY, COMPOSE] })).rejects.toThrow(`Consent did not grant ${READONLY}, ${COMPOSE} (a box`);
  });

  it('a Web client listens on its registered port and path, and says when --port is ignored', async () => {
    const port = await freePort();
    const client = { clientId: 'web-m.apps.googleusercontent.com', clientSecret: 'GOCSPX-web-m', type: 'web' as const, redirectUris: [`http://127.0.0.1:${port}/web/cb`] };
    h.emulator.addClient(client);
    const fx = effects();
    const request = { client: { ...client, authUri: undefined, tokenUri: undefined }, port: port === 65535 ? 1 : port + 1 };
    await mint(request, fx);
    expect(fx.lines).toContain(`--port ${request.port} is ignored: the Web client's registered redirect URI fixes port ${port}.`);
    expect(redirectUriOf(fx.lines.find((line) => line.includes('/o/oauth2/')) ?? '').toString()).toBe(`http://127.0.0.1:${port}/web/cb`);
    for (const same of [0, port]) {
      const quiet = effects();
      await mint({ ...request, port: same }, quiet);
      expect(quiet.lines.some((line) => line.includes('is ignored'))).toBe(false);
    }
  });

  it('--manual with a Web client uses its registered URI, and explains the error page to expect', async () => {
    const port = await freePort();
    const client = { clientId: 'web-man.apps.googleusercontent.com', clientSecret: 'GOCSPX-web-man', type: 'web' as const, redirectUris: [`http://127.0.0.1:${port}/m`] };
    h.emulator.addClient(client);
    const fx = effects({
      readPasted: async (judge) => {
        const url = fx.lines.find((line) => line.includes('/o/oauth2/')) ?? '';
        const location = (await fetch(url, { redirect: 'manual' })).headers.get('location') ?? '';
        const judged = judge(location);
        if ('problem' in judged) throw new Error(judged.problem);
        return judged.consent;
      },
    });
    // Manual mode listens nowhere: the registered port may well be busy.
    const blocker = createNetServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      await mint({ client: { ...client }, manual: true }, fx);
    } finally {
      blocker.close();
    }
    expect(fx.lines).toContain(`After you choose Allow, the browser goes to http://127.0.0.1:${port}/m?… and shows an error such as "This site can't be reached": that is expected.`);
    expect(fx.lines).toContain('Copy the whole address from its address bar (or just the code in it) and paste it here.');
  });

  it('an error other than access_denied is named with Google’s words, cut short', async () => {
    const fx = effects({ readPasted: async () => ({ kind: 'error', error: 'admin_policy_enforced', description: 'x'.repeat(300) }) });
    const failure = mint({ manual: true }, fx);
    await expect(failure).rejects.toBeInstanceOf(FlowError);
    await expect(failure).rejects.toThrow(`Google ended consent with admin_policy_enforced (${'x'.repeat(200)}); nothing was written.`);
    const bare = effects({ readPasted: async () => ({ kind: 'error', error: 'e'.repeat(150) }) });
    await expect(mint({ manual: true }, bare)).rejects.toThrow(`Google ended consent with ${'e'.repeat(100)}; nothing was written.`);
  });

  it('Ctrl-C during the code exchange ends the flow at once', async () => {
    h.emulator.behaviour.tokenFault = { kind: 'hang' };
    const controller = new AbortController();
    const failure = mint({}, effects({ signal: controller.signal }));
    await until(() => h.emulator.received.some((request) => request.path === '/token'));
    controller.abort(new InterruptedError());
    await expect(failure).rejects.toBeInstanceOf(InterruptedError);
  });

  describe('a token answer with no refresh token', () => {
    let google: Server;
    afterEach(() => new Promise<void>((resolve) => google.close(() => resolve())));

    it('is refused: nothing to write', async () => {
      google = createServer((_req, res) =>
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ access_token: 'ya29.x', expires_in: 3599, scope: SEND, token_type: 'Bearer' })),
      );
      await new Promise<void>((resolve) => google.listen(0, '127.0.0.1', resolve));
      const endpoints = { ...resolveEndpoints({ emulatorHost: h.emulator.hostPort }), token: `http://127.0.0.1:${(google.address() as AddressInfo).port}/token` };
      const failure = mint({ endpoints });
      await expect(failure).rejects.toBeInstanceOf(FlowError);
      await expect(failure).rejects.toThrow(/^Google returned no refresh token, so nothing was written\. Remove this app at https:\/\/myaccount\.google\.com\/permissions/);
    });
  });
});
