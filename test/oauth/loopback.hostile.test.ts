import { connect as tlsConnect } from 'node:tls';
import { createServer as createNetServer, Socket, type AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { startLoopbackServer, type Consent, type LoopbackServer } from '../../src/oauth/loopback.js';
import { followConsent, redirectUriOf } from '../helpers/browser.js';
import { runInProcess } from '../helpers/run-cli.js';
import { isListening, makeWorkspace } from '../helpers/workspace.js';
import { pool, within } from '../helpers/async.js';

const PATH = '/oauth2callback';
const STATE = 'Hx3v0cY2bqkQ9mJt1dW8rZ4nP6sLaE5fGuI7oKyTzVw'; // 43 base64url characters, like createState()

interface Exchange {
  /** Every status line the server sent (1xx included). */
  statuses: number[];
  text: string;
  /** The client gave up waiting: the server neither answered nor closed. */
  hung: boolean;
}

/**
 * Sends raw bytes on a fresh connection, half-closes it, and collects whatever comes back until
 * the server closes it. Bounded: a server that neither answers nor closes counts as hung.
 */
function exchange(port: number, bytes: Buffer | string, options: { end?: boolean; limitMs?: number } = {}): Promise<Exchange> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const chunks: Buffer[] = [];
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      socket.destroy();
    }, options.limitMs ?? 5_000);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const statuses = [...text.matchAll(/(?:^|\r\n)HTTP\/\d\.\d (\d{3})/g)].map((match) => Number(match[1]));
      resolve({ statuses, text, hung });
    });
    socket.connect(port, '127.0.0.1', () => {
      socket.write(bytes, () => undefined);
      if (options.end ?? true) socket.end();
    });
  });
}

async function startServer(): Promise<{ loopback: LoopbackServer; port: number; host: string; consents: Consent[]; waiting: Promise<Consent> }> {
  const loopback = await startLoopbackServer({ hostname: '127.0.0.1', port: 0, path: PATH, state: STATE, scopes: ['https://www.googleapis.com/auth/gmail.send'] });
  const port = Number(new URL(loopback.redirectUri).port);
  const consents: Consent[] = [];
  const waiting = loopback.waitForCallback(new AbortController().signal);
  void waiting.then((consent) => consents.push(consent));
  return { loopback, port, host: `127.0.0.1:${port}`, consents, waiting };
}

function validRequest(host: string, code: string): string {
  return `GET ${PATH}?state=${STATE}&code=${code}&scope=https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fgmail.send HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: test\r\n\r\n`;
}

/** Opens a connection and leaves it open, idle or with a request cut short. */
function idleSocket(port: number, partial?: string): Promise<{ socket: Socket; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.on('error', () => undefined);
    socket.once('error', reject);
    socket.resume(); // read (and drop) whatever comes, so the end of the stream is seen
    socket.connect(port, '127.0.0.1', () => {
      if (partial) socket.write(partial);
      resolve({ socket, closed });
    });
  });
}

/** The first bytes a TLS client sends (a real ClientHello), captured from node:tls. */
let clientHello: Buffer;
beforeAll(async () => {
  const sink = createNetServer();
  const captured = new Promise<Buffer>((resolve) =>
    sink.on('connection', (socket) => socket.once('data', (chunk: Buffer) => {
      resolve(chunk);
      socket.destroy();
    })),
  );
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  const tls = tlsConnect({ host: '127.0.0.1', port: (sink.address() as AddressInfo).port, servername: 'localhost', rejectUnauthorized: false });
  tls.on('error', () => undefined);
  clientHello = await captured;
  tls.destroy();
  await new Promise((resolve) => sink.close(resolve));
});

// ---------------------------------------------------------------------------------------------
// Hostile traffic, generated
// ---------------------------------------------------------------------------------------------

interface Hostile {
  bytes: Buffer;
  /** Whether this request carries our real state (on a wrong path, method, Host, …). */
  carriesState: boolean;
}

