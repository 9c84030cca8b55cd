// What .ci/windows.mjs needs around the Windows processes: the emulator (run by the machine's
// Node: it stands in for Google, it is not what is tested), consent given through its form the way
// a browser submits it, and waiting for a line a Windows process wrote to its output file.
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { cliStart } from './wine.mjs';

/** Starts `gmail-token emulator` with consent on its page (no --auto-approve); resolves once it listens. */
export async function startEmulator(credentialsFile) {
  const child = spawn(process.execPath, [cliStart(), 'emulator', '--write-credentials', credentialsFile, '--force'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8');
  const hostPort = await new Promise((found, fail) => {
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const match = stdout.match(/^127\.0\.0\.1:\d+$/m);
      if (match) found(match[0]);
    });
    child.on('exit', (code) => fail(new Error(`the emulator exited ${code} before listening`)));
  });
  const stop = () => new Promise((done) => (child.exitCode === null ? child.once('exit', done).kill('SIGTERM') : done()));
  return { hostPort, stop };
}

/**
 * Waits until the Windows process's stdout or stderr holds `pattern`, and returns the match. The
 * output is a file (see wine.mjs), so it is read again every few milliseconds.
 */
export async function waitForOutput(run, pattern, timeoutMs = 15_000) {
  let exitCode;
  run.exit.then((code) => (exitCode = code));
  for (const end = Date.now() + timeoutMs; Date.now() < end; await sleep(25)) {
    const { stdout, stderr } = run.output();
    const match = (stdout + stderr).match(pattern);
    if (match) return match[0];
    if (exitCode !== undefined) throw new Error(`exited ${exitCode} before printing ${pattern}: ${stderr.trim()}`);
  }
  throw new Error(`printed no ${pattern} within ${timeoutMs} ms`);
}

/** The consent URL mint printed, answered as a person clicking Allow with every box ticked. */
export async function allowConsent(consentUrl) {
  const page = await fetch(consentUrl);
  const html = await page.text();
  const action = html.match(/<form method="post" action="([^"]+)"/)?.[1];
  const request = html.match(/name="request" value="([^"]+)"/)?.[1];
  if (page.status !== 200 || !action || !request) throw new Error(`no consent form (HTTP ${page.status})`);
  const form = new URLSearchParams({ request });
  for (const [, scope] of html.matchAll(/name="scope" value="([^"]+)" checked/g)) form.append('scope', scope);
  form.append('decision', 'allow');
  const decided = await fetch(new URL(action, consentUrl), { method: 'POST', body: form, redirect: 'manual' });
  const location = decided.headers.get('location');
  if (decided.status !== 302 || !location) throw new Error(`the form's Allow answered ${decided.status}, not a redirect`);
  const callback = await fetch(location);
  if (callback.status !== 200) throw new Error(`mint's loopback answered ${callback.status}: ${await callback.text()}`);
}

/** Messages the emulator's Gmail received, as its /emulator/v1/messages lists them. */
export async function receivedMessages(hostPort) {
  return (await fetch(`http://${hostPort}/emulator/v1/messages`)).json();
}
