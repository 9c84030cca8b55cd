import { envEntries, envText, tokenJson, type MintedToken } from './output.js';

/** The demo's steps, in order, each with the command a person types for it against Google. */
export const DEMO_STEPS = {
  mint: 'gmail-token mint --scope gmail.send,email',
  send: 'gmail-token check --send-test you@example.com',
  accessToken: 'gmail-token access-token',
  revoke: 'gmail-token revoke',
  revokedCheck: 'gmail-token check',
} as const;

export type DemoStepId = keyof typeof DEMO_STEPS;

/** What each step is called on screen and in a failure: the command it stands for. */
export const DEMO_STEP_NAMES: Record<DemoStepId, string> = {
  mint: 'mint',
  send: 'check --send-test',
  accessToken: 'access-token',
  revoke: 'revoke',
  revokedCheck: 'check',
};

/** The test message goes to a reserved domain (RFC 2606), and only ever to the emulator. */
export const DEMO_RECIPIENT = 'someone@example.com';

/** The same scopes as the mint command shown for the step: email lets the check name the account. */
export const DEMO_SCOPES = ['gmail.send', 'email'];

/** The key that marks a token.json the demo kept; the real commands refuse such a file. */
export const DEMO_MARKER = 'gmail_token_demo';

const KEPT_NOTE =
  'Emulator token from `gmail-token demo`: it was revoked when the demo ended and works with no Google service. Mint a real one with `gmail-token mint`.';

/**
 * token.json as `mint` writes it, with a note in front. Its token_uri already names the demo's
 * emulator, which is gone once the demo ends, so a library that loads the file cannot send these
 * values to Google by mistake.
 */
export function keptTokenJson(token: MintedToken): string {
  const file = JSON.parse(tokenJson(token)) as Record<string, unknown>;
  return JSON.stringify({ [DEMO_MARKER]: KEPT_NOTE, ...file }, null, 2) + '\n';
}

/** .env as `mint -f env` writes it, after a comment that dotenv (and python-dotenv) skips. */
export function keptEnv(token: MintedToken): string {
  return `# ${KEPT_NOTE}\n${envText(envEntries('GMAIL_API_', token))}`;
}
