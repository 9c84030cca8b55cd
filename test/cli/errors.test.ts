import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ExitCode, UsageError } from '../../src/core/errors.js';
import { exitCodeFor, ExitRequest } from '../../src/cli/errors.js';
import { processIo, type CliIo } from '../../src/cli/io.js';

/** exitCodeFor with its own stderr and environment; what it wrote there comes back as text. */
async function shown(error: unknown, env: NodeJS.ProcessEnv = {}): Promise<{ code: ExitCode; stderr: string }> {
  const stderr = new PassThrough();
  let text = '';
  stderr.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  const io: CliIo = { ...processIo(), stderr, env, isTTY: { stdin: false, stdout: false, stderr: false } };
  const code = await exitCodeFor(error, io);
  await new Promise((resolve) => setImmediate(resolve));
  return { code, stderr: text };
}

describe('how an error ends a run', () => {
  it('our own error: its message on one line, its exit code', async () => {
    expect(await shown(new UsageError('--port must be a whole number.'))).toEqual({ code: 2, stderr: 'error: --port must be a whole number.\n' });
  });

  it('a command that ends on purpose: its code, nothing shown', async () => {
    expect(await shown(new ExitRequest(ExitCode.interrupted))).toEqual({ code: 130, stderr: '' });
  });

  it('a bug: exit 1, its name but not its message (it could quote a request), and how to see more', async () => {
    const bug = new TypeError('Bearer ya29.secret');
    const { code, stderr } = await shown(bug);
    expect(code).toBe(1);
    expect(stderr).toBe('error: Unexpected TypeError. Run again with DEBUG=gmail-token to see details, and report it if it persists.\n');
    expect((await shown('a thrown string')).stderr).toMatch(/^error: Unexpected string\./);
  });

  it('a bug with DEBUG naming gmail-token among others: the stack first; other DEBUG values show none', async () => {
    const bug = new TypeError('broken');
    const debugged = await shown(bug, { DEBUG: 'express, gmail-token' });
    expect(debugged.stderr.startsWith(`${bug.stack}\nerror: Unexpected TypeError.`)).toBe(true);
    for (const DEBUG of ['gmail-tokens', 'express', '']) expect((await shown(bug, { DEBUG })).stderr).toMatch(/^error: Unexpected TypeError\./);
  });
});
