import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startLoopbackServer } from '../../src/oauth/loopback.js';

const SEND = 'https://www.googleapis.com/auth/gmail.send';

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
