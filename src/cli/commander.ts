import { createRequire } from 'node:module';

/**
 * commander is CommonJS; importing it as ESM goes through its esm.mjs wrapper and Node's CJS
 * export scan, which costs every start about 14 ms on Node 20 (bench/). Requiring it directly
 * keeps --help and --version close to bare node; the types are the same.
 */
const commander = createRequire(import.meta.url)('commander') as typeof import('commander');

export const { Command, Option, CommanderError } = commander;
export type Command = import('commander').Command;
