import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runInProcessToEnd } from '../helpers/run-cli.js';
import { makeWorkspace } from '../helpers/workspace.js';

/** A mistyped GMAIL_TOKEN_HTTP_TIMEOUT was silently 30 s, and 1e9 failed later as "could not reach Google". */
let google: Server;
let requests = 0;
let workspace: ReturnType<typeof makeWorkspace>;

beforeEach(async () => {
  requests = 0;
  workspace = makeWorkspace();
  workspace.file('token.json', JSON.stringify({ refresh_token: 'r', client_id: 'c', client_secret: 's' }));
  google = createServer((_request, response) => {
    requests++;
    response.writeHead(500).end();
  });
  await new Promise<void>((resolve) => google.listen(0, '127.0.0.1', resolve));
});
afterEach(async () => {
  google.closeAllConnections();
  await new Promise<void>((resolve) => google.close(() => resolve()));
  workspace.cleanup();
});

describe('GMAIL_TOKEN_HTTP_TIMEOUT', () => {
  const commands = [
    ['mint', '--client-id', 'c.apps.googleusercontent.com', '--client-secret', 's', '--out', 'new.json'],
    ['check'],
    ['access-token'],
    ['revoke', '-y'],
  ];
  it.each(['abc', '0', '-1', '2.5', '1e9', '3601'])('%s: every command that asks Google exits 2 with one line naming it, before any request', async (value) => {
    for (const args of commands) {
      const env = { GMAIL_TOKEN_EMULATOR_HOST: `127.0.0.1:${(google.address() as AddressInfo).port}`, GMAIL_TOKEN_HTTP_TIMEOUT: value };
      const result = await runInProcessToEnd(args, { cwd: workspace.dir, env });
      expect({ args, code: result.code, stderr: result.stderr }).toEqual({
        args,
        code: 2,
        stderr: `error: GMAIL_TOKEN_HTTP_TIMEOUT=${value} is not a whole number of seconds from 1 to 3600. Unset it for the default, 30.\n`,
      });
    }
    expect(requests).toBe(0);
  });
});
