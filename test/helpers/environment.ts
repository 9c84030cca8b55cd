/**
 * The environment a child CLI starts from: the test runner's, minus everything the CLI reads
 * (token and client variables, the emulator host, timeouts, DEBUG) and the CI markers that make
 * chalk drop colour, so a CI job's own settings cannot change what a test sees.
 */
export function childEnvironment(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!INHERITED_NOT.test(name)) env[name] = value;
  // The run's own temporary folder (test/helpers/global-temporary-folder.ts), unless a test gives one.
  if (process.env.GMAIL_TOKEN_TEST_TMPDIR) env.TMPDIR = process.env.GMAIL_TOKEN_TEST_TMPDIR;
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

const INHERITED_NOT = /^(GMAIL_|GOOGLE_|DEBUG$|NO_COLOR$|FORCE_COLOR$|CI$|CONTINUOUS_INTEGRATION$|TEAMCITY_VERSION$)/;
