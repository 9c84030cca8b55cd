// Preloaded into a CLI child by test/e2e/mint.timeout-gc.test.ts (node --expose-gc --require):
// collects garbage every 100 ms, so an object the flow needs but does not hold is gone quickly.
process.stderr.write('[test: global.gc() every 100 ms]\n');
setInterval(() => global.gc(), 100).unref();
