import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { redirectUriOf } from '../helpers/browser.js';
import { runCli } from '../helpers/cli.js';
import { useEmulatorHarness } from '../helpers/harness.js';
import { isListening } from '../helpers/workspace.js';

/**
 * Issue 11: the wait for consent always ends. On Node 20, AbortSignal.timeout() inside
 * AbortSignal.any() can be garbage-collected before it fires (nodejs/node#57736), and mint then
 * waited for ever with its loopback port open. Here garbage is collected every 100 ms.
 */

const h = useEmulatorHarness();
const GC_EVERY_100_MS = fileURLToPath(new URL('../helpers/gc-every-100ms.cjs', import.meta.url));

describe('--timeout under forced garbage collection', () => {
  for (const manual of [false, true]) {
    it(`mint${manual ? ' --manual' : ''} --timeout 2 gives up after 2 s, exit 1, its port closed`, async () => {
      const run = runCli(['mint', '--no-open', '--timeout', '2', ...(manual ? ['--manual'] : [])], {
        cwd: h.workspace.dir,
        env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort },
        nodeArgs: ['--expose-gc', '--require', GC_EVERY_100_MS],
        keepStdinOpen: manual,
      });
      await run.waitForStderr(/global\.gc\(\) every 100 ms/);
      const port = Number(redirectUriOf(await run.consentUrl()).port);
      const result = await run.exit;
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/No consent arrived within 2 seconds; nothing was written/);
      expect(await isListening(port)).toBe(false);
    });
  }
});
