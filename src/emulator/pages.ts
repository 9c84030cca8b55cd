import type { Reply } from './http.js';
import { escapeHtml } from '../core/pages.js';
import { scopeMeaning } from '../core/scopes.js';

export const DECISION_PATH = '/o/oauth2/v2/auth/decision';

const STYLE = `
:root{color-scheme:light}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;background:#f0f4f9;margin:0;color:#1f1f1f;padding:2.5rem 1rem}
main{max-width:36rem;margin:0 auto;background:#fff;border-radius:16px;padding:2rem 2.25rem;box-shadow:0 1px 2px rgb(60 64 67/30%),0 2px 6px 2px rgb(60 64 67/15%)}
.note{display:flex;gap:.6rem;align-items:baseline;margin:0 0 1.25rem;font-size:.85rem;color:#5f6368}
.badge{flex:none;font-size:.7rem;font-weight:600;letter-spacing:.05em;text-transform:uppercase;color:#8a4b00;background:#fef3d6;border:1px solid #f5d48a;border-radius:999px;padding:.05rem .55rem}
h1{font-size:1.5rem;line-height:1.25;font-weight:400;margin:0 0 1rem}
.account{display:inline-flex;gap:.5rem;align-items:center;margin:0 0 .5rem;padding:.2rem .8rem .2rem .25rem;border:1px solid #dadce0;border-radius:999px;font-size:.9rem}
.avatar{display:grid;place-items:center;width:1.6rem;height:1.6rem;border-radius:50%;background:#1a73e8;color:#fff;font-weight:600;font-size:.85rem}
.client{margin:.25rem 0 1.25rem;font-size:.9rem;color:#444746}
code{font:.85em/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere;color:#5f6368}
fieldset{border:0;margin:0;padding:0;min-width:0}
legend{padding:0;margin-bottom:.5rem;font-weight:500}
ul{list-style:none;padding:0;margin:0;border-top:1px solid #e3e3e3}
li{border-bottom:1px solid #e3e3e3}
label{display:flex;gap:.85rem;align-items:flex-start;padding:.75rem .25rem;cursor:pointer}
input[type=checkbox]{flex:none;width:1.15rem;height:1.15rem;margin:.2rem 0 0;accent-color:#0b57d0}
.meaning{display:block}
.hint{font-size:.85rem;color:#5f6368;margin:1rem 0 0}
.actions{display:flex;gap:.75rem;justify-content:flex-end;margin-top:1.5rem}
button{font:inherit;font-weight:500;padding:.55rem 1.6rem;border-radius:999px;border:1px solid #747775;background:#fff;color:#0b57d0;cursor:pointer}
button[value=allow]{background:#0b57d0;color:#fff;border-color:#0b57d0}
button:focus-visible{outline:3px solid #a8c7fa;outline-offset:2px}
.error{color:#b3261e;font-weight:500}
.details{font-size:.9rem}.details li{padding:.4rem 0}
@media (max-width:30rem){body{padding:1rem .75rem}main{padding:1.5rem 1.25rem}h1{font-size:1.3rem}.actions button{flex:1}}`;

function layout(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>
<p class="note"><span class="badge">Emulator</span><span>gmail-token emulator: a local stand-in for Google sign-in. Nothing here reaches Google.</span></p>
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
${rows ? `<p>Request details:</p><ul class="details">${rows}</ul>` : ''}`;
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

function scopeBox(scope: string): string {
  const meaning = scopeMeaning(scope);
  const text = `${meaning ? `<span class="meaning">${escapeHtml(meaning)}</span>` : ''}<code>${escapeHtml(scope)}</code>`;
  return `<li><label><input type="checkbox" name="scope" value="${escapeHtml(scope)}" checked> <span>${text}</span></label></li>`;
}

export function consentPage(input: ConsentPageInput): Reply {
  const boxes = input.scopes.map(scopeBox).join('\n');
  const initial = escapeHtml((input.account.trim()[0] ?? '?').toUpperCase());
  const body = `<h1>gmail-token emulator wants to access your Google Account</h1>
<p class="account"><span class="avatar" aria-hidden="true">${initial}</span><span>Signed in as <strong>${escapeHtml(input.account)}</strong></span></p>
<p class="client">OAuth client: <code>${escapeHtml(input.clientId)}</code></p>
<form method="post" action="${DECISION_PATH}">
<input type="hidden" name="request" value="${escapeHtml(input.requestId)}">
<fieldset><legend>Select what the app can access</legend>
<ul>
${boxes}
</ul></fieldset>
<p class="hint">Untick a box to grant less, as Google's granular consent allows. Deny sends <code>access_denied</code> back to the app.</p>
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