function hostileArb(port: number): fc.Arbitrary<Hostile> {
  const host = `127.0.0.1:${port}`;
  const method = fc.oneof(
    { weight: 6, arbitrary: fc.constant('GET') },
    { weight: 3, arbitrary: fc.constantFrom('POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'PATCH', 'CONNECT', 'PRI', 'get', 'G\u00c9T', 'GET GET', '') },
    { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 10 }) },
  );
  const hostHeader = fc.oneof(
    { weight: 3, arbitrary: fc.constant([`Host: ${host}`]) },
    {
      weight: 4,
      arbitrary: fc.constantFrom(
        [`Host: evil.example:${port}`],
        [`Host: evil.example`],
        ['Host: 127.0.0.1'],
        [`Host: 127.0.0.1:${port + 1}`],
        [`Host: localhost.evil.example:${port}`],
        [`Host: 127.0.0.1:${port}.evil.example`],
        [`Host: 127.0.0.1:${port}@evil.example`],
        [`Host: LOCALHOST:${port}`],
        [`Host: [::1]:${port}`],
        [`Host: 2130706433:${port}`],
        ['Host:'],
        [],
        [`Host: evil.example:${port}`, `Host: ${host}`],
        [`Host: ${host}`, `Host: evil.example:${port}`],
        [`Host: ${host}, evil.example`],
        [`X-Forwarded-Host: ${host}`, `Host: evil.example`],
      ),
    },
  );
  const query = fc.oneof(
    fc.webQueryParameters(),
    fc.constantFrom('', 'state', 'state=', '%', '%zz', '%E0%A4', '%ff%fe', 'state=%', '&&&', '==', 'code=%00&state=%00', `state=${STATE}%`, `state=${STATE}&state=${STATE}&code=x`),
    fc.string({ unit: fc.constantFrom(...'%&=+;?#/abcs0Z\\'.split('')), maxLength: 200 }),
    fc.integer({ min: 1_000, max: 20_000 }).map((n) => 'code=' + 'A'.repeat(n) + `&state=x`),
  );
  const path = fc.oneof(
    fc.constantFrom(PATH, PATH + '/', PATH.toUpperCase(), '/', '/favicon.ico', '//evil.example' + PATH, '/\\evil.example' + PATH, '/./oauth2callback', '/x/..' + PATH, '/oauth2callback%2F', '/%6Fauth2callback', '*', `http://${host}${PATH}`, `http://evil.example${PATH}`, ''),
    fc.webPath(),
    fc.string({ unit: 'binary-ascii', maxLength: 40 }),
  );
  const version = fc.constantFrom('HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/0.9', 'HTTP/1.1 extra', 'http/1.1', '');
  const extraHeaders = fc.array(
    fc.oneof(
      fc.constantFrom('Connection: keep-alive', 'Connection: Upgrade', 'Upgrade: websocket', 'Expect: 100-continue', 'Expect: something', 'Content-Length: 5', 'Content-Length: -1', 'Content-Length: 99999999999', 'Transfer-Encoding: chunked', 'Transfer-Encoding: chunked, identity', 'Cookie: a=b', `Origin: http://evil.example`, 'X-Nul: a\u0000b', 'Bad Header', ': empty-name', 'X-Folded: a\r\n b'),
      fc.tuple(fc.string({ unit: 'binary-ascii', maxLength: 20 }), fc.string({ unit: 'binary-ascii', maxLength: 60 })).map(([name, value]) => `${name}: ${value}`),
    ),
    { maxLength: 5 },
  );
  const body = fc.oneof(fc.constant(''), fc.string({ unit: 'binary-ascii', maxLength: 100 }), fc.constant('0\r\n\r\n'), fc.constant('5\r\nhello\r\n0\r\n\r\n'));
  const eol = fc.constantFrom('\r\n', '\r\n', '\n', '\r');

  const httpish = fc
    .record({ method, path, query, version, hostHeader, extraHeaders, body, eol, questionMark: fc.boolean() })
    .map(({ method: m, path: p, query: q, version: v, hostHeader: h, extraHeaders: x, body: b, eol: e, questionMark }) => {
      const target = questionMark || q ? `${p}?${q}` : p;
      const text = `${m} ${target} ${v}${e}${[...h, ...x].join(e)}${e}${e}${b}`;
      return { bytes: Buffer.from(text, 'latin1'), carriesState: false };
    });

  /** The real state, with exactly one thing wrong: path, method, Host, a second state, no code. */
  const withState = fc
    .record({
      wrong: fc.constantFrom('path', 'method', 'host', 'duplicate', 'absolute', 'no-code', 'encoded-path'),
      path: fc.constantFrom(PATH + '/', '/' + PATH, '/\\evil.example' + PATH, '/x/..' + PATH, '/./oauth2callback', PATH.toUpperCase(), PATH + '%00', PATH + ';', '/oauth2callbac'),
      method: fc.constantFrom('POST', 'HEAD', 'PUT', 'OPTIONS', 'DELETE'),
      host: fc.constantFrom(`evil.example:${port}`, `attacker.test`, `127.0.0.1`, `127.0.0.1:${port + 1}`),
    })
    .map(({ wrong, path: p, method: m, host: h }) => {
      const query = `state=${STATE}&code=stolen`;
      const line = (target: string, verb = 'GET', hostValue = host) => `${verb} ${target} HTTP/1.1\r\nHost: ${hostValue}\r\n\r\n`;
      const text = {
        path: line(`${p}?${query}`),
        method: line(`${PATH}?${query}`, m),
        host: line(`${PATH}?${query}`, 'GET', h),
        duplicate: line(`${PATH}?${query}&state=${STATE}`),
        absolute: line(`http://${host}${PATH}?${query}`),
        'no-code': line(`${PATH}?state=${STATE}`),
        'encoded-path': line(`/oauth2%63allback?${query}`),
      }[wrong];
      return { bytes: Buffer.from(text, 'latin1'), carriesState: true };
    });

  const garbage = fc.uint8Array({ minLength: 1, maxLength: 2_000 }).map((bytes) => ({ bytes: Buffer.from(bytes), carriesState: false }));
  const protocols = fc.constantFrom(
    { bytes: clientHello, carriesState: false },
    { bytes: Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1'), carriesState: false },
    { bytes: Buffer.from('SSH-2.0-OpenSSH_9.6\r\n', 'latin1'), carriesState: false },
    { bytes: Buffer.from([0x05, 0x01, 0x00]), carriesState: false }, // SOCKS5 greeting
    { bytes: Buffer.from('\r\n\r\n\r\n', 'latin1'), carriesState: false },
    { bytes: Buffer.from(`GET ${PATH}?state=${STATE}&code=x HTTP/1.1\r\nHost: ${host}\r\nX: ${'a'.repeat(100_000)}\r\n\r\n`, 'latin1'), carriesState: true },
  );
  return fc.oneof({ weight: 10, arbitrary: httpish }, { weight: 4, arbitrary: withState }, { weight: 3, arbitrary: garbage }, { weight: 1, arbitrary: protocols });
}

describe('loopback server under hostile traffic', () => {
  it('survives thousands of hostile requests, accepts none of them, then takes the real callback once', async () => {
    const { loopback, port, host, consents, waiting } = await startServer();
    const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
    try {
      const requests = fc.sample(hostileArb(port), { numRuns: 2_500, seed });
      expect(requests.filter((request) => request.carriesState).length).toBeGreaterThan(200);
      const results = await pool(requests, 48, (request) => exchange(port, request.bytes));
      results.forEach((result, i) => {
        const what = `seed ${seed}, request ${i}: ${JSON.stringify(requests[i]?.bytes.toString('latin1').slice(0, 200))}`;
        expect(result.hung, `hung: ${what}`).toBe(false);
        const finals = result.statuses.filter((status) => status >= 200);
        for (const status of finals) expect([400, 404, 417, 421, 431], `answered ${status}: ${what}`).toContain(status);
        expect(result.text, what).not.toContain('You can close this tab');
      });
      // The traffic reached every refusal the handler has, not only the HTTP parser's.
      expect([...new Set(results.flatMap((result) => result.statuses))]).toEqual(expect.arrayContaining([400, 404, 421]));
      expect(consents, `seed ${seed}`).toEqual([]);
      expect(await isListening(port)).toBe(true);

      const real = await exchange(port, validRequest(host, 'the-real-code'));
      expect(real.statuses).toEqual([200]);
      expect(real.text).toContain('You can close this tab');
      expect(await waiting).toEqual({ kind: 'code', code: 'the-real-code', scopes: ['https://www.googleapis.com/auth/gmail.send'] });
      expect(await within(waitUntilClosed(port), 5_000, 'port closing')).toBe(false);
      expect(consents).toHaveLength(1);
    } finally {
      await loopback.close();
    }
  });

  it('a 100 KB header or request line gets 431 or a closed socket, not a hang', async () => {
    const { loopback, port, host, consents } = await startServer();
    try {
      const hugeHeader = `GET ${PATH}?state=${STATE}&code=x HTTP/1.1\r\nHost: ${host}\r\nCookie: ${'c'.repeat(100 * 1024)}\r\n\r\n`;
      const hugeLine = `GET ${PATH}?state=${STATE}&code=${'x'.repeat(100 * 1024)} HTTP/1.1\r\nHost: ${host}\r\n\r\n`;
      const manyHeaders = `GET ${PATH}?state=${STATE}&code=x HTTP/1.1\r\nHost: ${host}\r\n${'X-A: b\r\n'.repeat(20_000)}\r\n`;
      for (const request of [hugeHeader, hugeLine, manyHeaders]) {
        // Not half-closed: the server itself must end it.
        const result = await exchange(port, request, { end: false });
        expect(result.hung).toBe(false);
        expect(result.statuses.filter((status) => status !== 431)).toEqual([]);
      }
      // A large body to the callback path is not read into memory and does not count.
      const body = Buffer.alloc(8 * 1024 * 1024, 0x61);
      const post = await exchange(port, Buffer.concat([Buffer.from(`POST ${PATH}?state=${STATE}&code=x HTTP/1.1\r\nHost: ${host}\r\nContent-Length: ${body.length}\r\n\r\n`), body]));
      expect(post.hung).toBe(false);
      expect(post.statuses.filter((status) => status === 200)).toEqual([]);
      expect(consents).toEqual([]);
      expect(await isListening(port)).toBe(true);
    } finally {
      await loopback.close();
    }
  });

  it('a real TLS handshake against it fails cleanly and leaves it serving', async () => {
    const { loopback, port, host, waiting } = await startServer();
    try {
      const tls = tlsConnect({ host: '127.0.0.1', port, servername: 'localhost', rejectUnauthorized: false });
      const outcome = await within(
        new Promise<string>((resolve) => {
          tls.once('secureConnect', () => resolve('connected'));
          tls.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
        }),
        5_000,
        'TLS handshake ending',
      );
      tls.destroy();
      expect(outcome).not.toBe('connected');
      expect((await exchange(port, validRequest(host, 'after-tls'))).statuses).toEqual([200]);
      expect(await waiting).toMatchObject({ kind: 'code', code: 'after-tls' });
    } finally {
      await loopback.close();
    }
  });

  it('twenty valid callbacks at once: one success page, one delivered code', async () => {
    const { loopback, port, host, consents, waiting } = await startServer();
    try {
      const sockets = await Promise.all(Array.from({ length: 20 }, () => idleSocket(port)));
      const replies = sockets.map(
        ({ socket, closed }) =>
          new Promise<string>((resolve) => {
            let text = '';
            socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
            void closed.then(() => resolve(text));
          }),
      );
      sockets.forEach(({ socket }, i) => socket.write(validRequest(host, `code-${i}`)));
      const texts = await within(Promise.all(replies), 5_000, 'every connection closing');
      const winners = texts.flatMap((text, i) => (text.startsWith('HTTP/1.1 200') ? [i] : []));
      expect(winners).toHaveLength(1);
      expect(await waiting).toMatchObject({ kind: 'code', code: `code-${winners[0]}` });
      expect(consents).toHaveLength(1);
      expect(await isListening(port)).toBe(false);
    } finally {
      await loopback.close();
    }
  });

  it('pipelined valid callbacks on one connection deliver only the first', async () => {
    const { loopback, port, host, consents, waiting } = await startServer();
    try {
      const result = await exchange(port, validRequest(host, 'first') + validRequest(host, 'second') + validRequest(host, 'third'), { end: false });
      expect(result.hung).toBe(false);
      expect(result.statuses).toEqual([200]);
      expect(await waiting).toMatchObject({ kind: 'code', code: 'first' });
      expect(consents).toHaveLength(1);
    } finally {
      await loopback.close();
    }
  });

  it('closes promptly after success although idle and half-sent connections are open', async () => {
    const { loopback, port, host, consents, waiting } = await startServer();
    try {
      const idle = await Promise.all([
        ...Array.from({ length: 150 }, () => idleSocket(port)),
        ...Array.from({ length: 30 }, (_, i) => idleSocket(port, `GET ${PATH}?state=${STATE}&code=slow-${i} HTTP/1.1\r\nHost: ${host}\r\n`)),
        ...Array.from({ length: 20 }, () => idleSocket(port, `POST /x HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 1000\r\n\r\npartial`)),
      ]);
      // A kept-alive connection that already had its answer, still held open by the client.
      const keptAlive = await idleSocket(port, `GET /favicon.ico HTTP/1.1\r\nHost: ${host}\r\nConnection: keep-alive\r\n\r\n`);
      const real = await exchange(port, validRequest(host, 'real'));
      expect(real.statuses).toEqual([200]);
      expect(await waiting).toMatchObject({ kind: 'code', code: 'real' });
      await within(loopback.close(), 5_000, 'close()');
      await within(Promise.all([...idle, keptAlive].map((socket) => socket.closed)), 5_000, 'every idle connection being closed by the server');
      expect(await isListening(port)).toBe(false);
      expect(consents).toHaveLength(1);
    } finally {
      await loopback.close();
    }
  });
});

/** Resolves with whether the port still listens, once it has stopped (bounded by the caller). */
async function waitUntilClosed(port: number): Promise<boolean> {
  for (let i = 0; i < 200; i++) {
    if (!(await isListening(port))) return false;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Through the CLI
// ---------------------------------------------------------------------------------------------

describe('the CLI with connections left open to its loopback port', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());

  it('exits promptly after success with idle keep-alive sockets open', async () => {
    const workspace = makeWorkspace();
    try {
      workspace.file('credentials.json', JSON.stringify(emulator.credentialsFile()));
      const run = runInProcess(['mint', '--no-open', '-o', '-'], { cwd: workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: emulator.hostPort } });
      const url = await run.consentUrl();
      const redirect = redirectUriOf(url);
      const port = Number(redirect.port);
      const host = `127.0.0.1:${port}`;
      const idle = await Promise.all([
        ...Array.from({ length: 20 }, () => idleSocket(port)),
        ...Array.from({ length: 5 }, () => idleSocket(port, `GET ${redirect.pathname} HTTP/1.1\r\nHost: ${host}\r\n`)),
        idleSocket(port, `GET /favicon.ico HTTP/1.1\r\nHost: ${host}\r\nConnection: keep-alive\r\n\r\n`),
      ]);
      const page = await followConsent(url);
      expect(page.status).toBe(200);
      const result = await within(run.exit, 5_000, 'the CLI exiting');
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout).type).toBe('authorized_user');
      expect(await isListening(port)).toBe(false);
      await within(Promise.all(idle.map((socket) => socket.closed)), 5_000, 'idle connections closing');
      expect(emulator.received.filter((request) => request.path === '/token')).toHaveLength(1);
    } finally {
      workspace.cleanup();
    }
  });
});
