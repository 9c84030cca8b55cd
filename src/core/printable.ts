import { neutralise } from './terminal.js';

/** Text that came from the network, made safe to print (see `neutralise`), its length capped. */
export function printable(value: unknown, max = 200): string | undefined {
  return typeof value === 'string' ? neutralise(value).slice(0, max) : undefined;
}
