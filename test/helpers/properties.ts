import fc from 'fast-check';

/** Runs per property; a failing seed can be replayed with FC_SEED=<n> (the default is random, as fast-check intends). */
const seed = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);

export const runs = (numRuns: number) => ({ numRuns, ...(seed === undefined ? {} : { seed }) });

/** The alphabet of Google's secrets and tokens after their fixed prefixes. */
export const b64url = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'), minLength: 1, maxLength: 60 });
