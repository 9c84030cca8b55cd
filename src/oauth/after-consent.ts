/**
 * What mint needs only once consent came back: the code exchange, the account's address, and
 * writing the token (or keeping it when it cannot be written). One module, so that the build makes
 * it one file loaded behind import() (issue 23), which mint starts loading while the person is on
 * the consent page.
 */
export { exchangeCode } from './exchange.js';
export { accountEmail } from './account.js';
export { loadGoogleAuth } from './google.js';
export { deliverToken } from './deliver.js';
export { keepUnwrittenToken } from './keep-token.js';
