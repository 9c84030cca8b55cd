import { resolve } from 'node:path';
import { parseTimeout } from '../../core/args.js';
import { browserUnavailable } from '../../core/browser.js';
import { DEMO_STEP_NAMES, DEMO_STEPS, type DemoStepId } from '../../core/demo.js';
import type { StepOutcome } from '../../demo/run.js';
import { openInBrowser } from '../browser.js';
import type { CliIo } from '../io.js';
import { renderFor, type Render } from '../render.js';
import { interruptOnSignals } from '../signals.js';

export interface DemoCliOptions {
  autoApprove: boolean;
  keep?: string;
  timeout: string;
}

/** Who chooses Allow: the person in a browser, or the demo itself when no browser can open. */
function approvalFor(options: DemoCliOptions, io: CliIo): { approval: 'browser' | 'self'; line: string } {
  if (options.autoApprove) return { approval: 'self', line: 'With --auto-approve, the demo gives consent itself, as if you chose Allow.' };
  const reason = browserUnavailable(io.platform, io.env);
  if (reason) return { approval: 'self', line: `No browser can be opened here: ${reason}. So the demo gives consent itself, as if you chose Allow.` };
  return { approval: 'browser', line: "Opening the emulator's consent page in your browser: choose Allow there, as you would at Google." };
}

/** Wide enough for every step name and most of what the steps say, so the commands line up. */
const NAME_WIDTH = Math.max(...Object.values(DEMO_STEP_NAMES).map((name) => name.length));
const DID_WIDTH = 58;
/** A full address: the demo is often run by `npx`, far from any clone of the repository. */
const CREDENTIALS_PAGE = 'https://github.com/gmail-token/gmail-token/blob/main/docs/credentials.md';

function showStep({ paint, sayDim, success }: Render, id: DemoStepId, outcome: StepOutcome): void {
  success(`${DEMO_STEP_NAMES[id].padEnd(NAME_WIDTH)}  ${outcome.did.padEnd(DID_WIDTH)}  `, paint.dim(`$ ${DEMO_STEPS[id]}`));
  for (const line of outcome.shown ?? []) sayDim(`  ${' '.repeat(NAME_WIDTH)}  ${line}`);
}

/**
 * SPEC `demo`: every line is for people, so all of it goes to stderr and stdout stays empty,
 * as with every command that has no data to give.
 */
export async function runDemoCommand(options: DemoCliOptions, io: CliIo): Promise<void> {
  const render = renderFor(io);
  const { say, sayDim, success } = render;
  const timeoutSeconds = parseTimeout(options.timeout);
  const keep = options.keep === undefined ? undefined : resolve(io.cwd, options.keep);
  const { approval, line } = approvalFor(options, io);
  const { runDemo } = await import('../../demo/run.js');
  await runDemo(
    { approval, keep, timeoutSeconds },
    {
      started: (origin) => {
        say(`gmail-token demo: the whole job against an emulator of Google at ${origin}; no Google account, nothing leaves this machine.`);
        say(line);
        sayDim('Each step runs what the command on its right runs against Google.');
      },
      done: (id, outcome) => showStep(render, id, outcome),
      openBrowser: (url, failed) => openInBrowser(io, url, { advice: 'the demo gives consent itself instead', run: failed }),
      tell: say,
      signal: interruptOnSignals(io).signal,
      now: () => new Date(),
    },
  );
  success(`Every step behaved as it does against Google. ${keep ? `The emulator's files are in ${keep}.` : 'Nothing was written here.'}`);
  say(`To mint a real token: save your OAuth client from Google Cloud Console as credentials.json (${CREDENTIALS_PAGE}), then run \`gmail-token mint\`.`);
}
