import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEEP_LIMITS } from '../../src/emulator/bounds.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

/** A request with the Host header a browser would send after DNS rebinding, or any other. */
function get(path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: emulator.port, path, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the emulator answers only requests addressed to it (DNS rebinding)', () => {
  it.each(['evil.example', `evil.example:${0}`, '127.0.0.1', `127.0.0.1:1`, `localhost.evil.example:PORT`, `127.0.0.1:PORT.evil.example`, '127.0.0.1:PORT@evil.example'])(
    'Host %j gets 421 and is not recorded',
    async (host) => {
      emulator.received.length = 0;
      const answer = await get('/emulator/v1/messages', host.replace('PORT', String(emulator.port)));
      expect(answer.status).toBe(421);
      expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 421 } });
      expect(emulator.received).toEqual([]);
    },
  );

  it.each(['127.0.0.1:PORT', 'localhost:PORT', '[::1]:PORT', 'LOCALHOST:PORT'])('Host %j is answered', async (host) => {
    const answer = await get('/emulator/v1/messages', host.replace('PORT', String(emulator.port)));
    expect(answer.status).toBe(200);
  });
});

describe('the emulator bounds what it keeps and reads', () => {
  it(`keeps at most ${KEEP_LIMITS.received.count} requests, the newest`, async () => {
    emulator.received.length = 0;
    const total = KEEP_LIMITS.received.count + 5;
    for (let i = 0; i < total; i++) await fetch(`${emulator.origin}/tokeninfo?n=${i}`);
    expect(emulator.received).toHaveLength(KEEP_LIMITS.received.count);
    expect(emulator.received.at(-1)?.query.n).toBe(String(total - 1));
  });

  it('keeps at most its byte budget of request bodies, and answers an oversized body with 413', async () => {
    emulator.received.length = 0;
    const body = 'x'.repeat(60 * 1024);
    const posts = Math.ceil(KEEP_LIMITS.received.bytes / body.length) + 10;
    for (let i = 0; i < posts; i++) await fetch(`${emulator.origin}/token`, { method: 'POST', body });
    const kept = emulator.received.reduce((sum, record) => sum + record.body.length, 0);
    expect(kept).toBeLessThanOrEqual(KEEP_LIMITS.received.bytes);
    expect(emulator.received.length).toBeLessThan(posts);
    const tooBig = await fetch(`${emulator.origin}/token`, { method: 'POST', body: 'x'.repeat(65 * 1024) });
    expect(tooBig.status).toBe(413);
  });
});
