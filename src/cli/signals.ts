import { InterruptedError } from '../core/errors.js';
import { exitCodeFor } from './errors.js';
import type { CliIo, CliSignal } from './io.js';
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
 * Every way a person or the system asks a run to stop. SIGHUP: the terminal closed or the SSH
 * session dropped; on Windows also the console window closed (about 10 s of grace). SIGBREAK is
 * Ctrl-Break, which only Windows sends. Each left at Node's default would end the run at once and
 * drop a token Google already issued.
 */
export function stopSignals(platform: NodeJS.Platform): CliSignal[] {
  const signals: CliSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  return platform === 'win32' ? [...signals, 'SIGBREAK'] : signals;
}

/**
 * After a hang-up stderr writes to a terminal that is gone (EIO): unheard, that error event would
 * crash the run (before the token is kept, or turning a 130 into a crash), and no one is left to
 * read the line anyway.
 */
function muteGoneTerminal(io: CliIo): void {
  io.stderr.on('error', () => undefined);
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
  for (const name of stopSignals(io.platform)) io.onSignal(name, onSignal);
  muteGoneTerminal(io);
  return {
    signal: controller.signal,
    holdToken(keep) {
      keepAtOnce = keep;
      if (controller.signal.aborted) tellHolding();
    },
  };
}

/**
 * For a write whose temporary file holds the refresh token and the client secret (access-token
 * saving a new access token, revoke removing one): Node's default for a stop signal would end the
 * run mid-write and leave that file behind. A signal meanwhile lets the write finish and clean up;
 * then the run ends with 130, saying `interrupted`. The write is short (its lock wait is bounded),
 * so later signals wait for it too.
 */
export function uninterrupted(io: CliIo, interrupted: string): <T>(write: () => Promise<T>) => Promise<T> {
  return async (write) => {
    let stopped = false;
    const onSignal = () => {
      if (!stopped) muteGoneTerminal(io);
      stopped = true;
    };
    const signals = stopSignals(io.platform);
    for (const name of signals) io.onSignal(name, onSignal);
    try {
      const result = await write();
      if (stopped) throw new InterruptedError(interrupted);
      return result;
    } finally {
      for (const name of signals) io.offSignal(name, onSignal);
    }
  };
}
