/**
 * Preload (`node --require`) used when GNU time is missing: writes this process's peak RSS in kB
 * (process.resourceUsage().maxRSS) to $BENCH_MAXRSS_FILE when it exits.
 */
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: loaded with --require, like local-auth itself */
const { appendFileSync } = require('node:fs');

const file = process.env.BENCH_MAXRSS_FILE;
if (file) process.on('exit', () => appendFileSync(file, `${process.resourceUsage().maxRSS}\n`));
