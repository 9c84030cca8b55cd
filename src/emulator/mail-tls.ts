import { createSecureContext, type SecureContext } from 'node:tls';

/**
 * A fixed, published, self-signed certificate for 127.0.0.1, ::1 and localhost, valid until 2126.
 * It protects nothing: its private key is right here. It exists only because mail programs such as
 * neomutt send an OAuth token only over TLS (neomutt's IMAP XOAUTH2 needs a secured connection), so
 * the emulator's STARTTLS lets them be tested against it when told to trust this certificate
 * (`/emulator/v1/tls-certificate.pem`). Never trust it anywhere else.
 */
export const TEST_ONLY_CERTIFICATE = `-----BEGIN CERTIFICATE-----
MIIB3TCCAYKgAwIBAgIUBtc+884etWv5OyqApMx44H96gYcwCgYIKoZIzj0EAwIw
KzEpMCcGA1UEAwwgZ21haWwtdG9rZW4gZW11bGF0b3IgKHRlc3Qgb25seSkwIBcN
MjYxMjA2MjMwNTQ4WhgPMjEyNjExMTIyMzA1NDhaMCsxKTAnBgNVBAMMIGdtYWls
LXRva2VuIGVtdWxhdG9yICh0ZXN0IG9ubHkpMFkwEwYHKoZIzj0CAQYIKoZIzj0D
AQcDQgAE6Cyw+bs0VkpRMM4RWBOF1AQ6K5p1NHlU7v+X7X1xY2NlW2RHbD7ipc7o
ZUSNoM4g87R+n4E9Gv4qW5NCzdnFJqOBgTB/MB0GA1UdDgQWBBRskBKNmNZlNnMW
E+pkazYqZZZ3jzAfBgNVHSMEGDAWgBRskBKNmNZlNnMWE+pkazYqZZZ3jzAPBgNV
HRMBAf8EBTADAQH/MCwGA1UdEQQlMCOHBH8AAAGHEAAAAAAAAAAAAAAAAAAAAAGC
CWxvY2FsaG9zdDAKBggqhkjOPQQDAgNJADBGAiEA0fR8DgGYLCtGlCgddVG2q+1P
Vvuj2DSZuNUomXal74QCIQDu3lQ9WKfWi7N9ACpDd1QtoNT9JAYf1fa2GEzDdi8o
sQ==
-----END CERTIFICATE-----
`;

const TEST_ONLY_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgfdlGXz7zzdnXmhOX
YBqEyrXpz2crg1jTcg0v8YtE7H6hRANCAAToLLD5uzRWSlEwzhFYE4XUBDormnU0
eVTu/5ftfXFjY2VbZEdsPuKlzuhlRI2gziDztH6fgT0a/ipbk0LN2cUm
-----END PRIVATE KEY-----
`;

let context: SecureContext | undefined;

export function testOnlyTlsContext(): SecureContext {
  return (context ??= createSecureContext({ key: TEST_ONLY_KEY, cert: TEST_ONLY_CERTIFICATE }));
}
