// The README's emulator session, run with the package as npm installed it from the tarball (one
// bundle, no dependencies), so anything bundling or packing broke in mint, check, access-token,
// revoke, demo or the emulator shows here before a user meets it.
// Usage: node installed-session.mjs <folder the tarball was installed into>
//    or: node installed-session.mjs --global   (after `npm install -g`, in a new temporary folder)
// The global package's start file is run by this Node: spawning npm's Windows shims
// (.cmd) needs a shell, and killing that shell would leave the emulator running. The workflow
// runs the shims themselves.
import { execSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliStart } from './wine.mjs';

const global = process.argv[2] === '--global';
const folder = global ? mkdtempSync(join(tmpdir(), 'gmail-token-session-')) : process.argv[2];
const [command, prefix] = global
  ? [process.execPath, [cliStart(join(execSync('npm root -g', { encoding: 'utf8' }).trim(), 'gmail-token'))]]
  : [join(folder, 'node_modules', '.bin', 'gmail-token'), []];

function run(args, env = {}) {
  const child = spawn(command, [...prefix, ...args], { cwd: folder, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (chunk) => (out.stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (out.stderr += chunk));
  const exit = new Promise((resolve) => child.on('close', (code) => resolve({ code, ...out })));
  const line = (pattern) =>
    new Promise((resolve, reject) => {
      const look = () => {
        const match = (out.stdout + out.stderr).match(pattern);
        if (match) resolve(match[0]);
      };
      child.stdout.on('data', look);
      child.stderr.on('data', look);
      exit.then(({ code }) => reject(new Error(`gmail-token ${args[0]} exited ${code} before ${pattern}:\n${out.stderr}`)));
    });
  return { child, exit, line };
}

async function expectExit(name, args, env) {
  const result = await run(args, env).exit;
  if (result.code !== 0) throw new Error(`gmail-token ${name} exited ${result.code}:\n${result.stderr}`);
  console.log(`installed gmail-token ${name}: ok`);
  return result;
}

const emulator = run(['emulator', '--auto-approve', '--write-credentials', 'credentials.json', '--force']);
try {
  const hostPort = await emulator.line(/^127\.0\.0\.1:\d+$/m);
  const env = { GMAIL_TOKEN_EMULATOR_HOST: hostPort };
  const mint = run(['mint', '--no-open', '--force'], env);
  // The browser's part: the emulator approves at once and redirects to the loopback callback.
  await fetch(await mint.line(/http:\/\/127\.0\.0\.1:\d+\/o\/oauth2\/v2\/auth\?\S+/));
  const minted = await mint.exit;
  if (minted.code !== 0) throw new Error(`gmail-token mint exited ${minted.code}:\n${minted.stderr}`);
  console.log('installed gmail-token mint: ok');
  await expectExit('check', ['check'], env);
  await expectExit('access-token', ['access-token'], env);
  await expectExit('revoke', ['revoke'], env);
} finally {
  emulator.child.kill('SIGTERM');
  await emulator.exit;
}

// The README's first command, as `npx gmail-token demo` runs it on a machine with no display.
await expectExit('demo', ['demo', '--auto-approve']);
if (global) rmSync(folder, { recursive: true, force: true });
