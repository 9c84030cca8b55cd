import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { parseLoginHint, parsePort, parseTimeout } from '../../core/args.js';
import { FlowError, InterruptedError } from '../../core/errors.js';
import { EMULATOR_HOST_VARIABLE, acceptedIssuers, foreignTokenWarning, resolveEndpoints } from '../../core/endpoints.js';
import { checkEnvOutput, defaultOut, parseEnvPrefix, parseFormat, type MintedToken } from '../../core/output.js';
import { refuseWideEncoding } from '../../core/encoding.js';
import { neutralise } from '../../core/terminal.js';
import { expandScopes } from '../../core/scopes.js';
import { parseKeepAction } from '../../core/keep-action.js';
import { loadClient } from '../../oauth/client-source.js';
import type { Delivery, Written } from '../../oauth/deliver.js';
import type { KeepEffects, Unwritten } from '../../oauth/keep-token.js';
import { planOutput, type OutputPlan } from '../../oauth/files.js';
import { httpPolicyFrom } from '../../oauth/google.js';
import { snapshot } from '../../oauth/snapshot.js';
import type { MintRequest } from '../../oauth/mint.js';
import { openInBrowser } from '../browser.js';
import { interruptOnSignals } from '../signals.js';
import type { CliIo } from '../io.js';
import { interactive, promptsFor } from '../prompts.js';
import { renderFor, type Render } from '../render.js';
import { fileProtection } from '../../core/file-protection.js';

export interface MintCliOptions {
  credentials?: string;
  clientId?: string;
  clientSecret?: string;
  scope?: string[];
  format: string;
  out?: string;
  envPrefix: string;
  force: boolean;
  port: string;
  open: boolean;
  manual: boolean;
  loginHint?: string;
  timeout: string;
  ifUnwritable?: string;
}

interface Destination extends Delivery {
  plan: OutputPlan | undefined;
}

/** SPEC flow step 1: every input is checked before the network or a browser is touched. */
async function prepare(options: MintCliOptions, io: CliIo): Promise<{ request: MintRequest; destination: Destination }> {
  const format = parseFormat(options.format);
  const prefix = parseEnvPrefix(options.envPrefix);
  const scopes = expandScopes(options.scope ?? []);
  const port = parsePort(options.port);
  const timeoutSeconds = parseTimeout(options.timeout);
  const loginHint = parseLoginHint(options.loginHint);
  const asking = interactive(io);
  const { askForCredentials, confirmOverwrite } = promptsFor(io);
  const ifUnwritable = parseKeepAction(options.ifUnwritable, asking);
  const { client, source } = await loadClient({ ...options, env: io.env, cwd: io.cwd, askForCredentials: asking ? askForCredentials : undefined });
  const emulatorHost = io.env[EMULATOR_HOST_VARIABLE];
  const endpoints = resolveEndpoints({ emulatorHost, authUri: client.authUri, tokenUri: client.tokenUri });
  const foreign = foreignTokenWarning(endpoints, emulatorHost, source, 'the client secret and the new refresh token go there');
  if (foreign) renderFor(io).warn(foreign);
  const out = options.out ?? defaultOut(format);
  const path = out === '-' ? undefined : resolve(io.cwd, out);
  const plan =
    path === undefined
      ? undefined
      : await planOutput(path, { force: options.force, update: format === 'env', confirmOverwrite: asking ? confirmOverwrite : undefined });
  const before = path !== undefined && (plan === 'update' || (plan === 'overwrite' && !options.force)) ? await snapshot(path) : undefined;
  if (format === 'env' && before) refuseWideEncoding(before.bytes, out);
  if (format === 'env') checkEnvOutput(client, prefix, before?.bytes);
  return {
    request: {
      client,
      clientSource: source,
      scopes,
      endpoints,
      issuers: acceptedIssuers(emulatorHost),
      port,
      loginHint,
      timeoutSeconds,
      openBrowser: options.open,
      manual: options.manual,
    },
    destination: { format, prefix, path, plan, force: options.force, before, ifUnwritable },
  };
}

