import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CliSignal } from '../../src/cli/io.js';
import { useEmulatorHarness } from '../helpers/harness.js';
import { mintTokenFile } from '../helpers/mint.js';
import { runInProcess } from '../helpers/run-cli.js';

/**
 * Review 1, finding 4: a stop signal while access-token saves the new access token (or revoke
 * removes the revoked one) ended the run mid-write, leaving the .token.json.<hex>.tmp that holds
 * the refresh token and the client secret. The write now finishes and cleans up; then 130.
 */

const seams = vi.hoisted(() => ({ temporaryOpened: undefined as (() => void) | undefined }));

// The moment the temporary file exists: the signal is sent right after it is created.
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof real.open = async (...args) => {
    const handle = await real.open(...args);
    if (String(args[0]).endsWith('.tmp')) seams.temporaryOpened?.();
    return handle;
  };
  return { ...real, default: { ...real, open }, open };
});

const h = useEmulatorHarness();
afterEach(() => {
  seams.temporaryOpened = undefined;
});

const temporaries = () => readdirSync(h.workspace.dir).filter((name) => name.endsWith('.tmp'));

/** Runs `args`, sending `signal` once the temporary file exists; returns the result and what was in the folder then. */
async function signalDuringWrite(args: string[], signal: CliSignal) {
  const run = runInProcess(args, { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort } });
  const during: string[] = [];
  seams.temporaryOpened = () => {
    seams.temporaryOpened = undefined;
    during.push(...temporaries());
    run.child.kill(signal);
  };
  const result = await run.exit;
  const left = temporaries();
  return { ...result, during, left };
}

describe('a stop signal while the token.json is written', () => {
  it.each<CliSignal>(['SIGTERM', 'SIGINT', 'SIGHUP'])('access-token, %s: the write finishes, no temporary file left, nothing printed, 130', async (signal) => {
    const minted = await mintTokenFile(h.emulator, h.workspace.dir);
    const result = await signalDuringWrite(['access-token', '--no-cache'], signal);
    expect(result.during).toHaveLength(1);
    expect(result.left).toEqual([]);
    expect(result.signal).toBeNull();
    expect(result.code).toBe(130);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/Interrupted; the access token was not printed\./);
    const saved = JSON.parse(readFileSync(join(h.workspace.dir, 'token.json'), 'utf8')) as Record<string, string>;
    expect(saved).toEqual({ ...minted, token: expect.any(String), expiry: expect.any(String) });
    expect(saved.token).not.toBe(minted.token);
  });

  it('revoke, SIGTERM while it removes the revoked access token: finished, no temporary file left, 130', async () => {
    const minted = await mintTokenFile(h.emulator, h.workspace.dir);
    const result = await signalDuringWrite(['revoke', '--token-file', 'token.json'], 'SIGTERM');
    expect(result.during).toHaveLength(1);
    expect(result.left).toEqual([]);
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/Removed the revoked access token and its expiry from token\.json/);
    expect(JSON.parse(readFileSync(join(h.workspace.dir, 'token.json'), 'utf8'))).toEqual({ ...minted, token: undefined, expiry: undefined });
  });
});
