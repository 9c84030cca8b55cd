import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runInProcessToEnd } from '../helpers/run-cli.js';
import { makeWorkspace } from '../helpers/workspace.js';

/**
 * A leaked token is revoked once, in a hurry: an answer that is not Google's (a captive portal's
 * page, a proxy's JSON) must not be taken for a revocation while the token is still live.
 */
let google: Server;
let answer: { type?: string; body: string };
let workspace: ReturnType<typeof makeWorkspace>;
const stored = JSON.stringify({ refresh_token: 'r-token', token: 'a-token', expiry: new Date(Date.now() + 3_000_000).toISOString(), client_id: 'c', client_secret: 's' });

beforeEach(async () => {
  workspace = makeWorkspace();
  workspace.file('token.json', stored);
  google = createServer((_request, response) => response.writeHead(200, answer.type ? { 'Content-Type': answer.type } : {}).end(answer.body));
  await new Promise<void>((resolve) => google.listen(0, '127.0.0.1', resolve));
});
afterEach(async () => {
  google.closeAllConnections();
  await new Promise<void>((resolve) => google.close(() => resolve()));
  workspace.cleanup();
});

function revoke() {
  const host = `127.0.0.1:${(google.address() as AddressInfo).port}`;
  return runInProcessToEnd(['revoke', '-y'], { cwd: workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: host } });
}

describe('revoke refuses a 2xx answer that is not Google’s', () => {
  it.each([
    ['a web page', { type: 'text/html', body: '<html>hi</html>' }, /the answer was a web page, not Google's JSON, so a proxy or captive portal/],
    ['JSON null', { type: 'application/json', body: 'null' }, /the answer was JSON null, not Google's JSON object, so a proxy/],
    ["a proxy's JSON", { type: 'application/json', body: '{"status":"ok"}' }, /the answer was JSON Google does not send here, so a proxy/],
    ['plain text', { type: 'text/plain', body: 'ok' }, /the answer was plain text, not Google's JSON/],
  ])('%s: exit 1, not "Revoked", token.json untouched', async (_name, body, message) => {
    answer = body;
    const result = await revoke();
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^error: Revoking the token failed: ${message.source}.*Check your network or proxy settings and try again\\.$`, 'm'));
    expect(result.stderr).not.toMatch(/Revoked|no longer has access/);
    expect(readFileSync(join(workspace.dir, 'token.json'), 'utf8')).toBe(stored);
  });

  it.each([
    ['an empty body', { body: '' }],
    ['an empty body as JSON', { type: 'application/json', body: '' }],
    ['{}', { type: 'application/json', body: '{}' }],
  ])("Google's own answer, %s, is a revocation", async (_name, body) => {
    answer = body;
    const result = await revoke();
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/Revoked the refresh token from token\.json/);
  });
});
