import { randomBytes } from 'node:crypto';
import { REFUSAL_CHALLENGE, encodeChallenge } from '../core/xoauth2.js';
import type { Context } from './context.js';
import { fetchItems, fetchResponse, inSequenceSet, mailboxEntry, type MailboxEntry } from './imap-fetch.js';
import { xoauth2Login } from './mail-auth.js';
import type { Answer, LineSession } from './mail-listener.js';
import type { SentMessage } from './types.js';

/**
 * Gmail's capabilities before login (emailjs/emailjs-imap-client#131). STARTTLS is the emulator's
 * own: Gmail has only implicit TLS on 993, but the emulator speaks plain TCP on loopback and lets a
 * mail program that insists on TLS (neomutt) upgrade with its test-only certificate.
 */
const CAPABILITIES = 'IMAP4rev1 UNSELECT ID NAMESPACE CHILDREN SASL-IR AUTH=XOAUTH2 AUTH=PLAIN AUTH=PLAIN-CLIENTTOKEN AUTH=OAUTHBEARER AUTH=XOAUTH';
const AFTER_LOGIN = 'IMAP4rev1 UNSELECT ID NAMESPACE CHILDREN';
/** google/gmail-oauth2-tools#78: a refused token's final answer. The other texts are guesses in Gmail's style. */
const INVALID_CREDENTIALS = 'NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)';

interface ImapState {
  account?: string;
  mailbox?: MailboxEntry[];
  /** The tag of an AUTHENTICATE waiting for its response, or for the empty line after a refusal. */
  pending?: { tag: string; refused: boolean };
}

const done = (tag: string, text = 'OK Success', ...untagged: string[]): Answer => ({ lines: [...untagged.map((line) => `* ${line}`), `${tag} ${text}`] });

function authenticate(ctx: Context, state: ImapState, tag: string, response: string): Answer {
  const login = xoauth2Login(ctx, 'imap', response);
  // mscdex/node-imap#233: Gmail's answer to a malformed XOAUTH2 string.
  if (!login) return done(tag, 'NO Invalid SASL argument. emu');
  if (login.accepted) {
    state.account = login.user;
    return done(tag, `OK [CAPABILITY ${AFTER_LOGIN}] ${login.user} authenticated (Success)`);
  }
  state.pending = { tag, refused: true };
  return { lines: [`+ ${encodeChallenge(REFUSAL_CHALLENGE)}`] };
}

/** INBOX holds the messages this account sent through the emulator (API or SMTP), as they stand now. */
function inbox(ctx: Context, state: ImapState): SentMessage[] {
  const account = (state.account ?? '').toLowerCase();
  return ctx.messages.filter((m) => m.account.toLowerCase() === account);
}

function select(ctx: Context, state: ImapState, tag: string, verb: string, name: string): Answer {
  if (name.replace(/^"(.*)"$/, '$1').toUpperCase() !== 'INBOX') return done(tag, `NO [NONEXISTENT] Unknown Mailbox: ${name} (Failure)`);
  state.mailbox = inbox(ctx, state).map((m) => mailboxEntry(m, ctx.uidOf(m)));
  const count = state.mailbox.length;
  const uidNext = (state.mailbox.at(-1)?.uid ?? 0) + 1;
  const mode = verb === 'EXAMINE' ? 'READ-ONLY' : 'READ-WRITE';
  return done(tag, `OK [${mode}] INBOX selected. (Success)`, 'FLAGS (\\Answered \\Flagged \\Draft \\Deleted \\Seen)', `OK [PERMANENTFLAGS ()] Flags permitted.`, `OK [UIDVALIDITY 1] UIDs valid.`, `${count} EXISTS`, '0 RECENT', `OK [UIDNEXT ${uidNext}] Predicted next UID.`);
}

function fetch(state: ImapState, tag: string, args: string[], byUid: boolean): Answer {
  const mailbox = state.mailbox;
  if (!mailbox) return done(tag, 'BAD No mailbox selected. (Failure)');
  const [set = '', ...rest] = args;
  const items = fetchItems(rest.join(' '));
  const largest = byUid ? (mailbox.at(-1)?.uid ?? 0) : mailbox.length;
  const lines = mailbox.flatMap((entry, index) => (inSequenceSet(set, byUid ? entry.uid : index + 1, largest) ? [fetchResponse(entry, index + 1, items, byUid)] : []));
  return { lines: [...lines, `${tag} OK Success`] };
}

