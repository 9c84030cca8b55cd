import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BrowserScript {
  /** Absolute path of the executable script, for $BROWSER. */
  path: string;
  /** The next URL the script was launched with. */
  nextUrl(timeoutMs: number): Promise<string>;
  close(): Promise<void>;
}

/**
 * A stand-in for a person's $BROWSER: an executable script that hands the URL it was launched
 * with to the test by POSTing it to a loopback server the test runs. Lets a test follow the CLI's
 * own browser-launch path (`open` → xdg-open → $BROWSER) on a machine with no display.
 */
export async function makeBrowserScript(): Promise<BrowserScript> {
  const received: string[] = [];
  const waiting: ((url: string) => void)[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      res.writeHead(204, { Connection: 'close' }).end();
      const resolve = waiting.shift();
      if (resolve) resolve(body);
      else received.push(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  // xdg-open splits $BROWSER on ':' and treats '%s' specially; a temp path has neither.
  const dir = mkdtempSync(join(tmpdir(), 'gmail-token-browser-'));
  const path = join(dir, 'fake-browser.mjs');
  writeFileSync(
    path,
    `#!${process.execPath}
// Launched by xdg-open as: fake-browser.mjs <url>
await fetch('http://127.0.0.1:${port}/opened', { method: 'POST', body: process.argv[2] ?? '' });
`,
  );
  chmodSync(path, 0o755);

  return {
    path,
    nextUrl: (timeoutMs) => {
      const ready = received.shift();
      if (ready !== undefined) return Promise.resolve(ready);
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(deliver), 1);
          reject(new Error(`$BROWSER (${path}) was not launched within ${timeoutMs} ms`));
        }, timeoutMs);
        const deliver = (url: string): void => {
          clearTimeout(timer);
          resolve(url);
        };
        waiting.push(deliver);
      });
    },
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
