/**
 * The one place commander is imported. The build bundles it into the CLI's own chunk, so --help,
 * --version and usage errors load one file of it and nothing else.
 */
export { Command, Option, CommanderError } from 'commander';
