import { targetName, type MailTarget } from '../core/mail-hosts.js';
import { quoteServer } from '../core/mail-refusal.js';
import { decodeChallenge, xoauth2Response } from '../core/xoauth2.js';
import { Conversation, MailWireError, type MailConnector } from './conversation.js';

/** How a login ended: accepted, or refused with the server's own words and the decoded challenge. */
export type LoginOutcome =
  | { accepted: true }
  | { accepted: false; reply: string; challenge: ReturnType<typeof decodeChallenge> };

interface Reply {
  code: number;
  lines: string[];
}

/** RFC 5321 §4.2: "250-…" lines go on, "250 …" ends the reply. */
async function readReply(talk: Conversation, what: string): Promise<Reply> {
  const lines: string[] = [];
  for (;;) {
    const line = await talk.readLine();
    const match = /^(\d{3})([ -]?)(.*)$/.exec(line);
    if (!match) throw new MailWireError(`${what} does not speak SMTP.`);
    lines.push(match[3] as string);
    if (match[2] !== '-') return { code: Number(match[1]), lines };
  }
}

async function expectReply(talk: Conversation, what: string, code: number, step: string): Promise<Reply> {
  const reply = await readReply(talk, what);
  if (reply.code !== code) throw new MailWireError(`${what} answered ${step} with ${reply.code} ${quoteServer(reply.lines[0] ?? '')}`.trim());
  return reply;
}

function offersXoauth2(ehlo: Reply): boolean {
  return ehlo.lines.some((line) => /^AUTH\b/i.test(line) && /\sXOAUTH2(\s|$)/i.test(line));
}

async function hello(talk: Conversation, what: string): Promise<Reply> {
  talk.send('EHLO localhost');
  return expectReply(talk, what, 250, 'EHLO');
}

async function authenticate(talk: Conversation, what: string, user: string, accessToken: string): Promise<LoginOutcome> {
  talk.send(`AUTH XOAUTH2 ${xoauth2Response(user, accessToken)}`);
  let reply = await readReply(talk, what);
  if (reply.code === 235) return { accepted: true };
  let challenge = null;
  if (reply.code === 334) {
    // Gmail's refusal comes as a challenge; the client must answer an empty line to get the 535.
    challenge = decodeChallenge(reply.lines[0] ?? '');
    talk.send('');
    reply = await readReply(talk, what);
  }
  return { accepted: false, reply: `${reply.code} ${reply.lines.join(' ')}`, challenge };
}

/**
 * EHLO, STARTTLS where the target needs it, AUTH XOAUTH2, QUIT: a login that sends nothing.
 * Throws MailWireError when the server cannot be reached or does not offer XOAUTH2.
 */
export async function smtpLogin(target: MailTarget, user: string, accessToken: string, connector: MailConnector): Promise<LoginOutcome> {
  const what = `the SMTP server ${targetName(target)}`;
  const talk = new Conversation(await connector.connect(target), what);
  try {
    await expectReply(talk, what, 220, 'the connection');
    let ehlo = await hello(talk, what);
    if (target.security === 'starttls') {
      if (!ehlo.lines.some((line) => /^STARTTLS$/i.test(line.trim()))) throw new MailWireError(`${what} does not offer STARTTLS, so the token is not sent to it.`);
      talk.send('STARTTLS');
      await expectReply(talk, what, 220, 'STARTTLS');
      await talk.upgrade((plain) => connector.startTls(plain, target));
      ehlo = await hello(talk, what);
    }
    if (!offersXoauth2(ehlo)) throw new MailWireError(`${what} does not offer AUTH XOAUTH2.`);
    const outcome = await authenticate(talk, what, user, accessToken);
    talk.send('QUIT');
    await readReply(talk, what).catch(() => undefined);
    return outcome;
  } finally {
    talk.close();
  }
}
