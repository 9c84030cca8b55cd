import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Emulator } from '../../src/emulator/index.js';
import { followConsent } from './browser.js';
import { runCli } from './cli.js';

/** Mints a token.json in `dir` through the real CLI and the emulator; returns its contents. */
export async function mintTokenFile(emulator: Emulator, dir: string, args: string[] = []): Promise<Record<string, string>> {
  const run = runCli(['mint', '--no-open', '--force', ...args], { cwd: dir, env: { GMAIL_TOKEN_EMULATOR_HOST: emulator.hostPort } });
  await followConsent(await run.consentUrl());
  const result = await run.exit;
  if (result.code !== 0) throw new Error(`mint failed: ${result.stderr}`);
  return JSON.parse(readFileSync(join(dir, 'token.json'), 'utf8')) as Record<string, string>;
}
