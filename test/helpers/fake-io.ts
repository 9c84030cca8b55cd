import { PassThrough } from 'node:stream';
import type { CliIo, CliSignal } from '../../src/cli/io.js';

/**
 * A CliIo for calling one piece of src/cli directly (test/helpers/run-cli.ts runs the whole
 * program): no terminal, Linux, no colour, no browser; signals sent by the test, exits recorded,
 * stderr collected. `overrides` replaces any member.
 */
export function fakeIo(overrides: Partial<CliIo> = {}) {
  const listeners = new Map<CliSignal, Set<() => void>>();
  const exits: number[] = [];
  const stdin = new PassThrough();
  const stderr = new PassThrough();
  let said = '';
  stderr.setEncoding('utf8').on('data', (text: string) => (said += text));
  const io: CliIo = {
    platform: 'linux',
    env: { NO_COLOR: '1' },
    cwd: '/',
    stdin,
    stdout: new PassThrough(),
    stderr,
    isTTY: { stdin: false, stdout: false, stderr: false },
    onSignal: (name, listener) => void listeners.set(name, (listeners.get(name) ?? new Set()).add(listener)),
    offSignal: (name, listener) => void listeners.get(name)?.delete(listener),
    exit: (code) => void exits.push(code),
    launchBrowser: () => Promise.reject(new Error('no browser here')),
    ...overrides,
  };
  const send = (name: CliSignal) => {
    for (const listener of [...(listeners.get(name) ?? [])]) listener();
  };
  const handled = () => [...listeners].filter(([, set]) => set.size > 0).map(([name]) => name).sort();
  return { io, stdin, stderr, exits, send, handled, said: () => said };
}
