import { scopeMeaning } from './scopes.js';
import { ownEntry } from './own-entry.js';

/**
 * The two pages the loopback server shows in the person's browser. Self-contained (no external
 * assets), so they render offline and under the strict Content-Security-Policy in PAGE_HEADERS.
 * They never carry the code, a token or the client secret: only scope names and Google's error.
 */
export const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
} as const;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
  :root { color-scheme: light dark;
    --bg: #f6f8fa; --card: #fff; --text: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa;
    --ok: #1a7f37; --ok-bg: #dafbe1; --bad: #cf222e; --bad-bg: #ffebe9; }
  @media (prefers-color-scheme: dark) { :root {
    --bg: #0d1117; --card: #151b23; --text: #e6edf3; --muted: #9198a1; --line: #3d444d; --soft: #1c232c;
    --ok: #3fb950; --ok-bg: #12261e; --bad: #f85149; --bad-bg: #2d1517; } }
  * { box-sizing: border-box; }
  html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
  body { margin: 0; min-height: 100vh; display: flex; align-items: center; justify-content: center;
         padding: 2rem 1rem; background: var(--bg); color: var(--text);
         font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
  main { width: 100%; max-width: 36rem; background: var(--card); border: 1px solid var(--line);
         border-top: 4px solid var(--tone); border-radius: 12px; padding: 2rem 2.25rem 1.5rem;
         box-shadow: 0 1px 3px rgb(0 0 0 / 6%), 0 8px 24px rgb(0 0 0 / 5%); }
  .ok { --tone: var(--ok); --tone-bg: var(--ok-bg); } .bad { --tone: var(--bad); --tone-bg: var(--bad-bg); }
  header { display: flex; gap: 1rem; align-items: center; margin-bottom: 1.25rem; }
  .mark { flex: none; display: grid; place-items: center; width: 3rem; height: 3rem; border-radius: 50%;
          background: var(--tone-bg); color: var(--tone); font-size: 1.5rem; font-weight: 700; }
  .kicker { margin: 0; font-size: .8rem; font-weight: 600; letter-spacing: .05em; text-transform: uppercase; color: var(--tone); }
  h1 { margin: 0; font-size: 1.6rem; line-height: 1.2; }
  h2 { margin: 1.5rem 0 .5rem; font-size: 1rem; }
  p { margin: .6rem 0; }
  .lead { font-size: 1.125rem; font-weight: 500; }
  ul.scopes { list-style: none; margin: 0; padding: 0; border: 1px solid var(--line); border-radius: 8px; }
  ul.scopes li { padding: .6rem .9rem; border-top: 1px solid var(--line); }
  ul.scopes li:first-child { border-top: 0; }
  .meaning { display: block; }
  code { font: .85em/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
  ul.scopes code { color: var(--muted); }
  .next { margin-top: 1.25rem; padding: .9rem 1rem; border-radius: 8px; background: var(--soft); border-left: 4px solid var(--tone); }
  .next h2 { margin: 0 0 .25rem; }
  .next p { margin: .25rem 0; }
  .answer { color: var(--muted); font-size: .9rem; }
  .answer code { color: var(--text); background: var(--soft); border: 1px solid var(--line); border-radius: 4px; padding: 0 .3em; }
  footer { margin-top: 1.5rem; padding-top: .9rem; border-top: 1px solid var(--line); color: var(--muted); font-size: .8rem; }
  @media (max-width: 30rem) {
    body { padding: 1rem .75rem; align-items: flex-start; }
    main { padding: 1.5rem 1.25rem 1.25rem; }
    header { gap: .75rem; } .mark { width: 2.5rem; height: 2.5rem; font-size: 1.25rem; }
    h1 { font-size: 1.35rem; } .lead { font-size: 1.05rem; }
  }`;

function page(kind: 'ok' | 'bad', kicker: string, title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)} · gmail-token</title><style>${STYLE}</style></head>
<body><main class="${kind}">
<header><span class="mark" aria-hidden="true">${kind === 'ok' ? '✓' : '!'}</span>
<div><p class="kicker">${escapeHtml(kicker)}</p><h1>${escapeHtml(title)}</h1></div></header>
${body}
<footer>This page comes from gmail-token on your own computer, not from Google.</footer>
</main></body></html>
`;
}

function scopeItem(scope: string): string {
  const meaning = scopeMeaning(scope);
  return `<li>${meaning ? `<span class="meaning">${escapeHtml(meaning)}</span>` : ''}<code>${escapeHtml(scope)}</code></li>`;
}

export function successPage(scopes: readonly string[]): string {
  const items = scopes.map(scopeItem).join('');
  return page(
    'ok',
    'Consent received',
    'You can close this tab',
    `<p class="lead">Go back to your terminal: gmail-token finishes there.</p>
<p>It swaps the one-time code from Google for a refresh token, then says where it saved it, or what to fix.</p>
<h2>Google granted</h2>
<ul class="scopes">${items || '<li>No scopes were listed in Google’s answer.</li>'}</ul>`,
  );
}

/** Consent came back without some requested scopes: the terminal will refuse it, so say so here too. */
export function partialPage(granted: readonly string[], missing: readonly string[]): string {
  return page(
    'bad',
    'Permissions missing',
    'No token was made',
    `<p class="lead">Some permissions were left unticked on Google’s consent screen. gmail-token needs all of them, so it stops and saves nothing.</p>
<h2>Not granted</h2>
<ul class="scopes">${missing.map(scopeItem).join('')}</ul>
<div class="next"><h2>What to do next</h2><p>Run the same gmail-token command again and keep every permission ticked.</p><p>You can close this tab.</p></div>
<h2>Granted</h2>
<ul class="scopes">${granted.map(scopeItem).join('') || '<li>Nothing.</li>'}</ul>`,
  );
}

interface Advice {
  /** What happened, in plain words. */
  what: string;
  /** What to do next. */
  next: string;
}

const ERROR_ADVICE: Record<string, Advice> = {
  access_denied: {
    what: 'Access was denied on Google’s consent screen, so gmail-token stopped and saved nothing.',
    next: 'Run the same gmail-token command again and choose Allow, leaving every permission ticked.',
  },
  admin_policy_enforced: {
    what: 'Your Google Workspace administrator does not allow this app for your account, so gmail-token stopped and saved nothing.',
    next: 'Ask your administrator to trust this OAuth client in the Admin console’s API controls, or sign in with another account.',
  },
  org_internal: {
    what: 'This OAuth client is limited to accounts of its own Google Workspace organisation, so gmail-token stopped and saved nothing.',
    next: 'Sign in with an account of that organisation, or set the app’s user type to External on its OAuth consent screen.',
  },
};

const UNKNOWN_ERROR: Advice = {
  what: 'Google ended the sign-in with an error instead of a code, so gmail-token stopped and saved nothing.',
  next: 'Read the message in your terminal, fix what it names, then run the command again.',
};

export function errorPage(error: string, description?: string): string {
  const advice = ownEntry(ERROR_ADVICE, error) ?? UNKNOWN_ERROR;
  const said = description ? `: ${escapeHtml(description)}` : '';
  return page(
    'bad',
    'Sign-in stopped',
    'No token was made',
    `<p class="lead">${escapeHtml(advice.what)}</p>
<div class="next"><h2>What to do next</h2><p>${escapeHtml(advice.next)}</p><p>You can close this tab.</p></div>
<p class="answer">Google’s answer: <code>${escapeHtml(error)}</code>${said}</p>`,
  );
}
