import { revokeToken } from '../../oauth/revoke.js';
import { say, success } from '../render.js';
import { storedToken, type TokenSourceCliOptions } from './stored.js';

export async function runRevoke(options: TokenSourceCliOptions): Promise<void> {
  const { stored, endpoints } = await storedToken(options);
  const outcome = await revokeToken(stored, endpoints);
  if (outcome.kind === 'already-invalid') {
    say(`Google says the ${outcome.which} from ${stored.source} is already invalid (expired or revoked); nothing to do.`);
    return;
  }
  success(`Revoked the ${outcome.which} from ${stored.source}.`);
  if (outcome.which === 'refresh token') say('The whole grant has ended: its access tokens stop working too. Mint again to get a new one.');
}
