import { UsageError } from './errors.js';
import { shown } from './terminal.js';

/** One plain address; anything with line breaks or angle brackets could inject headers. */
export function parseAddress(value: string): string {
  if (!/^[^\s@<>()",;:\\]+@[^\s@<>()",;:\\]+\.[^\s@<>()",;:\\]+$/.test(value)) {
    throw new UsageError(`--send-test ${shown(value)} is not an email address. Give one plain address, e.g. you@example.com.`);
  }
  return value;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 2822 §3.3 date-time, in UTC with a numeric zone. */
export function rfc2822Date(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const time = `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`;
  return `${DAYS[date.getUTCDay()]}, ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} ${time} +0000`;
}

export interface TestMessage {
  to: string;
  from?: string;
  date: Date;
  /** Unique part of the Message-ID, e.g. random hex. */
  id: string;
}

/** A short, well-formed RFC 2822 message with a UTF-8 body, CRLF line ends as SMTP wants. */
export function testMessage(message: TestMessage): string {
  const headers = [
    ...(message.from ? [`From: ${message.from}`] : []),
    `To: ${message.to}`,
    'Subject: gmail-token test message',
    `Date: ${rfc2822Date(message.date)}`,
    `Message-ID: <${message.id}@gmail-token.invalid>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: 8bit',
  ];
  const body = [
    'This message was sent by `gmail-token check --send-test` to confirm that the stored',
    'refresh token can send mail through the Gmail API. ✓',
    '',
    'Nothing needs to be done; you can delete it.',
  ];
  return [...headers, '', ...body, ''].join('\r\n');
}
