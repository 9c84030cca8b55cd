#!/usr/bin/env node
/**
 * The package's bin, built into one CommonJS file with the argument parser, help and usage errors
 * (issue 23): Node 20 spends about 11 ms starting its ES module loader before an ES module's
 * first line, and a CommonJS file skips that. The argument parser runs only when there are
 * arguments to parse, so a bare --version reads package.json and nothing else.
 */
import { closeHungUpTerminalsAtExit } from './hang-up.js';
import { version } from './version.js';

process.once('exit', closeHungUpTerminalsAtExit());

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${version()}\n`);
} else {
  void import('./main.js')
    .then(({ main }) => main(process.argv))
    .then((code) => process.exit(code));
}
