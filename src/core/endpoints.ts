import { GOOGLE_ISSUER } from './consent.js';
import { UsageError } from './errors.js';
import { parseHostPort } from './host-port.js';
import { shown } from './terminal.js';

/** Where each Google request goes (SPEC "Google's paths, as the emulator serves them"). */
export interface GoogleEndpoints {
  consent: string;
  token: string;
  revoke: string;
  tokeninfo: string;
  userinfo: string;
  send: string;
}

export const EMULATOR_HOST_VARIABLE = 'GMAIL_TOKEN_EMULATOR_HOST';

const GOOGLE: GoogleEndpoints = {
  consent: 'https://accounts.google.com/o/oauth2/v2/auth',
  token: 'https://oauth2.googleapis.com/token',
  revoke: 'https://oauth2.googleapis.com/revoke',
  tokeninfo: 'https://oauth2.googleapis.com/tokeninfo',
  userinfo: 'https://openidconnect.googleapis.com/v1/userinfo',
  send: 'https://gmail.googleapis.com/gmail/v1/users/me/messages/send',
};

function emulatorOrigin(hostPort: string): string {
  const parsed = parseHostPort(hostPort);
  if (parsed === undefined) {
    throw new UsageError(
      `${EMULATOR_HOST_VARIABLE}=${shown(hostPort)} is not host:port. Use what \`gmail-token emulator\` printed, e.g. 127.0.0.1:8089.`,
    );
  }
  const { host, bracketed, port } = parsed;
  return `http://${bracketed ? `[${host}]` : host}:${port}`;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Google's own URLs are https; plain http would send secrets in the clear, except on loopback. */
function checkedUri(uri: string, what: string): string {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new UsageError(`The ${what} ${shown(uri)} is not a URL. Download the credentials file again.`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) {
    throw new UsageError(
      `The ${what} ${shown(uri)} must be an https URL. To use a local emulator, set ${EMULATOR_HOST_VARIABLE}.`,
    );
  }
  return uri;
}

/**
 * With the emulator variable set, every request goes to the emulator on Google's own paths, as the
 * Cloud SDKs' *_EMULATOR_HOST variables do; otherwise the credentials file decides the consent and
 * token URLs and Google's defaults give the rest.
 */
export function resolveEndpoints(options: { emulatorHost?: string; authUri?: string; tokenUri?: string }): GoogleEndpoints {
  if (options.emulatorHost) {
    const origin = emulatorOrigin(options.emulatorHost);
    return Object.fromEntries(
      Object.entries(GOOGLE).map(([name, url]) => [name, origin + new URL(url).pathname]),
    ) as unknown as GoogleEndpoints;
  }
  return {
    ...GOOGLE,
    consent: options.authUri ? checkedUri(options.authUri, 'auth_uri') : GOOGLE.consent,
    token: options.tokenUri ? checkedUri(options.tokenUri, 'token_uri') : GOOGLE.token,
  };
}

/**
 * Google's OAuth hosts: oauth2.googleapis.com now, accounts.google.com and www.googleapis.com in
 * older credentials files and token.json files (google-oauth-facts).
 */
const GOOGLE_HOST = /(^|\.)(google|googleapis)\.com$/;

/**
 * The token endpoint's origin when it is not Google's, for a warning: it receives the refresh
 * token and the client secret, so a token_uri edited into a file (or a proxy's) must not get them
 * unnoticed. Under the emulator variable the person chose where every request goes.
 */
export function foreignTokenOrigin(endpoints: GoogleEndpoints, emulatorHost: string | undefined): string | undefined {
  if (emulatorHost) return undefined;
  const url = new URL(endpoints.token);
  return GOOGLE_HOST.test(url.hostname) ? undefined : url.origin;
}

/**
 * The warning for a token endpoint that is not Google's, or undefined: `source` is where the
 * token_uri came from, `exposed` what goes there (mint sends the client secret and gets the new
 * refresh token; check and access-token send both for each new access token).
 */
export function foreignTokenWarning(endpoints: GoogleEndpoints, emulatorHost: string | undefined, source: string, exposed: string): string | undefined {
  const foreign = foreignTokenOrigin(endpoints, emulatorHost);
  return foreign && `The token_uri of ${source} is at ${foreign}, which is not Google: ${exposed}.`;
}

/** Who may name itself as `iss` on the consent redirect: Google, and under the emulator variable the emulator too. */
export function acceptedIssuers(emulatorHost: string | undefined): string[] {
  return emulatorHost ? [GOOGLE_ISSUER, emulatorOrigin(emulatorHost)] : [GOOGLE_ISSUER];
}
