/**
 * How the bench compares (issue 23): in every round each variant runs once, in a new random
 * order, so drift in machine load hits them alike; a ratio is taken inside each round, against
 * what ran in that same round (bare node included), and the median of those ratios is reported.
 */
import { median } from './common.js';

function shuffle(items) {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/**
 * Runs `once(variant)` for every variant in `warmup + runs` shuffled rounds (`beforeEach` before
 * each run, outside the timing). Returns the kept rounds (a Map of name → sample each) and the
 * first error of each variant that failed (a failed variant is not run again).
 */
export async function shuffledRounds(variants, { runs, warmup, once, beforeEach = () => undefined }) {
  const rounds = [];
  const errors = new Map();
  for (let round = 0; round < warmup + runs; round += 1) {
    const samples = new Map();
    for (const variant of shuffle(variants)) {
      if (errors.has(variant.name)) continue;
      await beforeEach(variant);
      try {
        samples.set(variant.name, await once(variant));
      } catch (error) {
        errors.set(variant.name, error);
      }
    }
    if (round >= warmup) rounds.push(samples);
  }
  return { rounds, errors };
}

/** Median over rounds of `value(sample)` of `name`. */
export function medianOf(rounds, name, value = (sample) => sample) {
  return median(rounds.filter((round) => round.has(name)).map((round) => value(round.get(name))));
}

/** Median over rounds of `value(name's sample) ÷ value(base's sample)`, both from the same round. */
export function ratioOf(rounds, name, base, value = (sample) => sample, baseValue = value) {
  return median(rounds.filter((round) => round.has(name) && round.has(base)).map((round) => value(round.get(name)) / baseValue(round.get(base))));
}

/** "met", or by how much a ratio or amount missed its limit (`atMost`: ≤; otherwise <). */
export function verdict(value, limit, { atMost = true, unit = '×' } = {}) {
  if (!Number.isFinite(value)) return { met: false, text: 'not measured' };
  const met = atMost ? value <= limit : value < limit;
  if (met) return { met, text: 'met' };
  const over = value - limit;
  const shown = unit === '×' ? `${over.toFixed(2)}×` : `${over.toFixed(1)} ${unit}`;
  return { met, text: `missed by ${shown} (${((over / limit) * 100).toFixed(0)}%)` };
}
