import { describe, expect, it } from 'vitest';
import { DemoStepFailed, runDemo } from '../../src/demo/run.js';
import { exitCodeFor } from '../../src/cli/errors.js';
import { runInProcessToEnd } from '../helpers/run-cli.js';

/** A bug inside a demo step is reported as that step's failure; DEBUG=gmail-token shows its stack. */
function failingDemo() {
  return runDemo(
    { approval: 'self', timeoutSeconds: 30 },
    {
      started: () => undefined,
      done: () => {
        throw new TypeError('a bug in the step');
      },
      openBrowser: () => Promise.resolve(),
      tell: () => undefined,
      signal: new AbortController().signal,
      now: () => new Date(),
    },
  );
}

function stderrOf(env: NodeJS.ProcessEnv): { io: Parameters<typeof exitCodeFor>[1]; text: () => string } {
  let text = '';
  const io = { env, stderr: { write: (chunk: string) => ((text += chunk), true) }, isTTY: { stdin: false, stdout: false, stderr: false } };
  return { io: io as unknown as Parameters<typeof exitCodeFor>[1], text: () => text };
}

describe('an unexpected error in a demo step', () => {
  it('names the step; its stack only under DEBUG=gmail-token', async () => {
    const error = await failingDemo().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DemoStepFailed);
    expect((error as Error).message).toBe("The demo's mint step did not behave as expected: unexpected TypeError.");
    const plain = stderrOf({ NO_COLOR: '1' });
    expect(await exitCodeFor(error, plain.io)).toBe(1);
    expect(plain.text()).not.toMatch(/a bug in the step|at /);
    const debug = stderrOf({ NO_COLOR: '1', DEBUG: 'gmail-token' });
    expect(await exitCodeFor(error, debug.io)).toBe(1);
    expect(debug.text()).toMatch(/^TypeError: a bug in the step\n\s+at /);
    expect(debug.text()).toContain("The demo's mint step did not behave as expected: unexpected TypeError.");
  });

  it('an expected failure shows no stack even under DEBUG', async () => {
    const result = await runInProcessToEnd(['demo', '--keep', '/dev/null'], { env: { DEBUG: 'gmail-token' } });
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
