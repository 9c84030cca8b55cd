import type { Handler } from './context.js';
import { bearerToken, insufficientScopes, json, oauthError, unauthenticated } from './http.js';
import { canReadUserinfo, hasEmailScope } from './scopes.js';
import { subjectFor } from './tokens.js';

/** google-auth-library 10 puts the token in the query string; RFC 7009 puts it in the body. */
export const revokePost: Handler = (ctx, call) => {
  const token = call.form['token'] ?? call.query['token'];
  if (!token) return oauthError(400, 'invalid_request', 'Missing required parameter: token');
  if (!ctx.store.revoke(token)) return oauthError(400, 'invalid_token', 'Token expired or revoked');
  // Google answers 200 with an empty body, which google-auth-library hands over as {} under a JSON
  // content type (googleapis/google-auth-library-nodejs#1900); revoke accepts only that or ''.
  return json(200, {});
};

export const tokenInfo: Handler = (ctx, call) => {
  const token = call.query['access_token'] ?? call.form['access_token'] ?? bearerToken(call.headers);
  const access = ctx.store.liveAccess(token);
  if (!access) return oauthError(400, 'invalid_token', 'Invalid Value');
  const { grant, expiresAt } = access;
  const expiresIn = Math.max(0, Math.floor((expiresAt - Date.now()) / 1000));
  // Google sends exp and expires_in as strings here, unlike the token endpoint.
  return json(200, {
    azp: grant.clientId,
    aud: grant.clientId,
    sub: subjectFor(grant.account),
    scope: grant.scopes.join(' '),
    exp: String(Math.floor(expiresAt / 1000)),
    expires_in: String(expiresIn),
    ...(hasEmailScope(grant.scopes) ? { email: grant.account, email_verified: 'true' } : {}),
    access_type: grant.offline ? 'offline' : 'online',
  });
};

/** Claims follow the granted scopes: `openid` alone yields only `sub`, as at Google. */
export const userinfoGet: Handler = (ctx, call) => {
  const access = ctx.store.liveAccess(bearerToken(call.headers));
  if (!access) return unauthenticated();
  const { scopes, account } = access.grant;
  if (!canReadUserinfo(scopes)) return insufficientScopes();
  return json(200, {
    sub: subjectFor(account),
    ...(hasEmailScope(scopes) ? { email: account, email_verified: true } : {}),
  });
};
