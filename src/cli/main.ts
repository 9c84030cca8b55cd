import { ExitCode } from '../core/errors.js';
import { escapeControls } from '../core/terminal.js';
import { Command, CommanderError, Option } from './commander.js';
// Static, not lazy: every run ends here (--help and usage errors too), so it belongs in the start file.
import { ExitRequest, exitCodeFor } from './errors.js';
import { version } from './version.js';
import { processIo, type CliIo } from './io.js';

// Only commander loads at start (chalk too when there is an error to show); each command imports
// its own code when it runs, so --help, --version and usage errors stay close to bare node.

function tokenSourceOptions(command: Command): Command {
  return command
    .option('--token <value>', 'the token itself')
    .option('--token-file <file>', 'a token.json, or a .env holding <prefix>REFRESH_TOKEN (and the client), as mint writes them')
    .option('--env-prefix <prefix>', 'prefix of the env names', 'GMAIL_API_');
}

function mintCommand(io: CliIo): Command {
  return new Command('mint')
    .description('run the consent flow in a browser and write a refresh token')
    .option('-c, --credentials <file>', 'OAuth client JSON from Cloud Console (default: $GMAIL_TOKEN_CREDENTIALS or ./credentials.json)')
    .option('--client-id <id>', 'OAuth client id instead of a file (or $GOOGLE_CLIENT_ID)')
    .option('--client-secret <secret>', 'OAuth client secret instead of a file (or $GOOGLE_CLIENT_SECRET)')
    .option('-s, --scope <scope...>', 'scopes: short names or URLs, repeatable, comma/space separated (default: gmail.send)')
    .addOption(new Option('-f, --format <format>', 'what to output').choices(['json', 'env', 'shell']).default('json'))
    .option('-o, --out <file>', 'where to write it; - is stdout (default: token.json for json, - for env and shell)')
    .option('--env-prefix <prefix>', 'prefix of the env names', 'GMAIL_API_')
    .option('--force', 'overwrite an existing output file', false)
    .option('--port <n>', 'loopback port, 0 for any free one', '0')
    .option('--no-open', 'do not launch a browser; only print the URL')
    .option('--manual', 'for SSH and containers: print the URL, then read back the URL the browser was sent to (or its code)', false)
    .option('--login-hint <email>', 'pre-select this Google account')
    .option('--timeout <seconds>', 'give up waiting for consent after this long', '300')
    .option('--if-unwritable <action>', 'when the token cannot be written: ask, beside (a new file next to --out), stdout or revoke (default: ask on a terminal, else beside)')
    .action(async (options) => (await import('./commands/mint.js')).runMint(options, io));
}

function clientOptions(command: Command): Command {
  return command
    .option('-c, --credentials <file>', 'the OAuth client to use, overriding one stored with the token')
    .option('--client-id <id>', 'OAuth client id to use, overriding one stored with the token')
    .option('--client-secret <secret>', 'OAuth client secret to use, overriding one stored with the token');
}

function checkCommand(io: CliIo): Command {
  return clientOptions(tokenSourceOptions(new Command('check')))
    .description('check that a stored token still refreshes and can send mail')
    .option('--json', 'print the report as JSON on stdout', false)
    .option('--send-test <address>', 'also send a short test message to this address')
    .option('--smtp', "also log in to Gmail's SMTP with XOAUTH2 and out again, sending nothing ($GMAIL_TOKEN_SMTP_HOST to go elsewhere)", false)
    .option('--imap', "also log in to Gmail's IMAP with XOAUTH2 and out again ($GMAIL_TOKEN_IMAP_HOST to go elsewhere)", false)
    .action(async (options) => (await import('./commands/check.js')).runCheck(options, io));
}

function accessTokenCommand(io: CliIo): Command {
  return clientOptions(tokenSourceOptions(new Command('access-token')))
    .description('print a fresh access token (only the token) on stdout; from a token.json, reused while it has over a minute left')
    .option('--no-cache', 'always ask Google for a new access token (still saved to the token.json)')
    .action(async (options) => (await import('./commands/access-token.js')).runAccessToken(options, io));
}

