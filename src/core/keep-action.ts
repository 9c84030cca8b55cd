import { UsageError } from './errors.js';

/** What to do with a token Google issued when its output cannot be written. */
export type KeepAction = 'ask' | 'beside' | 'stdout' | 'revoke';
const ACTIONS: readonly KeepAction[] = ['ask', 'beside', 'stdout', 'revoke'];

/**
 * --if-unwritable: on a terminal the person is asked; elsewhere the default writes the token to a
 * new file beside the output, so nothing Google issued is lost and nothing else is touched.
 */
export function parseKeepAction(value: string | undefined, asking: boolean): KeepAction {
  if (value === undefined) return asking ? 'ask' : 'beside';
  if (!(ACTIONS as readonly string[]).includes(value)) throw new UsageError(`--if-unwritable must be one of: ${ACTIONS.join(', ')}.`);
  if (value === 'ask' && !asking) throw new UsageError('--if-unwritable ask needs a terminal to ask on. Use beside, stdout or revoke.');
  return value as KeepAction;
}
