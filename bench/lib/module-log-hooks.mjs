/** Loader hooks for module-log.mjs: runs on Node's loader thread and logs each resolved URL. */
import { appendFileSync } from 'node:fs';

const log = process.env.BENCH_MODULE_LOG;

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  if (log && !result.url.startsWith('node:')) appendFileSync(log, `esm ${result.url}\n`);
  return result;
}
