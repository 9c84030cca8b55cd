import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * vitest globalSetup: one temporary folder for every CLI child of the run (childEnvironment gives
 * it as TMPDIR), removed at the end, so a token a run keeps in the temporary folder (mint's last
 * resort when it cannot write its output) never lands in the machine's /tmp.
 */
export default function setup(): () => void {
  const folder = mkdtempSync(join(tmpdir(), 'gmail-token-test-tmp-'));
  process.env.GMAIL_TOKEN_TEST_TMPDIR = folder;
  return () => rmSync(folder, { recursive: true, force: true });
}
