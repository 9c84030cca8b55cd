import { randomBytes } from 'node:crypto';
import type { OAuth2Client } from 'google-auth-library';
import { FlowError } from '../core/errors.js';
import { explainSendFailure, readGmailError } from '../core/gmail-errors.js';
import { testMessage } from '../core/message.js';
import { googleFailure } from './google.js';

function sendFailure(error: unknown): FlowError {
  const failure = googleFailure(error);
  if (failure.network) return new FlowError(`Sending the test message failed: could not reach Gmail (${failure.network}).`);
  const data = (error as { response?: { data?: unknown } }).response?.data;
  return new FlowError(explainSendFailure(readGmailError(failure.status, data)));
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
