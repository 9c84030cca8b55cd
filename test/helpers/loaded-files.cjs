/**
 * Preload (`node --require`) that lists, into $LOADED_FILES_LOG, each CommonJS file the process
 * loaded, in order, with a `-- consent URL` line when the consent URL reaches stderr and
 * `-- exit` at the end: what the start path and mint read before the person can act (issue 23).
 */
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: it watches require.cache */
const { appendFileSync } = require('node:fs');

const log = process.env.LOADED_FILES_LOG;
const listed = new Set();
const note = (mark) => {
  for (const file of Object.keys(require.cache)) {
    if (listed.has(file)) continue;
    listed.add(file);
    appendFileSync(log, `${file}\n`);
  }
  appendFileSync(log, `-- ${mark}\n`);
};
const write = process.stderr.write;
process.stderr.write = function noteConsentUrl(chunk, ...rest) {
  if (/\/o\/oauth2\/\S+\n/.test(String(chunk))) note('consent URL');
  return write.call(this, chunk, ...rest);
};
process.on('exit', () => note('exit'));
