import { randomBytes } from 'node:crypto';
import type { OAuth2Client } from 'google-auth-library';
import { FlowError } from '../core/errors.js';
import { testMessage } from '../core/message.js';
import { googleFailure } from './google.js';

function sendFailure(error: unknown): FlowError {
  const failure = googleFailure(error);
  const said = failure.description ? `: ${failure.description}` : '';
  if (failure.status === 401) return new FlowError(`Gmail refused the access token (401${said}). Run \`gmail-token check\` again; if it persists, mint a new token.`);
  if (failure.status === 403 && /scope/i.test(failure.description ?? '')) {
    return new FlowError(`Gmail says the token may not send mail (403${said}). Mint again with --scope gmail.send.`);
  }
  if (failure.status === 403) {
    return new FlowError(`Gmail refused to send (403${said}). Check that the Gmail API is enabled for the client's Cloud project.`);
  }
  if (failure.status === 400) return new FlowError(`Gmail rejected the test message (400${said}). Check the address.`);
  if (failure.network) return new FlowError(`Sending the test message failed: could not reach Gmail (${failure.network}).`);
  return new FlowError(`Sending the test message failed (HTTP ${failure.status ?? '?'}${said}).`);
}

/** Sends the RFC 2822 test message through the Gmail API; returns Gmail's message id. */
export async function sendTestMessage(
  client: OAuth2Client,
  sendUrl: string,
  message: { to: string; from?: string; now: Date },
): Promise<string> {
  const raw = Buffer.from(testMessage({ ...message, date: message.now, id: randomBytes(12).toString('hex') })).toString('base64url');
  try {
    const response = await client.request<{ id?: unknown }>({ url: sendUrl, method: 'POST', data: { raw } });
    if (typeof response.data.id !== 'string') throw new FlowError('Gmail accepted the message but sent no id back.');
    return response.data.id;
  } catch (error) {
    if (error instanceof FlowError) throw error;
    throw sendFailure(error);
  }
}