function search(state: ImapState, tag: string, byUid: boolean): Answer {
  if (!state.mailbox) return done(tag, 'BAD No mailbox selected. (Failure)');
  const numbers = state.mailbox.map((entry, index) => (byUid ? entry.uid : index + 1));
  return done(tag, 'OK SEARCH completed (Success)', `SEARCH${numbers.map((n) => ` ${n}`).join('')}`);
}

function loggedIn(ctx: Context, state: ImapState, tag: string, verb: string, args: string[]): Answer {
  const byUid = verb === 'UID';
  const command = byUid ? (args.shift() ?? '').toUpperCase() : verb;
  switch (command) {
    case 'LIST':
    case 'LSUB':
      return done(tag, 'OK Success', `${command} (\\HasNoChildren) "/" "INBOX"`);
    case 'SELECT':
    case 'EXAMINE':
      return select(ctx, state, tag, command, args.join(' '));
    case 'STATUS': {
      const count = inbox(ctx, state).length;
      return done(tag, 'OK Success', `STATUS "INBOX" (MESSAGES ${count} RECENT 0 UIDVALIDITY 1 UNSEEN 0)`);
    }
    case 'FETCH':
      return fetch(state, tag, args, byUid);
    case 'SEARCH':
      return search(state, tag, byUid);
    case 'CLOSE':
    case 'UNSELECT':
      state.mailbox = undefined;
      return done(tag);
    case 'STORE':
    case 'EXPUNGE':
    case 'CHECK':
    case 'ENABLE':
      return done(tag);
    default:
      return done(tag, 'BAD Unknown command. (Failure)');
  }
}

function command(ctx: Context, state: ImapState, line: string, secure: boolean): Answer {
  const [tag = '*', rawVerb = '', ...args] = line.split(' ');
  const verb = rawVerb.toUpperCase();
  switch (verb) {
    case 'CAPABILITY':
      return done(tag, 'OK Success', `CAPABILITY ${state.account ? AFTER_LOGIN : CAPABILITIES}${secure || state.account ? '' : ' STARTTLS'}`);
    case 'NOOP':
      return done(tag);
    case 'LOGOUT':
      return { lines: ['* BYE LOGOUT Requested', `${tag} OK 73 good day (Success)`], then: 'close' };
    case 'ID':
      return done(tag, 'OK Success', 'ID ("name" "GImap" "vendor" "Google, Inc.")');
    case 'NAMESPACE':
      return done(tag, 'OK Success', 'NAMESPACE (("" "/")) NIL NIL');
    case 'STARTTLS':
      return secure || state.account ? done(tag, 'BAD STARTTLS not allowed now.') : { lines: [`${tag} OK Begin TLS negotiation now`], then: 'starttls' };
  }
  if (state.account) return loggedIn(ctx, state, tag, verb, args);
  if (verb === 'AUTHENTICATE' && args[0]?.toUpperCase() === 'XOAUTH2') {
    if (args[1] !== undefined) return authenticate(ctx, state, tag, args[1]);
    state.pending = { tag, refused: false };
    return { lines: ['+ '] };
  }
  // The emulator knows no passwords, and implements only XOAUTH2 of the mechanisms it lists.
  if (verb === 'AUTHENTICATE' || verb === 'LOGIN') return done(tag, INVALID_CREDENTIALS);
  return done(tag, 'BAD Command not allowed before login. (Failure)');
}

/** One IMAP connection, speaking as imap.gmail.com does; Gmail's greeting: emailjs/emailjs-imap-client#131. */
export function imapSession(ctx: Context): LineSession {
  const state: ImapState = {};
  return {
    greeting: [`* OK Gimap ready for requests from 127.0.0.1 ${randomBytes(4).toString('hex')}`],
    answer(line, secure) {
      const pending = state.pending;
      if (!pending) return command(ctx, state, line, secure);
      state.pending = undefined;
      return pending.refused ? done(pending.tag, INVALID_CREDENTIALS) : authenticate(ctx, state, pending.tag, line);
    },
  };
}
