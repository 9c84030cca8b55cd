import { UsageError } from './errors.js';
import { shown } from './terminal.js';

/**
 * A whole number written in plain decimal digits, within [min, max]; anything else (`1.5`, `1e3`,
 * `0x10`, ` 5`, `+5`) is refused rather than read in some surprising way.
 */
function wholeNumber(value: string, min: number, max: number): number | undefined {
  if (!/^[0-9]{1,6}$/.test(value)) return undefined;
  const number = Number(value);
  return number >= min && number <= max ? number : undefined;
}

export function parsePort(value: string, option = '--port'): number {
  const port = wholeNumber(value, 0, 65_535);
  if (port === undefined) throw new UsageError(`${option} ${shown(value)} is not a port. Use a whole number from 1 to 65535, or 0 for any free port.`);
  return port;
}

export function parseTimeout(value: string): number {
  const seconds = wholeNumber(value, 1, 86_400);
  if (seconds === undefined) throw new UsageError(`--timeout ${shown(value)} is not a number of seconds. Use a whole number from 1 to 86400, e.g. 300.`);
  return seconds;
}

export function parseLoginHint(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^[^\s@]+@[^\s@]+$/.test(value)) {
    throw new UsageError(`--login-hint ${shown(value)} is not an email address. Give the Google account's address, e.g. you@gmail.com.`);
  }
  return value;
}
