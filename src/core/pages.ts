/**
 * The two pages the loopback server shows in the person's browser. Self-contained (no external
 * assets), so they render offline and under the strict Content-Security-Policy in PAGE_HEADERS.
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
  :root { color-scheme: light dark; --accent: #1a73e8; --bad: #d93025; }
  body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0;
         display: grid; place-items: center; min-height: 100vh; background: Canvas; color: CanvasText; }
  main { max-width: 34rem; padding: 2rem 2.5rem; border: 1px solid color-mix(in srgb, CanvasText 15%, transparent);
         border-radius: 12px; }
  h1 { font-size: 1.4rem; margin: 0 0 .75rem; display: flex; gap: .6rem; align-items: center; }
  .mark { display: inline-grid; place-items: center; width: 2rem; height: 2rem; border-radius: 50%;
          color: white; font-size: 1.1rem; flex: none; }
  .ok .mark { background: var(--accent); } .bad .mark { background: var(--bad); }
  code { font: .9em ui-monospace, SFMono-Regular, Menlo, monospace; word-break: break-all; }
  ul { padding-left: 1.2rem; } li { margin: .2rem 0; }
  p.small { font-size: .875rem; opacity: .75; }`;

function page(kind: 'ok' | 'bad', title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)} · gmail-token</title><style>${STYLE}</style></head>
<body><main class="${kind}"><h1><span class="mark" aria-hidden="true">${kind === 'ok' ? '✓' : '!'}</span>${escapeHtml(title)}</h1>
${body}
<p class="small">gmail-token</p></main></body></html>
`;
}

export function successPage(scopes: readonly string[]): string {
  const items = scopes.map((scope) => `<li><code>${escapeHtml(scope)}</code></li>`).join('');
  return page(
    'ok',
    'You can close this tab',
    `<p>Access was granted. gmail-token has the code and is finishing in your terminal.</p>
<p>Scopes granted:</p><ul>${items || '<li>(none reported)</li>'}</ul>`,
  );
}

const ERROR_ADVICE: Record<string, string> = {
  access_denied: 'You declined, so no token was made. Run the command again and choose Allow to continue.',
  admin_policy_enforced: "Your Google Workspace admin does not allow this app. Ask them to allow the OAuth client, or use another account.",
  org_internal: 'This app is limited to its own organisation. Sign in with an account of that organisation.',
};

export function errorPage(error: string, description?: string): string {
  const advice = ERROR_ADVICE[error] ?? 'Check the terminal for what to do next, then run the command again.';
  const said = description ? `: ${escapeHtml(description)}` : '';
  return page(
    'bad',
    'No token was made',
    `<p>Google answered <code>${escapeHtml(error)}</code>${said}.</p><p>${escapeHtml(advice)}</p>
<p>You can close this tab.</p>`,
  );
}
