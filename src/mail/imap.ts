import { targetName, type MailTarget } from '../core/mail-hosts.js';
import { decodeChallenge, xoauth2Response } from '../core/xoauth2.js';
import { Conversation, MailWireError, type MailConnector } from './conversation.js';
import type { LoginOutcome } from './smtp.js';

/** Reads to the tagged line, keeping the untagged ones (a CAPABILITY list, an [ALERT]). */
async function tagged(talk: Conversation, what: string, tag: string): Promise<{ status: string; text: string; untagged: string[] }> {
  const untagged: string[] = [];
  for (;;) {
    const line = await talk.readLine();
    if (line.startsWith('* ')) untagged.push(line.slice(2));
    else if (line.startsWith(`${tag} `)) {
      const [status = '', ...rest] = line.slice(tag.length + 1).split(' ');
      return { status: status.toUpperCase(), text: rest.join(' '), untagged };
    } else if (!line.startsWith('+')) throw new MailWireError(`${what} does not speak IMAP.`);
    else return { status: '+', text: line.slice(1).trim(), untagged };
  }
}

async function authenticate(talk: Conversation, what: string, user: string, accessToken: string, saslIr: boolean): Promise<LoginOutcome> {
  const response = xoauth2Response(user, accessToken);
  talk.send(saslIr ? `a2 AUTHENTICATE XOAUTH2 ${response}` : 'a2 AUTHENTICATE XOAUTH2');
  let answer = await tagged(talk, what, 'a2');
  if (!saslIr && answer.status === '+') {
    talk.send(response);
    answer = await tagged(talk, what, 'a2');
  }
  let challenge = null;
  if (answer.status === '+') {
    // Gmail's refusal: a "+" challenge, then NO once the client sends an empty line.
    challenge = decodeChallenge(answer.text);
    talk.send('');
    answer = await tagged(talk, what, 'a2');
  }
  if (answer.status === 'OK') return { accepted: true };
  const alerts = answer.untagged.filter((line) => /\[ALERT\]/i.test(line));
  return { accepted: false, reply: [`${answer.status} ${answer.text}`, ...alerts].join(' '), challenge };
}

/** CAPABILITY, AUTHENTICATE XOAUTH2, LOGOUT (RFC 3501 §6.1–6.2, SASL-IR RFC 4959): reads nothing. */
export async function imapLogin(target: MailTarget, user: string, accessToken: string, connector: MailConnector): Promise<LoginOutcome> {
  const what = `the IMAP server ${targetName(target)}`;
  const talk = new Conversation(await connector.connect(target), what);
  try {
    const greeting = await talk.readLine();
    if (!/^\* OK\b/i.test(greeting)) throw new MailWireError(`${what} did not greet as an IMAP server does.`);
    talk.send('a1 CAPABILITY');
    const capability = await tagged(talk, what, 'a1');
    const caps = capability.untagged.find((line) => /^CAPABILITY /i.test(line))?.toUpperCase().split(' ') ?? [];
    if (capability.status !== 'OK' || !caps.includes('AUTH=XOAUTH2')) throw new MailWireError(`${what} does not offer AUTHENTICATE XOAUTH2.`);
    const outcome = await authenticate(talk, what, user, accessToken, caps.includes('SASL-IR'));
    talk.send('a3 LOGOUT');
    await tagged(talk, what, 'a3').catch(() => undefined);
    return outcome;
  } finally {
    talk.close();
  }
}
