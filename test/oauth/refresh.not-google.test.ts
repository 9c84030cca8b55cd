import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveEndpoints } from '../../src/core/endpoints.js';
import { refreshAccess } from '../../src/oauth/refresh.js';

/** What came instead of Google's JSON is named as it was: a JSON null is no web page. */
let google: Server;
let answer: { type: string; body: string };
beforeEach(async () => {
  google = createServer((_request, response) => response.writeHead(200, { 'Content-Type': answer.type }).end(answer.body));
  await new Promise<void>((resolve) => google.listen(0, '127.0.0.1', resolve));
});
afterEach(async () => {
  google.closeAllConnections();
  await new Promise<void>((resolve) => google.close(() => resolve()));
});

const refresh = () =>
  refreshAccess({ source: 'token.json', refreshToken: 'r' }, { clientId: 'c', clientSecret: 's' }, resolveEndpoints({ emulatorHost: `127.0.0.1:${(google.address() as AddressInfo).port}` }), { timeoutMs: 5_000 });

describe('a token endpoint answering 200 with something that is not a token', () => {
  it.each([
    ['JSON null', { type: 'application/json', body: 'null' }, "the answer was JSON null, not Google's JSON object, so a proxy or captive portal is in the way"],
    ['a JSON number', { type: 'application/json', body: '5' }, "the answer was a JSON number, not Google's JSON object, so a proxy"],
    ['a web page', { type: 'text/html', body: '<!DOCTYPE html><html></html>' }, "the answer was a web page, not Google's JSON, so a proxy"],
    ['plain text', { type: 'text/plain', body: 'hello' }, "the answer was plain text, not Google's JSON, so a proxy"],
  ])('%s is called what it is', async (_name, body, said) => {
    answer = body;
    await expect(refresh()).rejects.toThrow(`Refreshing the token failed: ${said}`);
  });
});
