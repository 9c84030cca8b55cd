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
