import { DEMO_STEP_NAMES, type DemoStepId } from '../core/demo.js';
import { resolveEndpoints } from '../core/endpoints.js';
import { FlowError, GmailTokenError, InterruptedError } from '../core/errors.js';
import { parseTokenFile } from '../core/stored-token.js';
import { tokenJson } from '../core/output.js';
import { startEmulator } from '../emulator/index.js';
import { interruptible } from '../oauth/waiting.js';
import { checkKeepFolder, keepFiles } from './keep.js';
import { accessTokenStep, mintStep, revokedCheckStep, revokeStep, sendStep, type DemoSession, type StepOutcome } from './steps.js';
import { fileProtection } from '../core/file-protection.js';

export type { StepOutcome } from './steps.js';

export interface DemoRequest {
  approval: DemoSession['approval'];
  /** --keep: a new or empty folder for the token.json and .env that mint made. */
  keep?: string;
  timeoutSeconds: number;
}

/** The side effects of the demo, passed in so tests can drive it in-process. */
export interface DemoEffects extends Pick<DemoSession, 'openBrowser' | 'tell' | 'signal' | 'now'> {
  /** The emulator listens at this origin. */
  started(origin: string): void;
  /** A step behaved as Google would. */
  done(step: DemoStepId, outcome: StepOutcome): void;
}

/** Exit 1, naming the step that did not behave as Google would. */
export class DemoStepFailed extends FlowError {
  /** `unexpected`: the bug behind an "unexpected" reason, whose stack DEBUG=gmail-token shows. */
  constructor(step: DemoStepId, reason: string, unexpected?: unknown) {
    super(`The demo's ${DEMO_STEP_NAMES[step]} step did not behave as expected: ${reason}`);
    if (unexpected !== undefined) this.cause = unexpected;
  }
}

type Step = <T extends StepOutcome>(id: DemoStepId, work: () => Promise<T>) => Promise<T>;

function stepper(effects: DemoEffects): Step {
  return async (id, work) => {
    try {
      const outcome = await interruptible(work(), effects.signal);
      effects.done(id, outcome);
      return outcome;
    } catch (error) {
      if (effects.signal.aborted) throw error;
      // Only our own messages are shown: anything else could quote a request, secrets and all.
      if (error instanceof GmailTokenError) throw new DemoStepFailed(id, error.message);
      throw new DemoStepFailed(id, `unexpected ${error instanceof Error ? error.name : typeof error}.`, error);
    }
  };
}

async function runSteps(session: DemoSession, keep: string | undefined, effects: DemoEffects): Promise<void> {
  const step = stepper(effects);
  const { token } = await step('mint', async () => {
    const minted = await mintStep(session);
    if (keep === undefined) return minted;
    const kept = await keepFiles(keep, minted.token);
    return { ...minted, shown: [`kept ${kept.join(' and ')} (${fileProtection(process.platform)}), marked as emulator tokens`] };
  });
  // Read back from the token.json text mint would write, as the real commands read it.
  const stored = parseTokenFile(tokenJson(token), 'the demo token.json');
  await step('send', () => sendStep(session, stored));
  await step('accessToken', () => accessTokenStep(session, stored, token));
  await step('revoke', () => revokeStep(session, stored));
  await step('revokedCheck', () => revokedCheckStep(session, stored));
}

/** Starts the emulator, runs every step against it, and stops it however the run ends. */
export async function runDemo(request: DemoRequest, effects: DemoEffects): Promise<void> {
  if (request.keep !== undefined) await checkKeepFolder(request.keep);
  // The consent page waits for Allow; the demo switches it to approve at once when it gives consent itself.
  const emulator = await startEmulator({ behaviour: { consent: 'page' } });
  try {
    effects.started(emulator.origin);
    const endpoints = resolveEndpoints({ emulatorHost: emulator.hostPort });
    await runSteps({ ...request, ...effects, emulator, endpoints }, request.keep, effects);
  } catch (error) {
    if (effects.signal.aborted) throw new InterruptedError('Interrupted; the emulator is stopped.');
    throw error;
  } finally {
    await emulator.close();
  }
}
