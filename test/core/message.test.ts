import { describe, expect, it } from 'vitest';
import { rfc2822Date, testMessage } from '../../src/core/message.js';

describe('the --send-test message', () => {
  it('is RFC 2822 with CRLF line ends, a UTC date and the given headers', () => {
    expect(rfc2822Date(new Date('2026-03-01T04:05:06Z'))).toBe('Sun, 1 Mar 2026 04:05:06 +0000');
    expect(rfc2822Date(new Date('2026-12-31T23:59:59Z'))).toBe('Thu, 31 Dec 2026 23:59:59 +0000');
    // 2026-01-04 is a Sunday: a week of days, then the first of every month.
    const week = Array.from({ length: 7 }, (_, day) => rfc2822Date(new Date(Date.UTC(2026, 0, 4 + day))).slice(0, 3));
    expect(week).toEqual(['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']);
    const months = Array.from({ length: 12 }, (_, month) => rfc2822Date(new Date(Date.UTC(2026, month, 1))).split(' ')[2]);
    expect(months).toEqual(['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']);
    const message = testMessage({ to: 'a@b.c', from: 'me@b.c', date: new Date('2026-11-28T10:00:00Z'), id: 'abc123' });
    const end = message.indexOf('\r\n\r\n');
    const [head, body] = [message.slice(0, end), message.slice(end + 4)];
    expect(head.split('\r\n')).toEqual([
      'From: me@b.c',
      'To: a@b.c',
      'Subject: gmail-token test message',
      'Date: Sat, 28 Nov 2026 10:00:00 +0000',
      'Message-ID: <abc123@gmail-token.invalid>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=UTF-8',
      'Content-Transfer-Encoding: 8bit',
    ]);
    expect(body).toMatch(/^This message was sent by `gmail-token check --send-test`.*\r\n.*✓\r\n\r\nNothing needs to be done; you can delete it\.\r\n$/);
    expect(message.replace(/\r\n/g, '')).not.toContain('\n');
    expect(testMessage({ to: 'a@b.c', date: new Date(0), id: 'x' })).toMatch(/^To: a@b\.c\r\n/);
  });
});
