import { isIP } from 'node:net';
import { UsageError } from './errors.js';
import { parseHostPort } from './host-port.js';
import { shown } from './terminal.js';

export type MailProtocol = 'smtp' | 'imap';

/**
 * How a login reaches its server: implicit TLS (Gmail's 465 and 993), STARTTLS (Gmail's 587), or
 * plain TCP, which is allowed only to a loopback address, where nothing crosses a network.
 */
export type MailSecurity = 'tls' | 'starttls' | 'plain';

export interface MailTarget {
  protocol: MailProtocol;
  host: string;
  port: number;
  security: MailSecurity;
}

export const MAIL_HOST_VARIABLES: Record<MailProtocol, string> = { smtp: 'GMAIL_TOKEN_SMTP_HOST', imap: 'GMAIL_TOKEN_IMAP_HOST' };

/** google-oauth-facts §13: smtp.gmail.com 465 (implicit TLS) and imap.gmail.com 993. */
const GMAIL: Record<MailProtocol, MailTarget> = {
  smtp: { protocol: 'smtp', host: 'smtp.gmail.com', port: 465, security: 'tls' },
  imap: { protocol: 'imap', host: 'imap.gmail.com', port: 993, security: 'tls' },
};

/**
 * 127.0.0.0/8, ::1 however written, and the name localhost. An address is judged by net.isIP, so
 * 127.0.0.256 or 127.0.0.09 (which a resolver would look up as names) are not loopback.
 */
export function isLoopbackHost(host: string): boolean {
  if (host.toLowerCase() === 'localhost') return true;
  const family = isIP(host);
  if (family === 4) return host.startsWith('127.');
  return family === 6 && new URL(`http://[${host}]/`).hostname === '[::1]';
}

/** Digits and dots only, or brackets, mean an address; one that is not valid would be sent to DNS as a name. */
function isMalformedAddress(host: string, bracketed: boolean): boolean {
  return (bracketed || /^[\d.]+$/.test(host)) && isIP(host) === 0;
}

/** Port 465 is SMTP over implicit TLS (RFC 8314); any other SMTP port elsewhere must offer STARTTLS. */
function securityFor(protocol: MailProtocol, host: string, port: number): MailSecurity {
  if (isLoopbackHost(host)) return 'plain';
  return protocol === 'imap' || port === 465 ? 'tls' : 'starttls';
}

function badValue(protocol: MailProtocol, value: string, what: string): UsageError {
  const example = protocol === 'smtp' ? '127.0.0.1:2525' : '127.0.0.1:1143';
  return new UsageError(`${MAIL_HOST_VARIABLES[protocol]}=${shown(value)} is not ${what}. Use what \`gmail-token emulator\` printed, e.g. ${example}.`);
}

/** Gmail's server, or `host:port` from GMAIL_TOKEN_SMTP_HOST / GMAIL_TOKEN_IMAP_HOST; a bad value is a usage error. */
export function mailTarget(protocol: MailProtocol, value: string | undefined): MailTarget {
  if (value === undefined || value === '') return GMAIL[protocol];
  const parsed = parseHostPort(value);
  if (parsed === undefined) throw badValue(protocol, value, 'host:port');
  const { host, bracketed, port } = parsed;
  if (isMalformedAddress(host, bracketed)) throw badValue(protocol, value, 'a valid IP address and port');
  return { protocol, host, port, security: securityFor(protocol, host, port) };
}

export function targetName(target: MailTarget): string {
  return `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
}

const OVER: Record<MailSecurity, string> = { tls: 'over TLS', starttls: 'after STARTTLS', plain: 'over plain TCP' };

/**
 * Said before a login goes where the environment sent it: a forgotten export would otherwise hand
 * the access token, in clear text on loopback, to whatever listens on that port.
 */
export function overrideNotice(target: MailTarget): string | null {
  const gmail = GMAIL[target.protocol];
  if (target.host === gmail.host && target.port === gmail.port) return null;
  return `Logging in to ${target.protocol.toUpperCase()} at ${targetName(target)} ($${MAIL_HOST_VARIABLES[target.protocol]}) ${OVER[target.security]}, not Gmail.`;
}
