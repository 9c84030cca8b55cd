/**
 * `access-token` with a fresh access token stored in token.json (issue 13), beside bare node and
 * beside the same call with --no-cache, which asks the token endpoint (the emulator on loopback
 * here, so with the real Google, tens of ms away, the saving is larger). Shuffled rounds.
 */
import { join } from 'node:path';
import { BIN, childEnv, playBrowser, timedRun } from './lib/common.js';
import { medianOf, ratioOf, shuffledRounds } from './lib/rounds.js';

/** Mints a token.json in `work` through the CLI against the emulator; returns its path. */
async function mintTokenFile(emulator, credentialsPath, work) {
  const path = join(work, 'access-token-bench.json');
  const env = childEnv({ GMAIL_TOKEN_EMULATOR_HOST: emulator.hostPort });
  const run = await timedRun(process.execPath, [BIN, 'mint', '--no-open', '--force', '-c', credentialsPath, '-o', path], { env, onConsentUrl: playBrowser });
  if (run.code !== 0) throw new Error(`mint for the access-token rows exited ${run.code}: ${run.stderr.trim().slice(-200)}`);
  return path;
}

/** Medians (ms) of spawn-to-exit for node -e 0, access-token reusing the stored token, and --no-cache; and the per-round ratio of the first two. */
export async function measureAccessToken({ emulator, credentialsPath, work, runs, warmup }) {
  const tokenFile = await mintTokenFile(emulator, credentialsPath, work);
  const env = childEnv({ GMAIL_TOKEN_EMULATOR_HOST: emulator.hostPort });
  const variants = [
    { name: 'node', args: ['-e', '0'] },
    { name: 'cached', args: [BIN, 'access-token', '--token-file', tokenFile] },
    { name: 'noCache', args: [BIN, 'access-token', '--no-cache', '--token-file', tokenFile] },
  ];
  const { rounds, errors } = await shuffledRounds(variants, {
    runs,
    warmup,
    once: async (variant) => {
      const run = await timedRun(process.execPath, variant.args, { env });
      if (run.code !== 0) throw new Error(`${variant.args.slice(1).join(' ')} exited ${run.code}: ${run.stderr.trim().slice(-200)}`);
      return run.wallMs;
    },
  });
  if (errors.size > 0) throw [...errors.values()][0];
  return { node: medianOf(rounds, 'node'), cached: medianOf(rounds, 'cached'), noCache: medianOf(rounds, 'noCache'), cachedRatio: ratioOf(rounds, 'cached', 'node') };
}
