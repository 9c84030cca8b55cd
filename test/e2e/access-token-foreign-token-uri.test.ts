import { createServer, type Server } from 'node:http';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runCli, type CliRun } from '../helpers/cli.js';
import { makeWorkspace } from '../helpers/workspace.js';

/**
 * Issue 19, item 5: a token_uri outside Google's hosts (a token.json edited by someone else, a
 * proxy) is named on stderr before the refresh token and client secret are sent to it; and what it
 * answers is not printed when it is no bearer token.
 */

let server: Server;
let port = 0;
let workspace: ReturnType<typeof makeWorkspace>;
let run: CliRun | undefined;
let warnedFirst: boolean | undefined;

beforeEach(async () => {
  workspace = makeWorkspace();
  warnedFirst = undefined;
  server = createServer((_request, response) => {
    warnedFirst = /token_uri of token\.json is at http:\/\/127\.0\.0\.1:\d+, which is not Google/.test(run?.stderr() ?? '');
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ access_token: 'ya29.ok\r\nX-Injected: 1', expires_in: 3599 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
});

afterEach(async () => {
  workspace.cleanup();
  await new Promise((resolve) => server.close(resolve));
});

it('access-token names the foreign token endpoint first, then refuses its malformed token: exit 1, stdout empty', async () => {
  workspace.file(
    'token.json',
    JSON.stringify({ type: 'authorized_user', client_id: 'c.apps.googleusercontent.com', client_secret: 'GOCSPX-s', refresh_token: '1//r', token_uri: `http://127.0.0.1:${port}/token/path?q=1` }),
  );
  run = runCli(['access-token'], { cwd: workspace.dir });
  const result = await run.exit;
  expect(warnedFirst).toBe(true);
  expect(result.code).toBe(1);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(/^warning: The token_uri of token\.json is at http:\/\/127\.0\.0\.1:\d+, which is not Google: the refresh token and client secret go there for each new access token\.$/m);
  expect(result.stderr).not.toContain('/token/path');
  expect(result.stderr).toMatch(/no bearer token has \(RFC 6750\)/);
  expect(result.stderr).not.toContain('X-Injected');
});
