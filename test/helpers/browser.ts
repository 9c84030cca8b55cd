/**
 * Plays the person's browser without a browser: asks the emulator's consent endpoint (which
 * answers with a redirect in its approve/deny modes) and follows that redirect to the loopback
 * server, returning what the loopback server answered.
 */
export async function followConsent(consentUrl: string): Promise<{ status: number; body: string; location: string }> {
  const consent = await fetch(consentUrl, { redirect: 'manual' });
  const location = consent.headers.get('location');
  if (consent.status !== 302 || !location) {
    throw new Error(`consent endpoint answered ${consent.status} without a redirect: ${await consent.text()}`);
  }
  const callback = await fetch(location, { redirect: 'manual' });
  return { status: callback.status, body: await callback.text(), location };
}

/** The loopback redirect URI that a consent URL names. */
export function redirectUriOf(consentUrl: string): URL {
  return new URL(new URL(consentUrl).searchParams.get('redirect_uri') ?? '');
}
