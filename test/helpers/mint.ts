import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCredentials } from '../../src/core/credentials.js';
import { resolveEndpoints } from '../../src/core/endpoints.js';
import { tokenJson, type MintedToken } from '../../src/core/output.js';
import type { Emulator } from '../../src/emulator/index.js';
import { mintToken, type MintEffects, type MintRequest } from '../../src/oauth/mint.js';
import { followConsent } from './browser.js';
import type { Harness } from './harness.js';
import { runInProcess } from './run-cli.js';

/** Mints a token.json in `dir` through the real CLI (in this process) and the emulator; returns its contents. */
export async function mintTokenFile(emulator: Emulator, dir: string, args: string[] = []): Promise<Record<string, string>> {
  const run = runInProcess(['mint', '--no-open', '--force', ...args], { cwd: dir, env: { GMAIL_TOKEN_EMULATOR_HOST: emulator.hostPort } });
  await followConsent(await run.consentUrl());
  const result = await run.exit;
  if (result.code !== 0) throw new Error(`mint failed: ${result.stderr}`);
  return JSON.parse(readFileSync(join(dir, 'token.json'), 'utf8')) as Record<string, string>;
}

/** A mint of gmail.send by the emulator's Desktop client, for running the flow in-process (mintToken). */
export function mintRequestFor(emulator: Emulator, overrides: Partial<MintRequest> = {}): MintRequest {
  return {
    client: parseCredentials(JSON.stringify(emulator.credentialsFile()), 'credentials.json'),
    clientSource: 'credentials.json',
    scopes: ['https://www.googleapis.com/auth/gmail.send'],
    endpoints: resolveEndpoints({ emulatorHost: emulator.hostPort }),
    port: 0,
    timeoutSeconds: 30,
    openBrowser: true,
    manual: false,
    ...overrides,
  };
}

/** Effects for an in-process mint: the "browser" follows consent at once, lines told are kept. */
export function mintEffects(overrides: Partial<MintEffects> = {}): MintEffects & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    openUrl: async (url) => void followConsent(url),
    tell: (line) => lines.push(line),
    readPasted: () => Promise.reject(new Error('not in manual mode')),
    signal: new AbortController().signal,
    now: () => new Date('2026-11-27T12:00:00Z'),
    ...overrides,
  };
}

/** A token minted in this process from the emulator (gmail.send by its Desktop client unless overridden). */
export function mintInProcess(emulator: Emulator, overrides: Partial<MintRequest> = {}): Promise<MintedToken> {
  return mintToken(mintRequestFor(emulator, overrides), mintEffects());
}

/**
 * A token minted in this process and written, as mint writes it (0600), to token.json in the
 * test's folder; the emulator's record of the mint is cleared so a test sees only its own requests.
 */
export async function writeMintedToken(h: Harness): Promise<{ minted: MintedToken; path: string; written: string }> {
  const minted = await mintInProcess(h.emulator);
  const path = join(h.workspace.dir, 'token.json');
  const written = tokenJson(minted);
  writeFileSync(path, written, { mode: 0o600 });
  h.emulator.received.length = 0;
  return { minted, path, written };
}
