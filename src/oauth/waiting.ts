import { FlowError } from '../core/errors.js';

/** How long a consent usually takes; past this, Google may be showing its own error page. */
const WAITING_HINT_MS = 45_000;

export function remindLater(remind: () => void): () => void {
  const timer = setTimeout(remind, WAITING_HINT_MS);
  timer.unref();
  return () => clearTimeout(timer);
}

/**
 * Google shows its own "Error 403: access_denied" page, and never redirects, to an account that is
 * not a test user of an app in Testing, or when the app is blocked for it (levz0r/gmail-tester#79).
 */
export const NO_REDIRECT_CAUSES =
  'If Google shows "Error 403: access_denied" or "Access blocked" instead of the consent screen, add the account under Test users on the OAuth consent screen (Audience page) in Cloud Console, or, for a Workspace account, ask its admin whether a policy blocks the app.';

/** What to tell the person while consent is slow, and when it never came; each caller knows its own. */
export interface WaitingAdvice {
  /** After the reminder's "Still waiting for consent." */
  stillWaiting: string;
  /** After "No consent arrived within N seconds; nothing was written." */
  timedOut: string;
}

/** For `mint` against Google. */
export const MINT_WAITING_ADVICE: WaitingAdvice = {
  stillWaiting: NO_REDIRECT_CAUSES,
  timedOut: `${NO_REDIRECT_CAUSES} Otherwise run again (--timeout to wait longer), or use --manual when the browser cannot reach this machine.`,
};

function timedOut(seconds: number, advice: WaitingAdvice): FlowError {
  return new FlowError(`No consent arrived within ${seconds} second${seconds === 1 ? '' : 's'}; nothing was written. ${advice.timedOut}`);
}

/**
 * Ends the wait on Ctrl-C or after `seconds`. The timer is one this flow holds itself, not
 * AbortSignal.timeout() under AbortSignal.any(): on Node 20 that inner signal can be garbage
 * collected before it fires (nodejs/node#57736), and the flow then waits for ever.
 */
export async function waitAtMost<T>(seconds: number, advice: WaitingAdvice, interrupt: AbortSignal, waitFor: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const wait = new AbortController();
  const timer = setTimeout(() => wait.abort(timedOut(seconds, advice)), seconds * 1000);
  const onInterrupt = () => wait.abort(interrupt.reason);
  if (interrupt.aborted) onInterrupt();
  else interrupt.addEventListener('abort', onInterrupt, { once: true });
  try {
    return await waitFor(wait.signal);
  } finally {
    clearTimeout(timer);
    interrupt.removeEventListener('abort', onInterrupt);
  }
}

/** Rejects with the signal's reason as soon as Ctrl-C arrives, even mid-request. */
export function interruptible<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    work.then(resolve, reject);
  });
}
