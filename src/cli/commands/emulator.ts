import { resolve } from 'node:path';
import { ExitCode, UsageError } from '../../core/errors.js';
import { parsePort } from '../../core/args.js';
import { isLoopbackHost } from '../../core/mail-hosts.js';
import { startEmulator } from '../../emulator/index.js';
import { planOutput, writeFileAtomic } from '../../oauth/files.js';
import type { CliIo, CliSignal } from '../io.js';
import { renderFor } from '../render.js';
import { shown } from '../../core/terminal.js';
import { stopSignals } from '../signals.js';

export interface EmulatorCliOptions {
  port: string;
  smtpPort: string;
  imapPort: string;
  host: string;
  autoApprove: boolean;
  writeCredentials?: string;
  force: boolean;
}

/** The emulator hands out fake tokens to anyone who asks, so it only listens on loopback. */
function loopbackHost(host: string): string {
  if (isLoopbackHost(host)) return host;
  throw new UsageError(`--host ${shown(host)} is not a loopback address. The emulator listens only on 127.0.0.1, another 127.x address, ::1 or localhost.`);
}

function stopped(io: CliIo): Promise<CliSignal> {
  return new Promise((resolveSignal) => {
    const names = stopSignals(io.platform);
    const listeners = names.map((name) => () => {
      names.forEach((other, index) => io.offSignal(other, listeners[index] as () => void));
      resolveSignal(name);
    });
    names.forEach((name, index) => io.onSignal(name, listeners[index] as () => void));
  });
}

/** SPEC `emulator`: host:port on stdout, one line per request on stderr, stops on Ctrl-C. */
export async function runEmulator(options: EmulatorCliOptions, io: CliIo): Promise<ExitCode> {
  const { emit, say } = renderFor(io);
  const port = parsePort(options.port);
  const smtpPort = parsePort(options.smtpPort, '--smtp-port');
  const imapPort = parsePort(options.imapPort, '--imap-port');
  const host = loopbackHost(options.host);
  const credentialsPath = options.writeCredentials === undefined ? undefined : resolve(io.cwd, options.writeCredentials);
  if (credentialsPath) await planOutput(credentialsPath, { force: options.force, update: false, option: '--write-credentials' });
  const emulator = await startEmulator({
    host,
    port,
    smtpPort,
    imapPort,
    behaviour: { consent: options.autoApprove ? 'approve' : 'page' },
    log: (line) => say(line),
  }).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`Cannot listen on ${host} at ports ${port}, ${smtpPort} and ${imapPort} (${error.code ?? 'error'}). Pick other --port, --smtp-port or --imap-port values.`);
  });
  if (credentialsPath) await writeFileAtomic(credentialsPath, JSON.stringify(emulator.credentialsFile(), null, 2) + '\n');
  // Listening for the signals before saying how to stop: one sent as soon as the lines are read must not meet Node's default.
  const stop = stopped(io);
  await emit(emulator.hostPort + '\n');
  say(`gmail-token emulator listening on ${emulator.origin}`);
  say(`  export GMAIL_TOKEN_EMULATOR_HOST=${emulator.hostPort}`);
  say(`  SMTP (XOAUTH2; plain, or STARTTLS with a test-only certificate): ${emulator.smtpHostPort}`);
  say(`  export GMAIL_TOKEN_SMTP_HOST=${emulator.smtpHostPort}`);
  say(`  IMAP (XOAUTH2; plain, or STARTTLS with the same certificate): ${emulator.imapHostPort}`);
  say(`  export GMAIL_TOKEN_IMAP_HOST=${emulator.imapHostPort}`);
  say(`  the test-only certificate, for mail programs that insist on TLS: ${emulator.origin}/emulator/v1/tls-certificate.pem`);
  say(`  credentials.json for its Desktop client: ${credentialsPath ?? `${emulator.origin}/emulator/v1/credentials.json`}`);
  say(`  messages sent through it: ${emulator.origin}/emulator/v1/messages`);
  say('Press Ctrl-C to stop.');
  const signal = await stop;
  await emulator.close();
  say('Emulator stopped.');
  // Ctrl-C and Ctrl-Break come from a person (130); SIGTERM and SIGHUP from a service manager or a closed session.
  return signal === 'SIGINT' || signal === 'SIGBREAK' ? ExitCode.interrupted : ExitCode.ok;
}
