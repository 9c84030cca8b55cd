import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { openInBrowser } from '../../src/cli/browser.js';
import { fakeIo } from '../helpers/fake-io.js';

/**
 * Issue 18, item 3: on Windows the `open` package resolves only after its PowerShell launcher has
 * exited, so an 'exit' listener attached then never hears a failed launch, and nothing was said.
 * The launcher's exit code is read either way.
 */

/** A launcher process that ends with `code`; `settled` waits for its end before `open` resolves, as on Windows. */
interface Launcher {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  open(url: string): Promise<ChildProcess>;
}

function launcher(platform: NodeJS.Platform, code: number, settled: boolean): Launcher {
  return {
    platform,
    env: { DISPLAY: ':0' },
    open: async () => {
      const child: ChildProcess = spawn(process.execPath, ['-e', `process.exit(${code})`], { stdio: 'ignore' });
      if (settled) await once(child, 'exit');
      return child;
    },
  };
}

/** Opens through `launcher`; resolves with what was said once the fallback ran, or after the launcher's exit was handled. */
async function open(through: Launcher): Promise<{ fellBack: number; said: string }> {
  let fellBack = 0;
  let child: ChildProcess | undefined;
  const { io, said } = fakeIo({
    platform: through.platform,
    env: { ...through.env, NO_COLOR: '1' },
    launchBrowser: async (url) => (child = await through.open(url)),
  });
  await openInBrowser(io, 'http://127.0.0.1:1/o/oauth2/v2/auth', { advice: 'do it by hand', run: () => (fellBack += 1) });
  if (child && child.exitCode === null) await once(child, 'exit');
  await new Promise((resolve) => setImmediate(resolve));
  return { fellBack, said: said() };
}

describe("the browser launcher's exit code", () => {
  it('Windows: a launcher that already exited non-zero when open() resolves is reported, and the fallback runs', async () => {
    const { fellBack, said } = await open(launcher('win32', 1, true));
    expect(fellBack).toBe(1);
    expect(said).toMatch(/The browser launcher failed \(exit 1\): do it by hand\./);
  });

  it('elsewhere: a launcher that exits non-zero later is reported too', async () => {
    const { fellBack, said } = await open(launcher('linux', 3, false));
    expect(fellBack).toBe(1);
    expect(said).toMatch(/The browser launcher failed \(exit 3\)/);
  });

  it('a launcher that exits 0, early or late, says nothing', async () => {
    for (const [platform, settled] of [['win32', true], ['darwin', false]] as const) {
      const { fellBack, said } = await open(launcher(platform, 0, settled));
      expect(fellBack).toBe(0);
      expect(said).toBe('');
    }
  });
});
