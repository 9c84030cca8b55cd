import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, Socket, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveEndpoints } from '../../src/core/endpoints.js';
import { FlowError, InterruptedError, UsageError } from '../../src/core/errors.js';
import { fileExists, planOutput, readTextFile, writeFileAtomic } from '../../src/oauth/files.js';
import { startLoopbackServer } from '../../src/oauth/loopback.js';
import { mintToken, type MintRequest } from '../../src/oauth/mint.js';
import { redirectUriOf } from '../helpers/browser.js';
import { useEmulatorHarness } from '../helpers/harness.js';
import { until } from '../helpers/async.js';
import { mintEffects, mintRequestFor } from '../helpers/mint.js';
import { freePort } from '../helpers/workspace.js';

/** More of src/oauth that the first mutation run showed no in-process test noticed. */
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

describe('output paths', () => {
  it('a parent that is a file is not a folder; a path through a file is not writable; /proc refuses the probe', async () => {
    const dir = h.workspace.dir;
    writeFileSync(join(dir, 'file'), 'x');
    await expect(planOutput(join(dir, 'file', 'token.json'), { force: true, update: false })).rejects.toThrow(`Cannot write ${join(dir, 'file', 'token.json')}: ${join(dir, 'file')} is not a folder.`);
    await expect(planOutput(join(dir, 'file', 'sub', 'token.json'), { force: true, update: false })).rejects.toThrow(
      new RegExp(`^Cannot write .*: the folder .*file/sub is not writable \\(ENOTDIR\\)\\. Choose another --out\\.$`),
    );
    const proc = planOutput('/proc/gmail-token-mutants.json', { force: true, update: false });
    await expect(proc).rejects.toBeInstanceOf(UsageError);
    await expect(proc).rejects.toThrow(/^Cannot write \/proc\/gmail-token-mutants\.json: the folder \/proc is not writable \(E[A-Z]+(: [a-z ]+)?\)\. Choose another --out\.$/);
  });

  it('a FIFO at the path is not a regular file', async () => {
    const fifo = join(h.workspace.dir, 'token.json');
    execFileSync('mkfifo', [fifo]);
    await expect(planOutput(fifo, { force: true, update: false })).rejects.toThrow(`${fifo} is not a regular file. Choose another --out.`);
  });

  it('a folder gone before the write is named as such', async () => {
    const path = join(h.workspace.dir, 'gone', 'token.json');
    await expect(writeFileAtomic(path, 'x')).rejects.toThrow(`Could not write ${path} (ENOENT: the folder is gone); nothing was changed. Choose another --out, then run again.`);
  });

  it('reads text files with a message for a missing file (with its hint) or a folder', async () => {
    const dir = h.workspace.dir;
    writeFileSync(join(dir, 'a.json'), 'text');
    mkdirSync(join(dir, 'folder'));
    expect(await readTextFile(join(dir, 'a.json'), 'Token file')).toBe('text');
    await expect(readTextFile(join(dir, 'none.json'), 'Token file', 'Run mint.')).rejects.toThrow(`Token file ${join(dir, 'none.json')} does not exist. Run mint.`);
    await expect(readTextFile(join(dir, 'none.json'), 'Token file')).rejects.toThrow(new RegExp(`^Token file .*none\\.json does not exist\\.$`));
    await expect(readTextFile(join(dir, 'folder'), 'Token file')).rejects.toThrow(`Token file ${join(dir, 'folder')} is a folder, not a file.`);
    await expect(readTextFile(join(dir, 'none.json'), 'Token file')).rejects.toBeInstanceOf(UsageError);
    expect(await fileExists(join(dir, 'a.json'))).toBe(true);
    expect(await fileExists(join(dir, 'none.json'))).toBe(false);
  });
});

describe('the loopback server', () => {
  function raw(port: number, bytes: string): Promise<string> {
    return new Promise((resolve) => {
      const socket = new Socket();
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString('latin1')));
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(text));
      socket.connect(port, '127.0.0.1', () => socket.end(bytes));
    });
  }

  it('answers a request without Host 421, drops a malformed one without a word, and shows the success page for a code with no scope list', async () => {
    const loopback = await startLoopbackServer({ hostname: '127.0.0.1', port: 0, path: '/cb', state: 's', scopes: [SEND] });
    const port = Number(new URL(loopback.redirectUri).port);
    try {
      expect(await raw(port, 'GET /cb?state=s&code=c HTTP/1.0\r\n\r\n')).toMatch(/^HTTP\/1\.1 421 /);
      expect(await raw(port, 'NOT HTTP AT ALL\r\n\r\n')).toBe('');
      const answer = await fetch(`http://127.0.0.1:${port}/cb?state=s&code=c`);
      expect(await answer.text()).toContain('<h1>You can close this tab</h1>');
    } finally {
      await loopback.close();
    }
  });
});
