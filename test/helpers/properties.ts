/** Runs per property; a failing seed can be replayed with FC_SEED=<n> (the default is random, as fast-check intends). */
const seed = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);

export const runs = (numRuns: number) => ({ numRuns, ...(seed === undefined ? {} : { seed }) });
