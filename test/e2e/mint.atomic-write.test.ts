import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { followConsent } from '../helpers/browser.js';
import { runCli } from '../helpers/cli.js';
import { useEmulatorHarness } from '../helpers/harness.js';

/**
 * A write that fails half-way, with no mount needed: once the consent URL is out, the running
 * CLI's file-size limit (RLIMIT_FSIZE, set with util-linux prlimit) drops to 64 bytes, so the
 * token's write stops with EFBIG after its first 64 bytes, between the write and the rename.
 */
const h = useEmulatorHarness();

describe('atomic write', () => {
  it('a write cut off half-way leaves the old token.json as it was, and no temporary file', async () => {
    const path = h.workspace.file('token.json', 'the old token.json, kept whole');
    const temporary = mkdtempSync(join(h.workspace.dir, 'tmp-'));
    const run = runCli(['mint', '--no-open', '--force', '-s', 'send,email'], {
      cwd: h.workspace.dir,
      env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort, TMPDIR: temporary },
    });
    const url = await run.consentUrl();
    execFileSync('prlimit', ['--pid', String(run.child.pid), '--fsize=64:64']);
    await followConsent(url);
    const result = await run.exit;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^warning: .*not written to .*token\.json: Could not write .*token\.json \(EFBIG\); nothing was changed\.$/m);
    expect(readFileSync(path, 'utf8')).toBe('the old token.json, kept whole');
    // Every write is cut off, so the rescue cannot keep the token anywhere either: it is revoked.
    expect(result.stderr).toMatch(/^error: .*it was revoked at Google/m);
    expect(h.emulator.received.some((request) => request.path === '/revoke')).toBe(true);
    expect(readdirSync(h.workspace.dir).sort()).toEqual(['credentials.json', basename(temporary), 'token.json']);
    expect(readdirSync(temporary)).toEqual([]);
  });
});
