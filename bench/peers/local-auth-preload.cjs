/**
 * Preload for peer (b), @google-cloud/local-auth, loaded with `node --require` (local-auth is
 * CommonJS). It changes nothing in node_modules; it only swaps two things local-auth requires:
 *
 * - google-auth-library: local-auth builds `new OAuth2Client({ clientId, clientSecret })` and so
 *   always talks to Google's default endpoints (it ignores the keyfile's auth_uri/token_uri). We
 *   hand it a subclass whose constructor adds `endpoints` pointing at the emulator, taken from
 *   $BENCH_EMULATOR_ORIGIN, with Google's own paths. The real library is still loaded in full.
 * - open: local-auth always launches a browser. We still load the real `open` (so its load cost
 *   is counted) but hand back a stand-in that prints the URL on stderr, like `--no-open` does.
 */
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: loaded with --require, like local-auth itself */
const Module = require('node:module');
const { sep } = require('node:path');

const origin = process.env.BENCH_EMULATOR_ORIGIN;
if (!origin) throw new Error('BENCH_EMULATOR_ORIGIN is not set');

const endpoints = {
  oauth2AuthBaseUrl: `${origin}/o/oauth2/v2/auth`,
  oauth2TokenUrl: `${origin}/token`,
  oauth2RevokeUrl: `${origin}/revoke`,
  tokenInfoUrl: `${origin}/tokeninfo`,
};

const LOCAL_AUTH = `${sep}@google-cloud${sep}local-auth${sep}build${sep}`;
const fromLocalAuth = (parent) => Boolean(parent && parent.filename && parent.filename.includes(LOCAL_AUTH));

const load = Module._load;
Module._load = function patchedLoad(request, parent, isMain) {
  const exported = load.call(this, request, parent, isMain);
  if (!fromLocalAuth(parent)) return exported;
  if (request === 'google-auth-library') {
    class EmulatorOAuth2Client extends exported.OAuth2Client {
      constructor(options) {
        super({ ...options, endpoints: { ...endpoints, ...(options && options.endpoints) } });
      }
    }
    return Object.create(exported, { OAuth2Client: { value: EmulatorOAuth2Client, enumerable: true } });
  }
  if (request === 'open') {
    return async (url) => {
      process.stderr.write(`${url}\n`);
      return { unref() {} };
    };
  }
  return exported;
};
