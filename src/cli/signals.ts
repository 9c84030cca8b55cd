import { InterruptedError } from '../core/errors.js';
import { exitCodeFor } from './errors.js';
import type { CliIo } from './io.js';
import { renderFor } from './render.js';

export interface Interruption {
  signal: AbortSignal;
  /**
   * Google issued a token: from now on a signal must not drop it. `keepAtOnce` keeps it the
   * non-interactive way (beside the output, else a private temporary folder, else revoked) and
   * rejects with the error that says what became of it.
   */
  holdToken(keepAtOnce: () => Promise<never>): void;
}

/**
 * Before Google issued a token, Ctrl-C (or SIGTERM) aborts the flow: servers closed, nothing
 * written; a second one leaves at once. Once a token exists, leaving would drop a live token no
 * one holds, so the first signal lets the write (or the keeping) finish and the run then ends
 * with 130, saying where the token went. The write can wait seconds for another run's lock and a
 * rescue prompt forever, so a second signal keeps the token the non-interactive way at once and
 * then leaves; if the write was finishing meanwhile, the token is in two places, never in none.
 */
export function interruptOnSignals(io: CliIo): Interruption {
  const { warn } = renderFor(io);
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
      if (keepAtOnce === undefined) return io.exit(130);
      keepAtOnce()
        .catch((error: unknown) => exitCodeFor(error, io))
        .finally(() => io.exit(130));
    }
  };
  for (const name of ['SIGINT', 'SIGTERM'] as const) io.onSignal(name, onSignal);
  return {
    signal: controller.signal,
    holdToken(keep) {
      keepAtOnce = keep;
      if (controller.signal.aborted) tellHolding();
    },
  };
}
