import { isPresent, PROGRAMS } from '../tools/system-programs.mjs';

export type Program = keyof typeof PROGRAMS;

/**
 * True when a test that runs `programs` should skip because one is missing here. For vitest's
 * skipIf: `it.skipIf(lacks('msmtp'))(...)`; npm's pretest (test/tools/system-deps.mjs) names what
 * is missing and how to install it. Under CI a missing program fails the file at once instead, so
 * CI cannot pass by skipping.
 */
export function lacks(...programs: Program[]): boolean {
  const missing = programs.filter((program) => !isPresent(program));
  if (missing.length > 0 && process.env.CI) {
    const packages = missing.flatMap((program) => PROGRAMS[program].packages).join(' ');
    throw new Error(`${missing.join(', ')} missing, and CI must not skip its tests: apt-get install -y ${packages}`);
  }
  return missing.length > 0;
}
