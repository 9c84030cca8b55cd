import type { MintedToken } from '../../src/core/output.js';

/**
 * A token as mint returns it, never issued by Google: for the ways of keeping a token that do not
 * ask Google. Its secrets say SECRET so a test that they are never shown cannot miss them.
 */
export const FAKE_TOKEN: MintedToken = {
  clientId: 'id.apps.googleusercontent.com',
  clientSecret: 'GOCSPX-client-secret',
  refreshToken: '1//refresh-token-SECRET',
  accessToken: 'ya29.access-token-SECRET',
  tokenUri: 'https://oauth2.googleapis.com/token',
  scopes: ['https://www.googleapis.com/auth/gmail.send'],
  expiry: new Date('2026-11-27T13:00:00Z'),
  account: 'tester@example.com',
};
