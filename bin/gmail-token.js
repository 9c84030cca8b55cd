#!/usr/bin/env node
// With DEBUG=gmail-token, stacks name src/ files through dist/'s source maps; a normal run loads none.
if ((process.env.DEBUG ?? '').split(',').some((name) => name.trim() === 'gmail-token')) process.setSourceMapsEnabled(true);
const { main } = await import('../dist/cli/main.js');

process.exit(await main(process.argv));
