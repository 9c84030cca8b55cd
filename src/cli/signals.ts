import { InterruptedError } from '../core/errors.js';

/** Ctrl-C (or SIGTERM) aborts the flow: servers closed, nothing written; a second one leaves at once. */
export function interruptOnSignals(): AbortSignal {
  const controller = new AbortController();
  const interrupt = () => {
    controller.abort(new InterruptedError());
    process.once('SIGINT', () => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  return controller.signal;
}
