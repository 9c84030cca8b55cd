import { describe, expect, it } from 'vitest';
import { mailTarget, overrideNotice } from '../../src/core/mail-hosts.js';
import { usageMessage } from '../helpers/usage.js';

describe('mailTarget', () => {
  it("is Gmail's server over TLS when the variable is unset or empty", () => {
    expect(mailTarget('smtp', undefined)).toEqual({ protocol: 'smtp', host: 'smtp.gmail.com', port: 465, security: 'tls' });
    expect(mailTarget('imap', '')).toEqual({ protocol: 'imap', host: 'imap.gmail.com', port: 993, security: 'tls' });
  });

  it('takes a name with digits as a name: only digits and dots throughout make an address', () => {
    expect(mailTarget('smtp', 'relay1.2:587')).toMatchObject({ host: 'relay1.2', security: 'starttls' });
    expect(mailTarget('smtp', '10.0.0.1a:587')).toMatchObject({ host: '10.0.0.1a' });
  });

  it('shows an example for the protocol asked about', () => {
    expect(usageMessage(() => mailTarget('smtp', 'nope'))).toBe('GMAIL_TOKEN_SMTP_HOST="nope" is not host:port. Use what `gmail-token emulator` printed, e.g. 127.0.0.1:2525.');
    expect(usageMessage(() => mailTarget('imap', 'nope'))).toBe('GMAIL_TOKEN_IMAP_HOST="nope" is not host:port. Use what `gmail-token emulator` printed, e.g. 127.0.0.1:1143.');
  });
});

describe('overrideNotice', () => {
  it("says nothing for Gmail's own server and port", () => {
    expect(overrideNotice(mailTarget('smtp', undefined))).toBeNull();
    expect(overrideNotice(mailTarget('imap', 'imap.gmail.com:993'))).toBeNull();
  });

  it('names any other host or port, and how the login travels', () => {
    expect(overrideNotice(mailTarget('smtp', 'smtp.gmail.com:587'))).toBe('Logging in to SMTP at smtp.gmail.com:587 ($GMAIL_TOKEN_SMTP_HOST) after STARTTLS, not Gmail.');
    expect(overrideNotice(mailTarget('smtp', '127.0.0.1:465'))).toBe('Logging in to SMTP at 127.0.0.1:465 ($GMAIL_TOKEN_SMTP_HOST) over plain TCP, not Gmail.');
    expect(overrideNotice(mailTarget('imap', '[::1]:1143'))).toBe('Logging in to IMAP at [::1]:1143 ($GMAIL_TOKEN_IMAP_HOST) over plain TCP, not Gmail.');
    expect(overrideNotice(mailTarget('smtp', 'mail.example.com:465'))).toBe('Logging in to SMTP at mail.example.com:465 ($GMAIL_TOKEN_SMTP_HOST) over TLS, not Gmail.');
  });
});

describe('an address that is not one', () => {
  it('is refused as not a valid IP address, with an example of what to use', () => {
    expect(usageMessage(() => mailTarget('smtp', '999.1.1.1:25'))).toBe(
      'GMAIL_TOKEN_SMTP_HOST="999.1.1.1:25" is not a valid IP address and port. Use what `gmail-token emulator` printed, e.g. 127.0.0.1:2525.',
    );
    expect(usageMessage(() => mailTarget('imap', '1.2.3:143'))).toMatch(/^GMAIL_TOKEN_IMAP_HOST="1\.2\.3:143" is not a valid IP address and port\. .*127\.0\.0\.1:1143\.$/);
  });
});
