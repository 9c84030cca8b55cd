#!/usr/bin/env node
/**
 * `node bench/dotenv-linear.js` (issue 11): how the cost of reading and updating a .env grows with
 * its size, for the shapes that made dotenv's regex scan quadratic. For each shape it times
 * mergeDotenv (which reads the file several times) on N and on 4N bytes and prints the ratio:
 * about 4 is linear, about 16 quadratic. Needs `npm run build` first. BENCH_DOTENV_KB sets N (64).
 */
import { performance } from 'node:perf_hooks';
import { mergeDotenv } from '../dist/core/dotenv.js';

const size = 1024 * (Number(process.env.BENCH_DOTENV_KB) || 64);
const shapes = {
  'blank lines, then "!"': (n) => '\n'.repeat(n) + '!',
  'names without a value': (n) => 'A\n'.repeat(n / 2),
  'assignments with empty values': (n) => 'A=\n'.repeat(n / 3),
  'an unclosed quote of escaped quotes': (n) => "A='" + "\\'".repeat(n / 2),
  'U+2028 lines starting with a quote': (n) => 'A=x' + '\u2028"'.repeat(n / 2),
};
const entries = [['GMAIL_API_CLIENT_ID', 'id'], ['GMAIL_API_CLIENT_SECRET', 'secret'], ['GMAIL_API_REFRESH_TOKEN', '1//0token']];

function fastest(text, runs = 5) {
  const bytes = Buffer.from(text);
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    try {
      mergeDotenv(bytes, entries);
    } catch {
      // A file that cannot be updated is refused after the same reading: the time still counts.
    }
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

console.log(`| shape | ${size / 1024} KB ms | ${(4 * size) / 1024} KB ms | ratio (4 linear, 16 quadratic) |`);
console.log('| --- | --- | --- | --- |');
for (const [name, make] of Object.entries(shapes)) {
  const small = fastest(make(size));
  const large = fastest(make(4 * size));
  console.log(`| ${name} | ${small.toFixed(1)} | ${large.toFixed(1)} | ${(large / small).toFixed(1)} |`);
}
