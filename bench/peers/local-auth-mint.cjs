/**
 * Peer (b): the same mint done with @google-cloud/local-auth, as its README shows.
 * Usage: node --require ./local-auth-preload.cjs local-auth-mint.cjs <credentials.json> <scope>...
 * Prints the token as JSON on stdout.
 */
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: loaded with --require, like local-auth itself */
const { authenticate } = require('@google-cloud/local-auth');

const [keyfilePath, ...scopes] = process.argv.slice(2);
authenticate({ keyfilePath, scopes }).then(
  (client) => process.stdout.write(`${JSON.stringify({ ...client.credentials, client_id: client._clientId })}\n`),
  (error) => {
    process.stderr.write(`local-auth failed: ${error && error.message}\n`);
    process.exitCode = 1;
  },
);
