// The Windows job: the built CLI (dist/, started where package.json's bin says) run by Node's
// official Windows build under Wine, so its `process.platform === 'win32'` paths run for real
// on every CI run. Each check prints one line; the last line counts them, and a failure exits 1.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { cliStart, setUpWine, startWindowsNode, windowsPath, NODE_WIN } from './wine.mjs';
import { allowConsent, receivedMessages, startEmulator, waitForOutput } from './windows-session.mjs';

const started = Date.now();
const wine = setUpWine();
process.on('exit', () => wine.stop());
const work = mkdtempSync(join(tmpdir(), 'gmail-token-windows-'));
const [ws, logs] = [join(work, 'ws'), join(work, 'logs')];
mkdirSync(ws);
mkdirSync(logs);
// Where a token rescued into the temp folder would go: %TEMP% is C:\users\<Unix user>\Temp.
const temp = join(wine.env.WINEPREFIX, 'drive_c', 'users', userInfo().username, 'Temp');
const tempBefore = readdirSync(temp);
console.log(`windows: ${NODE_WIN} under ${wine.wineVersion}, ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);

let passed = 0;
let failed = 0;
async function check(name, body) {
  try {
    await body();
    passed += 1;
    console.log(`  ok    ${name}`);
  } catch (error) {
    failed += 1;
    console.log(`  FAIL  ${name}: ${error.message}`);
  }
}
function expect(condition, message) {
  if (!condition) throw new Error(message);
}
/** What a failed run said last: the error, not the consent URL printed before it. */
const lastLine = (text) => text.trim().split('\n').at(-1);

const bin = windowsPath(cliStart());
const windowsNode = (label, args, env) => startWindowsNode(wine, { label, args, cwd: ws, logs, env });
let emulatorEnv = {};
const cli = (args) => windowsNode(`gmail-token-${args[0]}`, [bin, ...args], emulatorEnv);
async function finished(args, expectedCode = 0) {
  const run = cli(args);
  const code = await run.exit;
  const { stdout, stderr } = run.output();
  expect(code === expectedCode, `gmail-token ${args.join(' ')} exited ${code}, not ${expectedCode}: ${lastLine(stderr)}`);
  return { stdout, stderr };
}
async function mintWithConsent(args, beforeConsent = async () => {}) {
  const run = cli(['mint', '--no-open', ...args]);
  const consentUrl = await waitForOutput(run, /http:\/\/127\.0\.0\.1:\d+\/o\/oauth2\/v2\/auth\?\S+/);
  await beforeConsent();
  await allowConsent(consentUrl);
  const code = await run.exit;
  expect(code === 0, `mint exited ${code}: ${lastLine(run.output().stderr)}`);
}
const tokenFile = join(ws, 'token.json');
/**
 * Holds token.json open from a second Windows process (windows-holder.cjs); resolves once it is
 * held, to a function that waits for the release and checks the write came while it was held.
 */
async function holdTokenFile() {
  const lock = join(ws, '.token.json.gmail-token.lock');
  const holder = windowsNode('holder', [windowsPath('.ci/windows-holder.cjs'), windowsPath(tokenFile), windowsPath(lock), '10000']);
  await waitForOutput(holder, /held/);
  return async () => {
    await holder.exit;
    const said = holder.output().stdout;
    expect(/while the write waited/.test(said), `the other process ${said.trim().split('\n').at(-1)}`);
  };
}
const storedToken = () => JSON.parse(readFileSync(tokenFile, 'utf8'));
/** A fresh access token written back to token.json, with nothing said on stderr. */
async function accessTokenWrittenBack() {
  const { stdout, stderr } = await finished(['access-token', '--token-file', 'token.json', '--no-cache']);
  expect(stderr === '', `it said: ${lastLine(stderr)}`);
  expect(storedToken().token === stdout.trim(), 'token.json does not hold the access token printed');
}

await check('--version prints package.json version', async () => {
  const { stdout } = await finished(['--version']);
  const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
  expect(stdout.trim() === version, `printed ${stdout.trim()}`);
});
await check('demo --auto-approve', async () => {
  const { stderr } = await finished(['demo', '--auto-approve']);
  expect(/Every step behaved as it does against Google/.test(stderr), `stderr: ${stderr}`);
});

const emulator = await startEmulator(join(ws, 'credentials.json'));
emulatorEnv = { GMAIL_TOKEN_EMULATOR_HOST: emulator.hostPort };
try {
  await check("mint --no-open, consent through the emulator's form", async () => {
    await mintWithConsent([]);
    expect(storedToken().refresh_token, 'token.json holds no refresh_token');
  });
  await check('mint refuses an existing token.json (exit 2, untouched)', async () => {
    const before = readFileSync(tokenFile);
    await finished(['mint', '--no-open'], 2);
    expect(readFileSync(tokenFile).equals(before), 'token.json changed');
  });
  await check('check --send-test', async () => {
    await finished(['check', '--token-file', 'token.json', '--send-test', 'you@example.com']);
    const messages = await receivedMessages(emulator.hostPort);
    expect(JSON.stringify(messages).includes('you@example.com'), 'the emulator received no message to you@example.com');
  });
  await check('access-token writes the new token back', accessTokenWrittenBack);
  await check('access-token while another Windows process holds token.json open', async () => {
    const released = await holdTokenFile();
    await accessTokenWrittenBack();
    await released();
  });
  await check('mint --force while another Windows process holds token.json open', async () => {
    const before = storedToken().refresh_token;
    let released;
    await mintWithConsent(['--force'], async () => (released = await holdTokenFile()));
    await released();
    expect(storedToken().refresh_token !== before, 'token.json still holds the old refresh token');
  });
  await check('.env with a BOM and CRLF: updated, BOM and CRLF kept, new lines CRLF', async () => {
    const dotenv = join(ws, '.env');
    writeFileSync(dotenv, '\uFEFF# the app\'s settings\r\nDEBUG=1\r\n');
    await mintWithConsent(['--format', 'env', '--out', '.env']);
    const text = readFileSync(dotenv, 'utf8');
    expect(text.startsWith('\uFEFF# the app\'s settings\r\nDEBUG=1\r\n'), `the lines before changed: ${JSON.stringify(text.slice(0, 40))}`);
    expect(/\r\nGMAIL_API_REFRESH_TOKEN=\S+\r\n/.test(text), 'no GMAIL_API_REFRESH_TOKEN line ending in CRLF');
    expect(!/[^\r]\n/.test(text), 'a line ends in LF alone');
  });
  await check("a dead pid's lock is taken over", async () => {
    const exited = windowsNode('exited', ['-p', 'process.pid']);
    await exited.exit;
    const lock = join(ws, '.token.json.gmail-token.lock');
    writeFileSync(lock, exited.output().stdout.trim());
    await accessTokenWrittenBack();
    expect(!existsSync(lock), 'the lock is still there');
  });
  await check('revoke, then check exits 1', async () => {
    await finished(['revoke', '--token-file', 'token.json']);
    await finished(['check', '--token-file', 'token.json'], 1);
  });
  await check('Ctrl-C while mint waits for consent exits 130, writes nothing', async () => {
    const run = cli(['mint', '--no-open', '--out', 'interrupted.json']);
    await waitForOutput(run, /http:\/\/127\.0\.0\.1:\d+\/o\/oauth2\/v2\/auth\?\S+/);
    // Wine runs a Windows process's console control handlers with CTRL_C_EVENT when it gets SIGINT
    // (int_handler in dlls/ntdll/unix/signal_x86_64.c), as Windows does for Ctrl-C in its console;
    // node.exe's own process.kill(pid, 'SIGINT') would TerminateProcess it instead (libuv).
    run.child.kill('SIGINT');
    const code = await run.exit;
    expect(code === 130, `exited ${code}: ${lastLine(run.output().stderr)}`);
    expect(!existsSync(join(ws, 'interrupted.json')), 'interrupted.json was written');
  });
} finally {
  await emulator.stop();
}
await check('nothing left behind (*.tmp, *.rescued-*, locks, temp folder)', async () => {
  const left = readdirSync(ws).filter((name) => /\.tmp$|\.rescued-|\.lock$|\.stale$/.test(name));
  expect(left.length === 0, `left: ${left.join(', ')}`);
  const newInTemp = readdirSync(temp).filter((name) => !tempBefore.includes(name));
  expect(newInTemp.length === 0, `left in %TEMP%: ${newInTemp.join(', ')}`);
});

if (failed === 0) rmSync(work, { recursive: true, force: true });
else console.log(`windows: outputs kept in ${logs}`);
console.log(`windows: ${passed} passed, ${failed} failed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exitCode = failed === 0 ? 0 : 1;
