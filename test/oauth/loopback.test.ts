import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { startLoopbackServer } from '../../src/oauth/loopback.js';
import { isListening } from '../helpers/workspace.js';

function get(port: number, path: string, host = `127.0.0.1:${port}`): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const SEND = 'https://www.googleapis.com/auth/gmail.send';
const READONLY = 'https://www.googleapis.com/auth/gmail.readonly';

async function server(scopes: string[] = [SEND]) {
  const loopback = await startLoopbackServer({ hostname: '127.0.0.1', port: 0, path: '/cb', state: 'the-state', scopes });
  const port = Number(new URL(loopback.redirectUri).port);
  return { loopback, port };
}

describe('loopback server', () => {
  it('listens on 127.0.0.1 only', async () => {
    const { loopback, port } = await server();
    try {
      expect(loopback.redirectUri).toBe(`http://127.0.0.1:${port}/cb`);
      const onAnyAddress = await new Promise<boolean>((resolve) => {
        const req = request({ host: '127.0.0.2', port, path: '/' }, () => resolve(true));
        req.on('error', () => resolve(false));
        req.end();
      });
      expect(onAnyAddress).toBe(false);
    } finally {
      await loopback.close();
    }
  });

  it('refuses a foreign Host header (DNS rebinding) even with the right state', async () => {
    const { loopback, port } = await server();
    try {
      const answer = await get(port, '/cb?code=c&state=the-state', `evil.example:${port}`);
      expect(answer.status).toBe(421);
      expect((await get(port, '/cb?code=c&state=wrong')).status).toBe(400);
      expect((await get(port, '/nope')).status).toBe(404);
    } finally {
      await loopback.close();
    }
  });

  it('serves a strict, uncached success page, delivers the code and closes', async () => {
    const { loopback, port } = await server();
    const consent = loopback.waitForCallback(new AbortController().signal);
    const answer = await get(port, `/cb?code=abc&scope=${encodeURIComponent('https://www.googleapis.com/auth/gmail.send')}&state=the-state`);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.body).toContain('You can close this tab');
    expect(answer.body).toContain('https://www.googleapis.com/auth/gmail.send');
    expect(answer.body).not.toContain('abc');
    expect(await consent).toEqual({ kind: 'code', code: 'abc', scopes: ['https://www.googleapis.com/auth/gmail.send'] });
    await loopback.close();
    expect(await isListening(port)).toBe(false);
  });

  it('says at once when a requested box was left unticked, and still hands the code on', async () => {
    const { loopback, port } = await server([SEND, READONLY]);
    const consent = loopback.waitForCallback(new AbortController().signal);
    const answer = await get(port, `/cb?code=abc&scope=${encodeURIComponent(SEND)}&state=the-state`);
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('No token was made');
    expect(answer.body).toMatch(/Not granted<\/h2>\s*<ul class="scopes"><li>.*gmail\.readonly/);
    expect(answer.body).not.toContain('You can close this tab</h1>');
    expect(await consent).toMatchObject({ kind: 'code', scopes: [SEND] });
    await loopback.close();
  });

  it('rejects waiting with the abort reason', async () => {
    const { loopback } = await server();
    const controller = new AbortController();
    const waiting = loopback.waitForCallback(controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    await loopback.close();
  });
});