/** What the keep policy needs about a token that may not reach its output. */
function unwrittenFor(io: CliIo, destination: Destination, token: MintedToken, request: MintRequest): Unwritten {
  const { format, prefix, path } = destination;
  // For stdout, "beside" is a new file in the current folder, named as keep-token names rescued
  // copies of the default outputs: token.rescued-….json or .env.rescued-… (shell lines included:
  // they are export lines a shell sources).
  const named = path ?? resolve(io.cwd, format === 'json' ? 'token.json' : '.env');
  return { token, format, prefix, path: named, shownAs: path === undefined ? 'stdout' : undefined, endpoints: request.endpoints };
}

/** os.tmpdir() reads the process's TMPDIR; the run's own comes first (the same on a real run). */
const temporaryFolder = (io: CliIo): string => (io.platform !== 'win32' && io.env.TMPDIR) || tmpdir();

/** A signal ends the rescue question at once: that token is then kept the non-interactive way. */
const keepEffects = (io: CliIo, { say, warn, emit }: Render, signal: AbortSignal): KeepEffects => ({
  askLine: (question) => promptsFor(io).askLine(question, signal),
  say,
  warn,
  emit,
  temporaryFolder: temporaryFolder(io),
  platform: io.platform,
});

function summarise({ paint, say, success, warn }: Render, io: CliIo, destination: Destination, token: MintedToken, out: string, written: Written | undefined): void {
  const where = destination.path === undefined ? 'stdout' : `${out} (${fileProtection(io.platform)}${written === 'updated' ? ', other lines kept' : ''})`;
  success(`Refresh token ${destination.path === undefined ? 'printed to' : 'written to'} ${where}.`);
  say(`  account: ${token.account || 'unknown (add the email scope to record it)'}`);
  say(`  scopes:  ${token.scopes.join(' ')}`);
  if (token.refreshTokenExpiry) {
    warn(
      `Google says this refresh token expires at ${token.refreshTokenExpiry.toISOString()}. Apps in "Testing" publishing status get 7-day tokens: publish the app on the OAuth consent screen to get lasting ones.`,
    );
  }
  say('', paint.dim(neutralise(`Next: ${nextStep(destination, out)}`)));
}

/** What confirms the token works, for where it actually went. */
function nextStep({ format, prefix, path }: Destination, out: string): string {
  const prefixFlag = prefix === 'GMAIL_API_' ? '' : ` --env-prefix ${prefix}`;
  if (format === 'json') {
    return path === undefined
      ? 'save it as token.json, then `gmail-token check` confirms it works.'
      : `\`gmail-token check --token-file ${out}\` confirms it works; keep the file out of version control.`;
  }
  if (format === 'env' && path !== undefined) return `\`gmail-token check --token-file ${out}${prefixFlag}\` confirms it works; keep the file out of version control.`;
  return `with these variables set, \`gmail-token check${prefixFlag}\` confirms the token works.`;
}

export async function runMint(options: MintCliOptions, io: CliIo): Promise<void> {
  const render = renderFor(io);
  const http = httpPolicyFrom(io.env);
  const { request, destination } = await prepare(options, io);
  // The flow's modules load only once every input is known to be good.
  const { mintToken } = await import('../../oauth/mint.js');
  const interruption = interruptOnSignals(io);
  const token = await mintToken(request, {
    openUrl: (url) => openInBrowser(io, url),
    readPasted: promptsFor(io).readPasted,
    tell: render.say,
    signal: interruption.signal,
    now: () => new Date(),
    http,
  });
  // Already loaded by the flow, which needed it for the code exchange.
  const { deliverToken, keepUnwrittenToken } = await import('../../oauth/after-consent.js');
  const unwritten = unwrittenFor(io, destination, token, request);
  interruption.holdToken(() => keepUnwrittenToken(new InterruptedError('the run was interrupted twice'), unwritten, 'beside', keepEffects(io, render, interruption.signal)));
  let written: Written | undefined;
  try {
    written = await deliverToken(destination, unwritten, keepEffects(io, render, interruption.signal));
  } catch (error) {
    if (interruption.signal.aborted && error instanceof FlowError) throw new InterruptedError(`Interrupted. ${error.message}`);
    throw error;
  }
  summarise(render, io, destination, token, options.out ?? defaultOut(destination.format), written);
  if (interruption.signal.aborted) throw new InterruptedError('Interrupted, after the refresh token was kept as shown above.');
}
