/**
 * Preload (`node --import ./bench/lib/module-log.mjs …`) that records every module a process
 * loads, into the file named by $BENCH_MODULE_LOG, one line each:
 *   esm <url>      every ES module specifier resolved (from a resolve hook on the loader thread)
 *   cjs <path>     every CommonJS file loaded (require, or import of a CommonJS package)
 *   mark <text>    the moment the consent URL was written to stderr
 * Lines are appended synchronously, so their order in the file is the order things happened.
 */
import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';

const log = process.env.BENCH_MODULE_LOG;
if (log) {
  const note = (line) => appendFileSync(log, `${line}\n`);
  register('./module-log-hooks.mjs', import.meta.url);

  const load = Module._load;
  Module._load = function loggedLoad(request, parent, isMain) {
    const before = new Set(Object.keys(Module._cache));
    const exported = load.call(this, request, parent, isMain);
    for (const file of Object.keys(Module._cache)) if (!before.has(file)) note(`cjs ${file}`);
    return exported;
  };

  const write = process.stderr.write;
  process.stderr.write = function markedWrite(chunk, ...rest) {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (/^https?:\/\/\S+\/o\/oauth2\/\S+$/m.test(text)) note('mark consent URL printed');
    return write.call(this, chunk, ...rest);
  };
  process.on('exit', () => {
    for (const file of Object.keys(Module._cache)) note(`cjs-at-exit ${file}`);
  });
}
