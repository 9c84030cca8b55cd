import { describe, expect, it } from 'vitest';
import { runInProcessToEnd } from '../helpers/run-cli.js';

/** Looks like a 127.x address, but a resolver would look it up as a name and go wherever that leads. */
const NOT_AN_ADDRESS = ['127.0.0.256', '127.0.0.09'];

describe('emulator --host: loopback is judged by address, not by look', () => {
  it.each(NOT_AN_ADDRESS)('emulator --host %s is refused with exit 2', async (host) => {
    const result = await runInProcessToEnd(['emulator', '--host', host]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/is not a loopback address/);
  });

});
