import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

/** A request written byte for byte, as no HTTP library would send it; resolves to its status code. */
function rawStatus(target: string, hosts: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(emulator.port, '127.0.0.1');
    let answer = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1])));
    socket.on('error', reject);
    const headers = hosts.map((host) => `Host: ${host}\r\n`).join('');
    socket.write(`GET ${target} HTTP/1.1\r\n${headers}Connection: close\r\n\r\n`);
  });
}

describe('the emulator judges the address of a request as RFC 9112 does', () => {
  const own = () => `127.0.0.1:${emulator.port}`;

  it('answers its own Host, the control case', async () => {
    expect(await rawStatus('/emulator/v1/messages', [own()])).toBe(200);
  });

  it('refuses two Host headers with 400, even when the first is its own (§3.2)', async () => {
    emulator.received.length = 0;
    expect(await rawStatus('/emulator/v1/messages', [own(), 'evil.example'])).toBe(400);
    expect(emulator.received).toEqual([]);
  });

  it("refuses an absolute-form target naming another server with 421, whatever Host says (§3.2.2)", async () => {
    emulator.received.length = 0;
    expect(await rawStatus('http://evil.example/emulator/v1/messages', [own()])).toBe(421);
    expect(emulator.received).toEqual([]);
  });

  it('answers an absolute-form target naming itself', async () => {
    expect(await rawStatus(`http://${own()}/emulator/v1/messages`, [own()])).toBe(200);
  });
});
