/**
 * Start-up (issue 23): bare node, --help, --version and a usage error, in shuffled rounds on one
 * Node; each ratio against the bare node of the same round.
 */
import { BIN, timedRun } from './common.js';
import { medianOf, ratioOf, shuffledRounds, verdict } from './rounds.js';
import { ms } from './table.js';

/** Issue 23's targets, × bare node. */
export const STARTUP_TARGETS = { help: 1.7, version: 1.35, usage: 1.7 };

export async function startup(table, node, { runs, warmup }, progress) {
  progress(`${node.label} start-up: ${warmup} warm-up + ${runs} shuffled rounds of node -e 0, --help, --version, a usage error`);
  const variants = [
    { name: 'node', args: ['-e', '0'], code: 0 },
    { name: 'help', args: [BIN, '--help'], code: 0 },
    { name: 'version', args: [BIN, '--version'], code: 0 },
    { name: 'usage', args: [BIN, 'mint', '--format', 'xml'], code: 2 },
  ];
  const { rounds, errors } = await shuffledRounds(variants, {
    runs,
    warmup,
    once: async (variant) => {
      const run = await timedRun(node.path, variant.args);
      if (run.code !== variant.code) throw new Error(`exited ${run.code}, expected ${variant.code}: ${run.stderr.trim().slice(0, 200)}`);
      return run.wallMs;
    },
  });
  table.section(`${node.label}: start-up wall time (spawn to exit; medians of ${runs} rounds after ${warmup} warm-ups)`);
  if (errors.has('node')) return table.failed('bare node', errors.get('node'));
  const bare = medianOf(rounds, 'node');
  table.row('bare node (node -e 0)', ms(bare), 'baseline');
  for (const [name, label] of [
    ['help', 'gmail-token --help'],
    ['version', 'gmail-token --version'],
    ['usage', 'usage error (mint --format xml)'],
  ]) {
    if (errors.has(name)) {
      table.failed(label, errors.get(name));
      continue;
    }
    const ratio = ratioOf(rounds, name, 'node');
    table.row(label, ms(medianOf(rounds, name)), `node -e 0: ${ms(bare)}`, ratio, `≤ ${STARTUP_TARGETS[name].toFixed(2)}×`, verdict(ratio, STARTUP_TARGETS[name]));
  }
}
