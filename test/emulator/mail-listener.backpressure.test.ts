import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLineServer, type LineServer } from '../../src/emulator/mail-listener.js';

/** Each command is answered with 2 KiB, as a long CAPABILITY or EHLO list might be, many times over. */
const ANSWER = ['250-' + 'x'.repeat(2044), '250 OK'];
const COMMANDS = 20_000;

let listener: LineServer | undefined;
afterEach(() => {
  listener?.destroySockets();
  listener?.server.close();
});

describe('the SMTP/IMAP listener and a client that sends but never reads', () => {
  it('stops reading while its answers cannot be sent, so unsent output stays bounded', async () => {
    let answered = 0;
    listener = createLineServer(() => ({ greeting: ['220 test'], answer: () => (answered++, { lines: ANSWER }) }));
    const serverSide = new Promise<Socket>((resolve) => listener?.server.once('connection', resolve));
    await new Promise<void>((resolve) => listener?.server.listen(0, '127.0.0.1', resolve));
    const client = connect((listener.server.address() as AddressInfo).port, '127.0.0.1');
    client.pause();
    client.write('NOOP\r\n'.repeat(COMMANDS));
    const socket = await serverSide;
    // Either every command was read and answered into memory, or a stable state: nothing more can
    // happen until the client reads.
    await vi.waitFor(() => expect(answered === COMMANDS || (socket.isPaused() && socket.writableNeedDrain)).toBe(true), { timeout: 5000 });
    // The write that filled the buffer past its high-water mark is the last one (Node 20: 16 KiB, 22+: 64 KiB).
    const oneAnswer = ANSWER.join('\r\n').length + 2;
    expect(socket.writableLength).toBeLessThanOrEqual(socket.writableHighWaterMark + oneAnswer);
    expect(answered).toBeLessThan(COMMANDS);
    client.destroy();
  });
});
