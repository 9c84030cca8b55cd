import { UsageError } from './errors.js';

export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || port > 65535) {
    throw new UsageError(`--port "${value}" is not a port. Use a number from 1 to 65535, or 0 for any free port.`);
  }
  return port;
}

export function parseTimeout(value: string): number {
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds <= 0 || seconds > 86_400) {
    throw new UsageError(`--timeout "${value}" is not a number of seconds. Use a number from 1 to 86400, e.g. 300.`);
  }
  return seconds;
}

export function parseLoginHint(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^[^\s@]+@[^\s@]+$/.test(value)) {
    throw new UsageError(`--login-hint "${value}" is not an email address. Give the Google account's address, e.g. you@gmail.com.`);
  }
  return value;
}
