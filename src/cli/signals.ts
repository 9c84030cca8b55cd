import { InterruptedError } from '../core/errors.js';
import { exitCodeFor } from './errors.js';
import { warn } from './render.js';

export interface Interruption {
  signal: AbortSignal;
  /**
   * Google issued a token: from now on a signal must not drop it. `keepAtOnce` keeps it the
   * non-interactive way (beside the output, else a private temporary folder, else revoked) and
   * rejects with the error that says what became of it.
   */
  holdToken(keepAtOnce: () => Promise<never>): void;
}

/** Where the stop signals come from: the process, or a test's stand-in. */
export interface SignalSource {
  platform: NodeJS.Platform;
  on(name: NodeJS.Signals, listener: () => void): void;
  exit(code: number): void;
}

const PROCESS: SignalSource = {
  platform: process.platform,
  on: (name, listener) => process.on(name, listener),
  exit: (code) => process.exit(code),
};

/**
 * Every way a person or the system asks a run to stop. SIGHUP: the terminal closed or the SSH
 * session dropped; on Windows also the console window closed (about 10 s of grace). SIGBREAK is
 * Ctrl-Break, which only Windows sends. Each left at Node's default would end the run at once and
 * drop a token Google already issued.
 */
export function stopSignals(platform: NodeJS.Platform): NodeJS.Signals[] {
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  return platform === 'win32' ? [...signals, 'SIGBREAK'] : signals;
}

/**
 * Before Google issued a token, a stop signal aborts the flow: servers closed, nothing written; a
 * second one leaves at once. Once a token exists, leaving would drop a live token no one holds, so
 * the first signal lets the write finish (and ends a rescue question, keeping the token the
 * non-interactive way), and the run then ends with 130, saying where the token went. The write can
 * wait seconds for another run's lock, so a second signal keeps the token beside the output at
 * once and then leaves; if the write was finishing meanwhile, the token is in two places, never in
 * none.
 */
export function interruptOnSignals(source: SignalSource = PROCESS): Interruption {
  const controller = new AbortController();
  let keepAtOnce: (() => Promise<never>) | undefined;
  let received = 0;
  const tellHolding = () => warn('Interrupted: the refresh token Google issued is being written first. Interrupt again to keep it beside the output at once.');
  const onSignal = () => {
    received += 1;
    if (received === 1) {
      controller.abort(new InterruptedError());
      if (keepAtOnce !== undefined) tellHolding();
    } else if (received === 2) {
      if (keepAtOnce === undefined) source.exit(130);
      else {
        keepAtOnce()
          .catch((error: unknown) => exitCodeFor(error))
          .finally(() => source.exit(130));
      }
    }
  };
  for (const name of stopSignals(source.platform)) source.on(name, onSignal);
  // After a hang-up stderr writes to a terminal that is gone (EIO): unheard, that error event
  // would crash the run before the token is kept, and no one is left to read it anyway.
  process.stderr.on('error', () => undefined);
  return {
    signal: controller.signal,
    holdToken(keep) {
      keepAtOnce = keep;
      if (controller.signal.aborted) tellHolding();
    },
  };
}
