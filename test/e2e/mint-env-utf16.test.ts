import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runCliToEnd } from '../helpers/cli.js';
import { useEmulatorHarness } from '../helpers/harness.js';

/**
 * Issue 19, item 11: `mint -o .env` over a .env that Windows PowerShell 5.1's `>` wrote (UTF-16LE
 * with a BOM) used to append UTF-8 lines to it and report success. Now: named, exit 2, before
 * consent, the file untouched.
 */

const h = useEmulatorHarness();

it('mint -f env -o .env refuses a UTF-16 .env before consent, naming the encoding and the fix', async () => {
  const path = join(h.workspace.dir, '.env');
  const before = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('DEBUG=true\r\n', 'utf16le')]);
  writeFileSync(path, before);
  const result = await runCliToEnd(['mint', '--no-open', '-f', 'env', '-o', '.env'], { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort } });
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/error: \.env is UTF-16LE text \(what Windows PowerShell 5\.1's > writes\).*Save it as UTF-8, or let gmail-token write it with -o \.env\./);
  expect(result.stderr).not.toMatch(/o\/oauth2/);
  expect(h.emulator.received).toEqual([]);
  expect(readFileSync(path).equals(before)).toBe(true);
});
