import fc from 'fast-check';

/** Runs per property; a failing seed can be replayed with FC_SEED=<n> (the default is random, as fast-check intends). */
const seed = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);

/** `npm run mutation` caps the runs (FC_MAX_RUNS) and fixes the seed: each of its many reruns stays quick and gives the same verdict. */
const maxRuns = process.env.FC_MAX_RUNS === undefined ? Infinity : Number(process.env.FC_MAX_RUNS);

export const runs = (numRuns: number) => ({ numRuns: Math.min(numRuns, maxRuns), ...(seed === undefined ? {} : { seed }) });

/** The alphabet of Google's secrets and tokens after their fixed prefixes. */
export const b64url = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'), minLength: 1, maxLength: 60 });
