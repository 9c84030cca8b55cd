import { FlowError } from '../../core/errors.js';
import { printable } from '../../core/printable.js';
import type { StoredToken } from '../../core/stored-token.js';
import { neutralise } from '../../core/terminal.js';
import { httpPolicyFrom } from '../../oauth/google.js';
import { revokeToken } from '../../oauth/revoke.js';
import { forgetRevokedAccess } from '../../oauth/token-cache.js';
import type { CliIo } from '../io.js';
import { interactive, promptsFor } from '../prompts.js';
import { renderFor } from '../render.js';
import { uninterrupted } from '../signals.js';
import { storedToken, type TokenSourceCliOptions } from './stored.js';

export interface RevokeCliOptions extends TokenSourceCliOptions {
  yes: boolean;
}

/**
 * Revoking any token removes the app's access to the account, so every token that account gave
 * this client stops working, on every machine (SPEC `revoke`): said before anything is sent.
 */
function reach(stored: StoredToken): string {
  const account = printable(stored.account, 100) ?? 'the account';
  const client = stored.clientId ? ` (client ${printable(stored.clientId, 120)})` : '';
  return `Revoking ends this app's access to ${account}: every token ${account} gave this OAuth client${client} stops working, on every machine.`;
}

export async function runRevoke(options: RevokeCliOptions, io: CliIo): Promise<void> {
  const { say, success, warn } = renderFor(io);
  const http = httpPolicyFrom(io.env);
  const { stored, endpoints } = await storedToken(options, io);
  if (interactive(io) && !options.yes) {
    say(reach(stored));
    if (!(await promptsFor(io).askYesNo(`Revoke the ${stored.refreshToken ? 'refresh' : 'access'} token from ${neutralise(stored.source)}?`))) {
      throw new FlowError('Nothing was revoked.');
    }
  } else warn(reach(stored));
  const outcome = await revokeToken(stored, endpoints, http);
  if (outcome.kind === 'already-invalid') {
    say(`Google says the ${outcome.which} from ${stored.source} is already invalid (expired or revoked); nothing to do.`);
  } else success(`Revoked the ${outcome.which} from ${stored.source}.`);
  // Already invalid or revoked now: either way an access token stored beside it must not be served.
  await uninterrupted(io, 'Interrupted.')(async () => {
    const forgotten = await forgetRevokedAccess(stored);
    if (forgotten) (forgotten.warning ? warn : say)(forgotten.said);
  });
  if (outcome.kind === 'revoked') say('The app no longer has access to the account: mint again to get a new token.');
}
