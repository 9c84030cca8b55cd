import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { followConsent } from '../helpers/browser.js';
import { useEmulatorHarness } from '../helpers/harness.js';
import { runOnTerminal } from '../helpers/pty.js';

/**
 * Review 1, finding 3: a terminal that hangs up at a question. Node 20 restores the terminal's
 * mode at exit and aborted when the terminal was gone (nodejs/node#51519): exit 134 at the
 * overwrite question, a segfault (139) at the rescue question, each dumping core with the token
 * in it. The run must end with its own exit code and no core file.
 */

const h = useEmulatorHarness();
const terminals: ReturnType<typeof runOnTerminal>[] = [];
afterEach(() => {
  for (const terminal of terminals.splice(0)) terminal.kill();
});

const path = (name: string) => join(h.workspace.dir, name);

/** Runs mint on a terminal that recorded the CLI's exit status in `status`. */
function mintOnTerminal() {
  const terminal = runOnTerminal(['mint', '--no-open'], {
    cwd: h.workspace.dir,
    env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort },
    exitStatusTo: path('status'),
  });
  terminals.push(terminal);
  return terminal;
}

/** The children of a process (Linux's /proc names them). */
function childrenOf(pid: number): number[] {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
}

/**
 * Closes the terminal the way a closed window or a dropped SSH session does, and returns the CLI's
 * exit status. `signalled`: the CLI is sent SIGHUP too, as the kernel does to the foreground job
 * of a shell that ends on the hang-up (here the shell stays, to write the status down). The CLI is
 * stopped meanwhile, so that it sees the signal and the hang-up together, as it does then.
 */
async function hangUp(terminal: ReturnType<typeof runOnTerminal>, signalled = false): Promise<number> {
  const [shell = 0] = childrenOf(terminal.pid);
  const [cli = 0] = childrenOf(shell);
  if (signalled) process.kill(cli, 'SIGSTOP');
  // Killing `script` closes the terminal's master side.
  process.kill(terminal.pid, 'SIGKILL');
  await terminal.exit;
  if (signalled) {
    process.kill(cli, 'SIGHUP');
    process.kill(cli, 'SIGCONT');
  }
  // The CLI is no child of this process, so its end cannot be awaited: its status file is watched.
  while (!existsSync(path('status')) || readFileSync(path('status'), 'utf8') === '') await new Promise((resolve) => setTimeout(resolve, 20));
  return Number(readFileSync(path('status'), 'utf8'));
}

describe('the terminal hangs up at a question', () => {
  it('at "Overwrite it?": exit 2, the file kept, no core dump', async () => {
    writeFileSync(path('token.json'), '{}\n');
    const terminal = mintOnTerminal();
    await terminal.waitFor(/Overwrite it\?/);
    expect(await hangUp(terminal)).toBe(2);
    expect(readFileSync(path('token.json'), 'utf8')).toBe('{}\n');
    expect(readdirSync(h.workspace.dir)).not.toContain('core');
  });

  // The shell, not the CLI, leads the terminal's session, so only it is sent SIGHUP: the CLI sees its
  // input end, as after Ctrl-D (with SIGHUP it ends with 130: signals-sighup.test.ts).
  it('at "Keep the refresh token how?": exit 1, the token kept beside the output, no core dump', async () => {
    const terminal = mintOnTerminal();
    const [url = ''] = await terminal.waitFor(/https?:\/\/\S+\/o\/oauth2\/\S+/);
    writeFileSync(path('token.json'), '{}\n');
    await followConsent(url);
    await terminal.waitFor(/Keep the refresh token how\?/);
    expect(await hangUp(terminal)).toBe(1);
    expect(readdirSync(h.workspace.dir).filter((name) => name.includes('.rescued-'))).toHaveLength(1);
    expect(readdirSync(h.workspace.dir)).not.toContain('core');
  });

  it('at "Keep the refresh token how?", with SIGHUP: exit 130, the token kept beside the output, no core dump', async () => {
    const terminal = mintOnTerminal();
    const [url = ''] = await terminal.waitFor(/https?:\/\/\S+\/o\/oauth2\/\S+/);
    writeFileSync(path('token.json'), '{}\n');
    await followConsent(url);
    await terminal.waitFor(/Keep the refresh token how\?/);
    expect(await hangUp(terminal, true)).toBe(130);
    expect(readdirSync(h.workspace.dir).filter((name) => name.includes('.rescued-'))).toHaveLength(1);
    expect(readdirSync(h.workspace.dir)).not.toContain('core');
  });
});
