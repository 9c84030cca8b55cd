import { FlowError } from '../core/errors.js';

/**
 * Plays the person's browser when none can open: asks the emulator's consent endpoint (which,
 * told to approve, answers with the redirect Google sends after Allow) and follows that redirect
 * to the loopback server, as a browser would. The redirect is followed only to the redirect URI
 * the consent URL names, so this can never be pointed anywhere else.
 */
export async function approveConsent(consentUrl: string, signal: AbortSignal): Promise<void> {
  const redirectUri = new URL(consentUrl).searchParams.get('redirect_uri') ?? '';
  const consent = await fetch(consentUrl, { redirect: 'manual', signal });
  const location = consent.headers.get('location') ?? '';
  await consent.body?.cancel();
  if (consent.status !== 302 || !location.startsWith(`${redirectUri}?`)) {
    throw new FlowError(`The emulator's consent endpoint answered ${consent.status} without the redirect to ${redirectUri}.`);
  }
  const callback = await fetch(location, { redirect: 'manual', signal });
  await callback.body?.cancel();
  if (callback.status !== 200) throw new FlowError(`The loopback server answered the consent redirect with ${callback.status}.`);
}
