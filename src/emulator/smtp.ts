import { randomBytes } from 'node:crypto';
import { REFUSAL_CHALLENGE, encodeChallenge } from '../core/xoauth2.js';
import { SEND_SIZE_LIMIT } from './bounds.js';
import type { Context } from './context.js';
import { xoauth2Login } from './mail-auth.js';
import type { Answer, LineSession } from './mail-listener.js';
import { mailMessage } from './routes-gmail.js';

/** Gmail's 535 after a refused XOAUTH2 (nodemailer/nodemailer#114, vatesfr/xen-orchestra#5496). */
const BAD_CREDENTIALS = [
  '535-5.7.8 Username and Password not accepted. Learn more at',
  '535 5.7.8  https://support.google.com/mail/?p=BadCredentials emu - gsmtp',
];

const reply = (...lines: string[]): Answer => ({ lines });

/**
 * Gmail's EHLO after TLS (PHPMailer/PHPMailer#2328). Gmail's 587 lists AUTH only after STARTTLS
 * (PHPMailer/PHPMailer#633); the emulator lists it on plain TCP too, since it listens on loopback
 * only, so a mail program set to `tls off` can be tried against it. CHUNKING is left out: no BDAT here.
 */
function ehlo(secure: boolean): Answer {
  return reply(
    '250-smtp.gmail.com at your service, [127.0.0.1]',
    `250-SIZE ${SEND_SIZE_LIMIT}`,
    '250-8BITMIME',
    ...(secure ? [] : ['250-STARTTLS']),
    '250-AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH',
    '250-ENHANCEDSTATUSCODES',
    '250-PIPELINING',
    '250 SMTPUTF8',
  );
}

interface Envelope {
  account?: string;
  from?: string;
  recipients: string[];
  /** The message while DATA is being read; its byte count is kept beside it. */
  data?: { lines: string[]; bytes: number };
  /** An AUTH waiting for its next line: the initial response, or the client's empty line after a refusal. */
  pending?: 'response' | 'refused';
}

function finishData(ctx: Context, state: Envelope): Answer {
  const data = state.data as NonNullable<Envelope['data']>;
  state.data = undefined;
  // Gmail's words, as quoted in nodemailer/nodemailer#400 and kootenpv/yagmail#268 (its link dropped).
  if (data.bytes > SEND_SIZE_LIMIT) return reply("552 5.2.3 Your message exceeded Google's message size limits.");
  // RFC 5321 §4.5.2: a client doubles a leading dot; the server takes one away.
  const text = data.lines.map((line) => (line.startsWith('.') ? line.slice(1) : line)).join('\r\n') + '\r\n';
  const sent = mailMessage(ctx, state.account as string, text);
  state.from = undefined;
  state.recipients = [];
  return reply(`250 2.0.0 OK  ${sent.id} - gsmtp`);
}

function authenticate(ctx: Context, state: Envelope, response: string): Answer {
  const login = xoauth2Login(ctx, 'smtp', response);
  // A malformed XOAUTH2 string: Gmail's answer is not on record; this one is a guess.
  if (!login) return reply('501 5.5.2 Cannot Decode response');
  if (login.accepted) {
    state.account = login.user;
    return reply('235 2.7.0 Accepted');
  }
  state.pending = 'refused';
  return reply(`334 ${encodeChallenge(REFUSAL_CHALLENGE)}`);
}

function auth(ctx: Context, state: Envelope, args: string[]): Answer {
  if (state.account) return reply('503 5.5.1 Already authenticated');
  const [mechanism = '', initial] = args;
  // The emulator knows no passwords, and implements only XOAUTH2 of what it lists.
  if (mechanism.toUpperCase() !== 'XOAUTH2') return reply(...BAD_CREDENTIALS);
  if (initial === undefined) {
    state.pending = 'response';
    return reply('334 ');
  }
  return authenticate(ctx, state, initial);
}

function pending(ctx: Context, state: Envelope, line: string): Answer {
  const waiting = state.pending;
  state.pending = undefined;
  return waiting === 'refused' ? reply(...BAD_CREDENTIALS) : authenticate(ctx, state, line);
}

function envelope(state: Envelope, verb: string, line: string): Answer {
  // Gmail's answer to MAIL before AUTH (a guess at the exact text; the 530 5.7.0 code is Gmail's).
  if (!state.account) return reply('530-5.7.0 Authentication Required. Learn more at', '530 5.7.0  https://support.google.com/mail/?p=WantAuthError emu - gsmtp');
  const address = /<([^>]*)>/.exec(line)?.[1] ?? '';
  if (verb === 'MAIL') {
    state.from = address;
    state.recipients = [];
    return reply('250 2.1.0 OK emu - gsmtp');
  }
  if (state.from === undefined) return reply('503 5.5.1 MAIL first. emu - gsmtp');
  state.recipients.push(address);
  return reply('250 2.1.5 OK emu - gsmtp');
}

function command(ctx: Context, state: Envelope, line: string, secure: boolean): Answer {
  const [verb = '', ...args] = line.split(' ');
  switch (verb.toUpperCase()) {
    case 'EHLO':
      return ehlo(secure);
    case 'HELO':
      return reply('250 smtp.gmail.com at your service');
    case 'STARTTLS':
      if (secure) return reply('503 5.5.1 TLS already active');
      // RFC 3207 §4.2: the client starts again after TLS, so nothing learnt before it is kept.
      Object.assign(state, { account: undefined, from: undefined, recipients: [] });
      return { lines: ['220 2.0.0 Ready to start TLS'], then: 'starttls' };
    case 'AUTH':
      return auth(ctx, state, args);
    case 'MAIL':
    case 'RCPT':
      return envelope(state, verb.toUpperCase(), line);
    case 'DATA':
      if (!state.account || state.recipients.length === 0) return reply('503 5.5.1 RCPT first. emu - gsmtp');
      state.data = { lines: [], bytes: 0 };
      return reply('354  Go ahead emu - gsmtp');
    case 'RSET':
      state.from = undefined;
      state.recipients = [];
      return reply('250 2.1.5 Flushed emu - gsmtp');
    case 'NOOP':
      return reply('250 2.0.0 OK emu - gsmtp');
    case 'QUIT':
      return { lines: ['221 2.0.0 closing connection emu - gsmtp'], then: 'close' };
    default:
      return reply('502 5.5.1 Unrecognized command. emu - gsmtp');
  }
}

/**
 * One SMTP connection, speaking as smtp.gmail.com does. The greeting and the replies with no
 * source named beside them are guesses in Gmail's style.
 */
export function smtpSession(ctx: Context): LineSession {
  const state: Envelope = { recipients: [] };
  return {
    greeting: [`220 smtp.gmail.com ESMTP ${randomBytes(4).toString('hex')} - gsmtp`],
    answer(line, secure) {
      if (state.data) {
        if (line === '.') return finishData(ctx, state);
        state.data.bytes += Buffer.byteLength(line) + 2;
        if (state.data.bytes <= SEND_SIZE_LIMIT) state.data.lines.push(line);
        return { lines: [] };
      }
      if (state.pending) return pending(ctx, state, line);
      return command(ctx, state, line, secure);
    },
  };
}
