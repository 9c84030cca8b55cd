import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { interactive, promptsFor } from '../../src/cli/prompts.js';
import { fakeIo } from '../helpers/fake-io.js';
import type { Consent } from '../../src/oauth/loopback.js';
import type { PasteJudge } from '../../src/oauth/mint.js';

/** The questions the commands ask, in process: what the person sees and what their answer becomes. */

function cliIo(tty: boolean) {
  const { io, stdin, said } = fakeIo({ isTTY: { stdin: tty, stdout: tty, stderr: tty } });
  return { io, stdin, shown: said };
}

async function drawn(run: ReturnType<typeof cliIo>, question: RegExp): Promise<void> {
  while (!question.test(run.shown())) await new Promise((resolve) => setImmediate(resolve));
}

const CONSENT = { kind: 'code', code: '4/good' } as Consent;
const judge: PasteJudge = (text) => (text.trim() === 'good' ? { consent: CONSENT } : { problem: `not a redirect URL: ${text}` });

describe('who is asked', () => {
  it('only a person at a terminal on both stdin and stderr', () => {
    const on = (stdin: boolean, stderr: boolean) => interactive({ ...cliIo(false).io, isTTY: { stdin, stdout: false, stderr } });
    expect(on(true, true)).toBe(true);
    expect(on(true, false)).toBe(false);
    expect(on(false, true)).toBe(false);
  });
});

describe('the credentials question', () => {
  it('explains, then takes the typed path without surrounding spaces', async () => {
    const run = cliIo(true);
    const path = promptsFor(run.io).askForCredentials('No credentials.json here.');
    await drawn(run, /Path to the downloaded client JSON \(empty to stop\):/);
    expect(run.shown()).toMatch(/^No credentials\.json here\.\nThe file is the OAuth client: enable the Gmail API, set up the OAuth consent screen \(add yourself as a test user\), then create the client\.\n/);
    run.stdin.write('  ./client.json  \r');
    expect(await path).toBe('./client.json');
  });

  for (const [how, keys] of [['an empty answer', '   \r'], ['Ctrl-D', '\u0004']] as const) {
    it(`${how} stops: no path`, async () => {
      const run = cliIo(true);
      const path = promptsFor(run.io).askForCredentials('No credentials.json here.');
      await drawn(run, /empty to stop/);
      run.stdin.write(keys);
      expect(await path).toBeUndefined();
    });
  }
});

describe('the overwrite question', () => {
  it('names the file, and is a no unless typed', async () => {
    const run = cliIo(true);
    const answer = promptsFor(run.io).confirmOverwrite('out/token.json');
    await drawn(run, /out\/token\.json already exists\. Overwrite it\?/);
    run.stdin.write('y\r');
    expect(await answer).toBe(true);
  });
});

describe('a line question from the commands', () => {
  it('shows the question on stderr and gives the typed line', async () => {
    const run = cliIo(true);
    const answer = promptsFor(run.io).askLine('Keep the refresh token how?');
    await drawn(run, /Keep the refresh token how\?/);
    run.stdin.write('revoke\r');
    expect(await answer).toBe('revoke');
  });
});

describe('the pasted redirect URL on a terminal', () => {
  it("shows the judge's problem with a bad paste and asks again", async () => {
    const run = cliIo(true);
    const consent = promptsFor(run.io).readPasted(judge, new AbortController().signal);
    await drawn(run, /Paste the URL \(or code\):/);
    run.stdin.write('bad\r');
    await drawn(run, /not a redirect URL: bad/);
    run.stdin.write('\u0015good\r');
    expect(await consent).toBe(CONSENT);
  });

  it('end of input is the usage error naming stdin', async () => {
    const run = cliIo(true);
    const consent = promptsFor(run.io).readPasted(judge, new AbortController().signal);
    await drawn(run, /Paste the URL/);
    run.stdin.write('\u0004');
    const error = await consent.catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe('stdin ended before the redirected URL or code was given. Pipe it in, or run on a terminal.');
  });
});

describe('the pasted redirect URL off a terminal', () => {
  it('reads one line, asking nothing', async () => {
    const run = cliIo(false);
    run.stdin.end('good\n');
    expect(await promptsFor(run.io).readPasted(judge, new AbortController().signal)).toBe(CONSENT);
    expect(run.shown()).toBe('');
  });

  it("a bad line is a usage error with the judge's problem, judged once", async () => {
    const run = cliIo(false);
    run.stdin.end('bad\ngood\n');
    await expect(promptsFor(run.io).readPasted(judge, new AbortController().signal)).rejects.toThrow(new UsageError('not a redirect URL: bad'));
  });

  it('stdin ending first is the usage error naming stdin', async () => {
    const run = cliIo(false);
    run.stdin.end();
    await expect(promptsFor(run.io).readPasted(judge, new AbortController().signal)).rejects.toThrow(/^stdin ended before the redirected URL or code was given/);
  });

  it('a stop signal ends the wait with its reason', async () => {
    const run = cliIo(false);
    const controller = new AbortController();
    const consent = promptsFor(run.io).readPasted(judge, controller.signal);
    controller.abort(new Error('stopped'));
    await expect(consent).rejects.toThrow('stopped');
  });
});
