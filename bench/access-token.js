/**
 * `access-token` with a fresh access token stored in token.json (issue 13), beside bare node and
 * beside the same call with --no-cache, which asks the token endpoint (the emulator on loopback
 * here, so with the real Google, tens of ms away, the saving is larger). Runs are interleaved.
 */
import { join } from 'node:path';
import { BIN, childEnv, median, playBrowser, timedRun } from './lib/common.js';

/** Mints a token.json in `work` through the CLI against the emulator; returns its path. */
async function mintTokenFile(emulator, credentialsPath, work) {
  const path = join(work, 'access-token-bench.json');
  const env = childEnv({ GMAIL_TOKEN_EMULATOR_HOST: emulator.hostPort });
  const run = await timedRun(process.execPath, [BIN, 'mint', '--no-open', '--force', '-c', credentialsPath, '-o', path], { env, onConsentUrl: playBrowser });
  if (run.code !== 0) throw new Error(`mint for the access-token rows exited ${run.code}: ${run.stderr.trim().slice(-200)}`);
  return path;
}

/** Medians (ms) of spawn-to-exit for node -e 0, access-token reusing the stored token, and --no-cache. */
export async function measureAccessToken({ emulator, credentialsPath, work, runs, warmup }) {
  const tokenFile = await mintTokenFile(emulator, credentialsPath, work);
  const env = childEnv({ GMAIL_TOKEN_EMULATOR_HOST: emulator.hostPort });
  const targets = [
    { name: 'node', args: ['-e', '0'] },
    { name: 'cached', args: [BIN, 'access-token', '--token-file', tokenFile] },
    { name: 'noCache', args: [BIN, 'access-token', '--no-cache', '--token-file', tokenFile] },
  ];
  const samples = Object.fromEntries(targets.map((target) => [target.name, []]));
  for (let round = 0; round < warmup + runs; round += 1) {
    for (let i = 0; i < targets.length; i += 1) {
      const target = targets[(i + round) % targets.length];
      const run = await timedRun(process.execPath, target.args, { env });
      if (run.code !== 0) throw new Error(`${target.args.slice(1).join(' ')} exited ${run.code}: ${run.stderr.trim().slice(-200)}`);
      if (round >= warmup) samples[target.name].push(run.wallMs);
    }
  }
  return Object.fromEntries(targets.map((target) => [target.name, median(samples[target.name])]));
}