function emulatorCommand(io: CliIo): Command {
  return new Command('emulator')
    .description("run a local stand-in for Google's OAuth and Gmail-send endpoints")
    .option('--port <n>', 'port to listen on, 0 for any free one', '0')
    .option('--smtp-port <n>', 'port of its SMTP (XOAUTH2), 0 for any free one', '0')
    .option('--imap-port <n>', 'port of its IMAP (XOAUTH2), 0 for any free one', '0')
    .option('--host <address>', 'loopback address to listen on', '127.0.0.1')
    .option('--auto-approve', 'grant consent at once instead of showing Allow and Deny', false)
    .option('--write-credentials <file>', "write a credentials.json for the emulator's Desktop client")
    .option('--force', 'overwrite the --write-credentials file', false)
    .action(async (options) => {
      const { runEmulator } = await import('./commands/emulator.js');
      throw new ExitRequest(await runEmulator(options, io));
    });
}

function revokeCommand(io: CliIo): Command {
  return tokenSourceOptions(new Command('revoke'))
    .description("revoke a token at Google: the app loses access to the account, so all its tokens from this client stop")
    .option('-y, --yes', 'do not ask first on a terminal (off a terminal it never asks)', false)
    .action(async (options) => (await import('./commands/revoke.js')).runRevoke(options, io));
}

function demoCommand(io: CliIo): Command {
  return new Command('demo')
    .description('see the whole job work (mint, check --send-test, access-token, revoke) on a built-in emulator: no Google account needed')
    .option('--auto-approve', 'give consent without a browser, even where one could open', false)
    .option('--keep <dir>', "keep the token.json and .env it made in this new or empty folder (emulator tokens)")
    .option('--timeout <seconds>', 'give up waiting for consent in the browser after this long', '300')
    .action(async (options) => (await import('./commands/demo.js')).runDemoCommand(options, io));
}

/**
 * commander's own `help <name>` prints the whole help on stderr, with no error line, for a name
 * that is no command: this one says which name is unknown, as `gmail-token <name>` does.
 */
function helpCommand(program: Command): Command {
  return new Command('help')
    .argument('[command]')
    .description('display help for command')
    .helpOption(false)
    .action((name?: string) => {
      if (name === undefined) program.help();
      const command = program.commands.find((candidate) => candidate.name() === name);
      if (!command) program.error(`error: unknown command '${name}'`, { exitCode: ExitCode.usage, code: 'commander.unknownCommand' });
      command.help();
    });
}

/** The pointer to --help goes on the error's own line: a usage error is one line (SPEC). */
const USAGE_HINT = ' (run gmail-token --help for usage)';

export function buildProgram(io: CliIo = processIo()): Command {
  const program = new Command('gmail-token')
    .description('Mint, check and revoke Gmail OAuth refresh tokens with the loopback flow.')
    .version(version(), '-V, --version')
    .helpCommand(false)
    .exitOverride()
    .addCommand(mintCommand(io))
    .addCommand(revokeCommand(io))
    .addCommand(checkCommand(io))
    .addCommand(accessTokenCommand(io))
    .addCommand(emulatorCommand(io))
    .addCommand(demoCommand(io));
  program.addCommand(helpCommand(program));
  // commander quotes what was typed (an unknown option, a bad choice): escaped, like our own errors.
  const output = {
    writeOut: (text: string) => void io.stdout.write(text),
    writeErr: (text: string) => void io.stderr.write(text),
    outputError: (text: string, write: (text: string) => void) => write(text.split('\n').map(escapeControls).join('\n')),
    // commander's defaults read process.stdout and process.env: the run's own streams instead.
    getOutHelpWidth: () => (io.isTTY.stdout && (io.stdout as { columns?: number }).columns) || 80,
    getErrHelpWidth: () => (io.isTTY.stderr && (io.stderr as { columns?: number }).columns) || 80,
    // The help is never painted.
    getOutHasColors: () => false,
    getErrHasColors: () => false,
  };
  for (const command of program.commands) command.exitOverride().configureOutput(output);
  program.configureOutput({ ...output, outputError: (text, write) => output.outputError(text.replace('\n', `${USAGE_HINT}\n`), write) });
  return program;
}

export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  try {
    await buildProgram(io).parseAsync(argv);
    return 0;
  } catch (error) {
    // commander has printed its own message; help and version are successes. Here, not in
    // exitCodeFor, which commands' files share: they need no copy of commander.
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    return exitCodeFor(error, io);
  }
}
