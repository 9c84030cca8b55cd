import type { Reply } from './http.js';

export const DECISION_PATH = '/o/oauth2/v2/auth/decision';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

const STYLE = `
body{font-family:system-ui,sans-serif;background:#f1f3f4;margin:0;color:#202124}
main{max-width:34rem;margin:3rem auto;background:#fff;border:1px solid #dadce0;border-radius:8px;padding:2rem}
h1{font-size:1.4rem;font-weight:400}.note{font-size:.85rem;color:#5f6368}
code{word-break:break-all}ul{list-style:none;padding:0}li{margin:.5rem 0}
.actions{display:flex;gap:1rem;justify-content:flex-end;margin-top:1.5rem}
button{font:inherit;padding:.5rem 1.5rem;border-radius:4px;border:1px solid #dadce0;background:#fff;cursor:pointer}
button[value=allow]{background:#1a73e8;color:#fff;border-color:#1a73e8}
.error{color:#d93025;font-weight:500}`;

function layout(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>
<p class="note">gmail-token emulator: a local stand-in for Google sign-in. Nothing here reaches Google.</p>
${body}
</main></body></html>
`;
}

/**
 * Google's consent-screen error page. Callers pass only public values (client id, redirect URI,
 * scope names): never a secret, since the page is shown in a browser and may be screenshotted.
 */
export function errorPage(
  status: number,
  error: string,
  headline: string,
  description: string,
  details: Record<string, string> = {},
): Reply {
  const rows = Object.entries(details)
    .map(([key, value]) => `<li><code>${escapeHtml(key)}=${escapeHtml(value)}</code></li>`)
    .join('');
  const body = `<h1>${escapeHtml(headline)}</h1>
<p>${escapeHtml(description)}</p>
<p class="error">Error ${status}: ${escapeHtml(error)}</p>
${rows ? `<p>Request details:</p><ul>${rows}</ul>` : ''}`;
  return { kind: 'html', status, html: layout(`Error ${status}: ${error}`, body) };
}

export interface ConsentPageInput {
  requestId: string;
  clientId: string;
  account: string;
  scopes: readonly string[];
  redirectUri: string;
}

/** CSP host-sources cannot spell an IPv6 literal, so [::1] falls back to the http: scheme. */
function formActionSource(redirectUri: string): string {
  const url = new URL(redirectUri);
  return url.hostname.startsWith('[') ? 'http:' : url.origin;
}

export function consentPage(input: ConsentPageInput): Reply {
  const boxes = input.scopes
    .map((scope) => `<li><label><input type="checkbox" name="scope" value="${escapeHtml(scope)}" checked> ${escapeHtml(scope)}</label></li>`)
    .join('\n');
  const body = `<h1>gmail-token emulator wants to access your Google Account</h1>
<p>Signed in as <strong>${escapeHtml(input.account)}</strong></p>
<p>OAuth client: <code>${escapeHtml(input.clientId)}</code></p>
<form method="post" action="${DECISION_PATH}">
<input type="hidden" name="request" value="${escapeHtml(input.requestId)}">
<fieldset><legend>Select what the app can access</legend>
<ul>
${boxes}
</ul></fieldset>
<div class="actions"><button type="submit" name="decision" value="deny">Deny</button>
<button type="submit" name="decision" value="allow">Allow</button></div>
</form>`;
  // The decision answers with a redirect to the app, and browsers hold redirects to form-action too.
  const csp = `default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; form-action 'self' ${formActionSource(input.redirectUri)}`;
  return {
    kind: 'html',
    status: 200,
    html: layout('Sign in - gmail-token emulator', body),
    headers: { 'Content-Security-Policy': csp },
  };
}
