import { request } from 'node:http';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { FlowError, UsageError } from '../../src/core/errors.js';
import { freeLoopbackPort, listenFailure, startLoopbackServer } from '../../src/oauth/loopback.js';
import { isListening } from '../helpers/workspace.js';

/** The loopback server's Host, method and path checks and its errors, in-process for `npm run mutation`. */

const SEND = 'https://www.googleapis.com/auth/gmail.send';

function send(port: number, path: string, options: { host?: string; method?: string } = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: { host: options.host ?? `127.0.0.1:${port}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function server(hostname: '127.0.0.1' | 'localhost' = '127.0.0.1') {
  const loopback = await startLoopbackServer({ hostname, port: 0, path: '/cb', state: 'the-state', scopes: [SEND] });
  return { loopback, port: Number(new URL(loopback.redirectUri).port) };
}

describe('loopback server checks', () => {
  it('takes its own Host with the port, by address or as localhost, and nothing else', async () => {
    const { loopback, port } = await server('localhost');
    try {
      expect(loopback.redirectUri).toBe(`http://localhost:${port}/cb`);
      for (const host of ['127.0.0.1', 'localhost', `127.0.0.1:${port + 1}`, `localhost.evil.example:${port}`, `[::1]:${port}`, 'evil.example']) {
        const answer = await send(port, '/cb?state=the-state&code=c', { host });
        expect([host, answer.status, answer.body]).toEqual([host, 421, 'Misdirected request\n']);
        expect(answer.headers['cache-control']).toBe('no-store');
        expect(answer.headers.connection).toBe('close');
      }
      const wrongPath = await send(port, '/cb/?state=the-state&code=c', { host: `localhost:${port}` });
      expect([wrongPath.status, wrongPath.body]).toEqual([404, 'Not found\n']);
      const post = await send(port, '/cb?state=the-state&code=c', { method: 'POST' });
      expect([post.status, post.body]).toEqual([404, 'Not found\n']);
      const forged = await send(port, '/cb?state=forged&code=c', { host: `localhost:${port}` });
      expect([forged.status, forged.body]).toEqual([400, 'Bad request: this is not the consent callback this tool is waiting for.\n']);
      const consent = loopback.waitForCallback(new AbortController().signal);
      const answer = await send(port, '/cb?state=the-state&code=c', { host: `localhost:${port}` });
      expect(answer.status).toBe(200);
      expect(answer.headers['content-security-policy']).toMatch(/^default-src 'none'/);
      expect(await consent).toEqual({ kind: 'code', code: 'c', scopes: [] });
    } finally {
      await loopback.close();
    }
  });

  it("refuses a callback whose iss is not the issuer asked, or names two, saying why, and keeps waiting; Google's is taken", async () => {
    const { loopback, port } = await server();
    try {
      const consent = loopback.waitForCallback(new AbortController().signal);
      const refused = 'Bad request: this is not the consent callback this tool is waiting for (its issuer (iss) is not the one consent was asked of).\n';
      const google = encodeURIComponent('https://accounts.google.com');
      for (const iss of [encodeURIComponent('https://evil.example'), `${google}&iss=${google}`, '']) {
        const answer = await send(port, `/cb?state=the-state&code=c&iss=${iss}`);
        expect([iss, answer.status, answer.body]).toEqual([iss, 400, refused]);
      }
      expect((await send(port, `/cb?state=the-state&code=c&iss=${google}`)).status).toBe(200);
      expect(await consent).toEqual({ kind: 'code', code: 'c', scopes: [] });
    } finally {
      await loopback.close();
    }
  });

  it('shows the error page for a consent error, hands the error on, and closes', async () => {
    const { loopback, port } = await server();
    const consent = loopback.waitForCallback(new AbortController().signal);
    const answer = await send(port, '/cb?state=the-state&error=access_denied&error_description=no');
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('<code>access_denied</code>: no</p>');
    expect(await consent).toEqual({ kind: 'error', error: 'access_denied', description: 'no' });
    await loopback.close();
    expect(await isListening(port)).toBe(false);
  });

  it('a signal already aborted rejects at once with its reason', async () => {
    const { loopback } = await server();
    try {
      const controller = new AbortController();
      controller.abort(new Error('already'));
      await expect(loopback.waitForCallback(controller.signal)).rejects.toThrow('already');
    } finally {
      await loopback.close();
    }
  });

  it('a port not allowed is a usage error too; any other failure to listen is named by its code, else its message', () => {
    const failure = (code: string | undefined, message = 'listen failed') => listenFailure(Object.assign(new Error(message), code === undefined ? {} : { code }), 80);
    expect(failure('EACCES')).toBeInstanceOf(UsageError);
    expect(failure('EACCES').message).toBe('Not allowed to listen on port 80. Use a port above 1023, or --port 0.');
    expect(failure('EADDRINUSE')).toBeInstanceOf(UsageError);
    expect(failure('EADDRNOTAVAIL')).not.toBeInstanceOf(UsageError);
    expect(failure('EADDRNOTAVAIL')).toBeInstanceOf(FlowError);
    expect(failure('EADDRNOTAVAIL').message).toBe('Could not start the loopback server: EADDRNOTAVAIL.');
    expect(failure(undefined).message).toBe('Could not start the loopback server: listen failed.');
  });

  it('a busy port is a usage error that suggests --port 0; a free one is handed back free', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const busy = (blocker.address() as { port: number }).port;
    try {
      for (const attempt of [freeLoopbackPort(busy), startLoopbackServer({ hostname: '127.0.0.1', port: busy, path: '/cb', state: 's', scopes: [] })]) {
        await expect(attempt).rejects.toBeInstanceOf(UsageError);
        await expect(attempt).rejects.toThrow(`Port ${busy} on 127.0.0.1 is in use. Free it, or pick another with --port (0 picks a free one).`);
      }
    } finally {
      blocker.close();
    }
    const free = await freeLoopbackPort(0);
    expect(free).toBeGreaterThan(0);
    expect(await isListening(free)).toBe(false);
  });
});
