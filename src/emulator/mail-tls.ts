import { createSecureContext, type SecureContext } from 'node:tls';

/**
 * A fixed, published, self-signed leaf certificate for 127.0.0.1, ::1 and localhost, valid until 2126.
 * It protects nothing: its private key is right here. It is not a CA (CA:FALSE, no keyCertSign,
 * serverAuth only), so a program told to trust it trusts no certificate its key signs: with the
 * published key, anyone can pose as the emulator on a loopback address, and as no other server.
 * It exists only because mail programs such as neomutt send an OAuth token only over TLS (neomutt's IMAP XOAUTH2 needs a secured connection), so
 * the emulator's STARTTLS lets them be tested against it when told to trust this certificate
 * (`/emulator/v1/tls-certificate.pem`). Never trust it anywhere else.
 */
export const TEST_ONLY_CERTIFICATE = `-----BEGIN CERTIFICATE-----
MIIB/zCCAaWgAwIBAgIUb0seO0TNo0Bf8CkvktqS0TITSdcwCgYIKoZIzj0EAwIw
KzEpMCcGA1UEAwwgZ21haWwtdG9rZW4gZW11bGF0b3IgKHRlc3Qgb25seSkwIBcN
MjYxMjA3MDAwMTA5WhgPMjEyNjExMTMwMDAxMDlaMCsxKTAnBgNVBAMMIGdtYWls
LXRva2VuIGVtdWxhdG9yICh0ZXN0IG9ubHkpMFkwEwYHKoZIzj0CAQYIKoZIzj0D
AQcDQgAEyT1IjnLZgO5NCFHKGe31ECDmRcAr+HbBhqhBm7D+hIvQg/XiFxOtSpRZ
/mCH5C8114yvspfLc1zyz64pPgF2aaOBpDCBoTAdBgNVHQ4EFgQU5hiVrZDVUUyL
t0nelf/RQc+fxEQwHwYDVR0jBBgwFoAU5hiVrZDVUUyLt0nelf/RQc+fxEQwDAYD
VR0TAQH/BAIwADAOBgNVHQ8BAf8EBAMCB4AwEwYDVR0lBAwwCgYIKwYBBQUHAwEw
LAYDVR0RBCUwI4cEfwAAAYcQAAAAAAAAAAAAAAAAAAAAAYIJbG9jYWxob3N0MAoG
CCqGSM49BAMCA0gAMEUCIQCtBSBHt/c4Noo4q3yJcqyfdvgIqrg5cri2F0qanFlC
PQIgFBQB3eFDxBp6BPyhCTojwmBfWNGUoJbJpzjIStEWhkI=
-----END CERTIFICATE-----
`;

const TEST_ONLY_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgiTdC2DARkyO24+BQ
93M2j2EY+YxBcKQVsB21ouDKnUKhRANCAATJPUiOctmA7k0IUcoZ7fUQIOZFwCv4
dsGGqEGbsP6Ei9CD9eIXE61KlFn+YIfkLzXXjK+yl8tzXPLPrik+AXZp
-----END PRIVATE KEY-----
`;

let context: SecureContext | undefined;

export function testOnlyTlsContext(): SecureContext {
  return (context ??= createSecureContext({ key: TEST_ONLY_KEY, cert: TEST_ONLY_CERTIFICATE }));
}
