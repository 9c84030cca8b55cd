import { X509Certificate } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { connect, createServer } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { TEST_ONLY_CERTIFICATE } from '../../src/emulator/mail-tls.js';

/**
 * A certificate for imap.gmail.com signed with the emulator's published key (made once with openssl
 * x509 -req -CA <emulator certificate> -CAkey <its key>), and the key it certifies: what anyone can
 * make, since that key ships in the package.
 */
const FORGED_GMAIL_CERTIFICATE = `-----BEGIN CERTIFICATE-----
MIIBnTCCAUOgAwIBAgIBAjAKBggqhkjOPQQDAjArMSkwJwYDVQQDDCBnbWFpbC10
b2tlbiBlbXVsYXRvciAodGVzdCBvbmx5KTAgFw0yNjEyMDcwMDAxMThaGA8yMTI2
MTExMzAwMDExOFowGTEXMBUGA1UEAwwOaW1hcC5nbWFpbC5jb20wWTATBgcqhkjO
PQIBBggqhkjOPQMBBwNCAARSBP2QZ/ROEr0yR42/fDinEq126GePvYRKJCrxY0TB
CySc0UREufK6CJAa9b5p8C9Ky96HcZw3Ceap/CqCpQpso2gwZjAZBgNVHREEEjAQ
gg5pbWFwLmdtYWlsLmNvbTAJBgNVHRMEAjAAMB0GA1UdDgQWBBQxTAquXOLRxEpF
tqUsu7WP5k1wajAfBgNVHSMEGDAWgBTmGJWtkNVRTIu3Sd6V/9FBz5/ERDAKBggq
hkjOPQQDAgNIADBFAiBK5FMgwNxmnuHVSgd3OVd/aR17QC2T77qFFPqbfsKSZQIh
AKq70opdNh7UGGYYCC4G8YfAmF54xJrnkVWdZPjHo6sP
-----END CERTIFICATE-----
`;
const FORGED_GMAIL_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg/c+3E0eWtxa0GZT+
Emd+VX7ooWqs7Prjdgz8nLiszvihRANCAARSBP2QZ/ROEr0yR42/fDinEq126GeP
vYRKJCrxY0TBCySc0UREufK6CJAa9b5p8C9Ky96HcZw3Ceap/CqCpQps
-----END PRIVATE KEY-----
`;

/** A TLS handshake with a client that trusts only the emulator's certificate, as msmtp's tls_trust_file does. */
function handshake(cert: string, key: string, servername: string): Promise<string> {
  return new Promise((resolve) => {
    const server = createServer({ cert, key }, (socket) => socket.end());
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      const client = connect({ host: '127.0.0.1', port, servername, ca: TEST_ONLY_CERTIFICATE }, () => finish('trusted'));
      client.on('error', (error) => finish(`refused: ${error.message}`));
      const finish = (outcome: string) => (client.destroy(), server.close(), resolve(outcome));
    });
  });
}

describe("the emulator's test-only certificate", () => {
  it('is a leaf for loopback names only: not a CA, serverAuth, no certificate signing', () => {
    const certificate = new X509Certificate(TEST_ONLY_CERTIFICATE);
    expect(certificate.ca).toBe(false);
    expect(certificate.subjectAltName).toBe('IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:localhost');
    expect(certificate.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
  });

  it('makes a client that trusts it trust no certificate signed with its published key', async () => {
    expect(await handshake(FORGED_GMAIL_CERTIFICATE, FORGED_GMAIL_KEY, 'imap.gmail.com')).toMatch(/^refused: /);
  });
});
