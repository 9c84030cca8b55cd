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

/** Marks the token.json (a key) and the .env (a comment) that the demo kept; the real commands refuse both. */
export const DEMO_MARKER = 'gmail_token_demo';

const DEMO_ENV_COMMENT = `# ${DEMO_MARKER}: `;

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
  return `${DEMO_ENV_COMMENT}${KEPT_NOTE}\n${envText(envEntries('GMAIL_API_', token))}`;
}

export function isKeptEnv(text: string): boolean {
  return text.startsWith(DEMO_ENV_COMMENT);
}

export function keptByDemo(source: string, kind: 'token.json' | '.env'): string {
  // `mint -f env` updating the kept .env keeps its comment; the person can drop the line then.
  const after = kind === '.env' ? ' If a real token has since been written into it, delete its first line.' : '';
  return `${source} holds an emulator token kept by \`gmail-token demo\`; it works with nothing else. Mint a real one with \`gmail-token mint\`.${after}`;
}
