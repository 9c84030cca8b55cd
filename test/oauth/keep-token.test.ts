import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveEndpoints, type GoogleEndpoints } from '../../src/core/endpoints.js';
import { FlowError, InterruptedError } from '../../src/core/errors.js';
import { renderOutput, type MintedToken } from '../../src/core/output.js';
import { writeFailed } from '../../src/oauth/files.js';
import { keepUnwrittenToken, type KeepEffects, type Unwritten } from '../../src/oauth/keep-token.js';
import { FAKE_TOKEN } from '../helpers/fake-token.js';
import { useEmulatorHarness } from '../helpers/harness.js';
import { mintInProcess } from '../helpers/mint.js';
import { freePort } from '../helpers/workspace.js';
import { rejectionOf } from '../helpers/usage.js';

/**
 * The keep policy in this process, so that `npm run mutation` sees it (the CLI tests that reach it,
 * token-never-dropped among them, run dist/): a token Google issued ends in a new 0600 file, on
 * stdout, or revoked at Google, and what people read names where, never the token itself.
 */
const h = useEmulatorHarness();

const at = (name: string): string => join(h.workspace.dir, name);
const emulatorEndpoints = (): GoogleEndpoints => resolveEndpoints({ emulatorHost: h.emulator.hostPort });
/** Nothing listens there: revoking fails with a refused connection. */
const deadEndpoints = async (): Promise<GoogleEndpoints> => resolveEndpoints({ emulatorHost: `127.0.0.1:${await freePort()}` });

function unwritten(path: string, overrides: Partial<Unwritten> = {}): Unwritten {
  return { token: FAKE_TOKEN, format: 'json', prefix: 'GMAIL_API_', path, endpoints: emulatorEndpoints(), ...overrides };
}

/** Effects that record what people were told; the question is answered from `answers`, in turn. */
function effects(answers: (string | Error)[] = [], overrides: Partial<KeepEffects> = {}) {
  const record = { said: [] as string[], warned: [] as string[], emitted: [] as string[], asked: [] as string[] };
  const fx: KeepEffects = {
    askLine: async (question) => {
      record.asked.push(question);
      const answer = answers.shift();
      if (answer === undefined) throw new Error('the test ran out of answers');
      if (answer instanceof Error) throw answer;
      return answer;
    },
    say: (line) => record.said.push(line),
    warn: (line) => record.warned.push(line),
    emit: async (data) => void record.emitted.push(data),
    temporaryFolder: at('system-tmp'),
    ...overrides,
  };
  return { fx, ...record };
}

/** Runs the policy, which always ends in an error (exit 1 or 130); returns it. */
const ending = (promise: Promise<never>): Promise<Error> => rejectionOf(promise, Error);

function expectNoSecret(token: MintedToken, ...texts: (string | string[])[]): void {
  const shown = texts.flat().join('\n');
  expect(shown).not.toContain(token.refreshToken);
  expect(shown).not.toContain(token.clientSecret);
}

/** A new 0600 file holding exactly the output, with nothing else made beside it. */
function expectKeptFile(file: string, expected: string): void {
  expect(readFileSync(file, 'utf8')).toBe(expected);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(statSync(file).nlink).toBe(1);
}

const mintLive = (): Promise<MintedToken> => mintInProcess(h.emulator);

async function refreshes(token: MintedToken): Promise<boolean> {
  const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token.refreshToken, client_id: token.clientId, client_secret: token.clientSecret });
  return (await fetch(`${h.emulator.origin}/token`, { method: 'POST', body })).ok;
}

/** The emulator was asked to revoke exactly this refresh token, and it no longer refreshes. */
async function expectRevoked(token: MintedToken): Promise<void> {
  const revokes = h.emulator.received.filter((request) => request.path === '/revoke');
  expect(revokes.map((request) => request.form.token ?? request.query.token)).toEqual([token.refreshToken]);
  expect(await refreshes(token)).toBe(false);
}

const WHY_FULL = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
const KEPT_IN = (file: string) => `it was written to ${file} (mode 0600) instead; move it where it belongs.`;
const KEPT_BESIDE = (file: string, output: string) => `${KEPT_IN(file)} A .gitignore line naming ${output} does not cover this copy.`;
const REVOKED = 'it was revoked at Google, so no live token was left behind. Run mint again.';

describe('beside the output (the default)', () => {
  it('writes a new 0600 file named after the output, says where, without the advice to run again; exit 1', async () => {
    const path = at('token.json');
    const run = effects();
    const error = await ending(keepUnwrittenToken(writeFailed(path, WHY_FULL), unwritten(path), 'beside', run.fx));
    const [kept = 'missing'] = readdirSync(h.workspace.dir).filter((name) => name !== 'credentials.json');
    expect(kept).toMatch(/^token\.rescued-[0-9a-f]{6}\.json$/);
    expectKeptFile(at(kept), renderOutput('json', FAKE_TOKEN, 'GMAIL_API_'));
    expect(run.warned).toEqual([`Google issued a refresh token, but it was not written to ${path}: Could not write ${path} (ENOSPC: the disk is full); nothing was changed.`]);
    expect(error).toBeInstanceOf(FlowError);
    expect(error).not.toBeInstanceOf(InterruptedError);
    expect(error.message).toBe(`The refresh token was not written to ${path}; ${KEPT_BESIDE(at(kept), 'token.json')}`);
    expect(run.said).toEqual([]);
    expectNoSecret(FAKE_TOKEN, run.warned, error.message);
  });

  it('keeps env lines with their prefix, and names stdout when stdout was the output', async () => {
    const path = at('.env');
    const run = effects();
    const failure = new FlowError('stdout could not be written (EPIPE: whatever read it has closed it)');
    const error = await ending(keepUnwrittenToken(failure, unwritten(path, { format: 'env', prefix: 'APP_', shownAs: 'stdout' }), 'beside', run.fx));
    const [kept = 'missing'] = readdirSync(h.workspace.dir).filter((name) => name.startsWith('.env.rescued-'));
    expectKeptFile(at(kept), renderOutput('env', FAKE_TOKEN, 'APP_'));
    expect(readFileSync(at(kept), 'utf8')).toContain('APP_REFRESH_TOKEN=');
    expect(run.warned).toEqual([`Google issued a refresh token, but it was not written to stdout: ${failure.message}`]);
    expect(error.message).toBe(`The refresh token was not written to stdout; ${KEPT_BESIDE(at(kept), '.env')}`);
  });

  it('words a bare file-system error by its code', async () => {
    const path = at('token.json');
    const run = effects();
    await ending(keepUnwrittenToken(Object.assign(new Error('EPIPE'), { code: 'EPIPE' }), unwritten(path), 'beside', run.fx));
    expect(run.warned).toEqual([`Google issued a refresh token, but it was not written to ${path}: EPIPE.`]);
  });
});

describe('when beside fails: a new private folder under the temporary folder, then revoking', () => {
  it('the output folder is gone: a 0700 folder of its own under the temporary folder holds a 0600 copy', async () => {
    const path = at('gone/token.json');
    mkdirSync(at('system-tmp'));
    const run = effects();
    const error = await ending(keepUnwrittenToken(writeFailed(path, WHY_FULL), unwritten(path), 'beside', run.fx));
    const [folder = 'missing', ...more] = readdirSync(at('system-tmp'));
    expect(more).toEqual([]);
    expect(folder).toMatch(/^gmail-token-rescued-/);
    expect(statSync(at(`system-tmp/${folder}`)).mode & 0o777).toBe(0o700);
    expect(readdirSync(at(`system-tmp/${folder}`))).toEqual(['token.json']);
    const file = at(`system-tmp/${folder}/token.json`);
    expectKeptFile(file, renderOutput('json', FAKE_TOKEN, 'GMAIL_API_'));
    expect(run.warned).toHaveLength(2);
    expect(run.warned[1]).toMatch(
      new RegExp(`^It could not be kept beside the output either: Could not write ${at('gone/token')}\\.rescued-[0-9a-f]{6}\\.json \\(ENOENT: the folder is gone\\); nothing was changed\\.$`),
    );
    expect(error).toBeInstanceOf(FlowError);
    expect(error.message).toBe(
      `The refresh token was not written to ${path}; it was written to ${file} (mode 0600) in the temporary folder, which the system empties after a while (macOS after days unused, Windows' Storage Sense): move it now.`,
    );
    expectNoSecret(FAKE_TOKEN, run.warned, error.message);
  });

  it('beside fails and the temporary folder is missing: the token is revoked at Google and dead', async () => {
    const token = await mintLive();
    const path = at('not-a-folder/token.json');
    writeFileSync(at('not-a-folder'), 'a file where the folder should be\n');
    const run = effects();
    const error = await ending(keepUnwrittenToken(writeFailed(path, WHY_FULL), unwritten(path, { token }), 'beside', run.fx));
    expect(run.warned.slice(1)).toEqual([
      expect.stringMatching(/^It could not be kept beside the output either: Could not write .*\.rescued-[0-9a-f]{6}\.json \(ENOTDIR\); nothing was changed\.$/),
      `Nor in ${at('system-tmp')}: ENOENT. Revoking it, so no live token is left behind.`,
    ]);
    expect(error).toBeInstanceOf(FlowError);
    expect(error.message).toBe(`The refresh token was not written to ${path}; ${REVOKED}`);
    await expectRevoked(token);
    expect(readdirSync(h.workspace.dir).sort()).toEqual(['credentials.json', 'not-a-folder']);
    expectNoSecret(token, run.warned, error.message);
  });

  it('a private folder that could not take the file is removed again, not left empty, and the token revoked', async () => {
    const token = await mintLive();
    // 250 bytes: the folder is made, but no name built on it (.rescued-…, .….tmp) fits in 255.
    const path = at('t'.repeat(250));
    mkdirSync(at('system-tmp'));
    const run = effects();
    const error = await ending(keepUnwrittenToken(writeFailed(path, WHY_FULL), unwritten(path, { token }), 'beside', run.fx));
    expect(readdirSync(at('system-tmp'))).toEqual([]);
    expect(run.warned[2]).toMatch(new RegExp(`^Nor in ${at('system-tmp')}: Could not write ${at('system-tmp')}/gmail-token-rescued-\\w+/t{250} \\(ENAMETOOLONG\\); nothing was changed\\. Revoking it`));
    expect(error.message).toBe(`The refresh token was not written to ${path}; ${REVOKED}`);
    await expectRevoked(token);
  });

  it('when revoking fails too, says the token is lost and where to remove the consent; exit 1', async () => {
    const path = at('gone/token.json');
    const run = effects();
    const error = await ending(keepUnwrittenToken(writeFailed(path, WHY_FULL), unwritten(path, { endpoints: await deadEndpoints() }), 'beside', run.fx));
    expect(error).toBeInstanceOf(FlowError);
    expect(error).not.toBeInstanceOf(InterruptedError);
    expect(error.message).toMatch(
      new RegExp(
        `^The refresh token was not written to ${path}; keeping it failed too \\(.*Revoking the token.*\\), so it is lost\\. The consent it came from can be removed at https://myaccount\\.google\\.com/permissions; run mint again\\.$`,
      ),
    );
    expectNoSecret(FAKE_TOKEN, run.warned, error.message);
  });
});

describe('--if-unwritable stdout and revoke', () => {
  it('stdout: the output is printed, and nothing is written anywhere', async () => {
    const path = at('token.json');
    const run = effects();
    const error = await ending(keepUnwrittenToken(writeFailed(path, WHY_FULL), unwritten(path, { format: 'shell', prefix: 'X_' }), 'stdout', run.fx));
    expect(run.emitted).toEqual([renderOutput('shell', FAKE_TOKEN, 'X_')]);
    expect(error.message).toBe(`The refresh token was not written to ${path}; it was printed on stdout instead.`);
    expect(readdirSync(h.workspace.dir)).toEqual(['credentials.json']);
  });

  it('stdout that fails falls back to a copy beside the output', async () => {
    const path = at('token.json');
    const closed = new FlowError('stdout could not be written (EPIPE: whatever read it has closed it)');
    const run = effects([], { emit: () => Promise.reject(closed) });
    const error = await ending(keepUnwrittenToken(writeFailed(path, WHY_FULL), unwritten(path), 'stdout', run.fx));
    expect(run.warned[1]).toBe(`Nor on stdout: ${closed.message}.`);
    const [kept = 'missing'] = readdirSync(h.workspace.dir).filter((name) => /^token\.rescued-[0-9a-f]{6}\.json$/.test(name));
    expectKeptFile(at(kept), renderOutput('json', FAKE_TOKEN, 'GMAIL_API_'));
    expect(error.message).toBe(`The refresh token was not written to ${path}; ${KEPT_BESIDE(at(kept), 'token.json')}`);
  });

  it('revoke: the emulator ends the token, no file is written, exit 1', async () => {
    const token = await mintLive();
    const path = at('token.json');
    const run = effects();
    const error = await ending(keepUnwrittenToken(writeFailed(path, WHY_FULL), unwritten(path, { token }), 'revoke', run.fx));
    expect(error).toBeInstanceOf(FlowError);
    expect(error.message).toBe(`The refresh token was not written to ${path}; ${REVOKED}`);
    expect(run.warned).toHaveLength(1);
    await expectRevoked(token);
    expect(readdirSync(h.workspace.dir)).toEqual(['credentials.json']);
  });
});

describe('the question on a terminal', () => {
  const QUESTION = 'Keep the refresh token how?';

  it('asks again after a blank line, a missing folder or a file that exists (kept as it is), then writes the path typed', async () => {
    const theirs = at('theirs.json');
    writeFileSync(theirs, 'theirs\n', { mode: 0o644 });
    const path = at('token.json');
    const run = effects(['   ', at('gone/t.json'), theirs, `  ${at('sub/../kept.json')}  `]);
    const error = await ending(keepUnwrittenToken(writeFailed(path, WHY_FULL), unwritten(path), 'ask', run.fx));
    expect(run.said).toEqual([
      'Type a file path to write it there, "-" to print it on stdout, or "revoke" to revoke it at Google',
      '(revoking also ends the other tokens this account gave this client).',
    ]);
    expect(run.asked).toEqual([QUESTION, QUESTION, QUESTION, QUESTION]);
    expect(run.warned.slice(1)).toEqual([
      `Could not write ${at('gone/t.json')} (ENOENT: the folder is gone); nothing was changed.`,
      `${theirs} appeared while consent was given (another gmail-token run?) and was kept as it is.`,
    ]);
    expect(readFileSync(theirs, 'utf8')).toBe('theirs\n');
    expect(statSync(theirs).mode & 0o777).toBe(0o644);
    expectKeptFile(at('kept.json'), renderOutput('json', FAKE_TOKEN, 'GMAIL_API_'));
    expect(error).toBeInstanceOf(FlowError);
    expect(error.message).toBe(`The refresh token was not written to ${path}; ${KEPT_IN(at('kept.json'))}`);
    expectNoSecret(FAKE_TOKEN, run.said, run.warned, error.message);
  });

  it('"-" prints it on stdout', async () => {
    const path = at('.env');
    const run = effects([' - ']);
    const error = await ending(keepUnwrittenToken(writeFailed(path, WHY_FULL), unwritten(path, { format: 'env' }), 'ask', run.fx));
    expect(run.emitted).toEqual([renderOutput('env', FAKE_TOKEN, 'GMAIL_API_')]);
    expect(error.message).toBe(`The refresh token was not written to ${path}; it was printed on stdout instead.`);
  });

  it('"revoke" ends the token at Google', async () => {
    const token = await mintLive();
    const path = at('token.json');
    const run = effects(['revoke']);
    const error = await ending(keepUnwrittenToken(writeFailed(path, WHY_FULL), unwritten(path, { token }), 'ask', run.fx));
    expect(error.message).toBe(`The refresh token was not written to ${path}; ${REVOKED}`);
    await expectRevoked(token);
    expect(readdirSync(h.workspace.dir)).toEqual(['credentials.json']);
  });

  it('a revoke that fails is said, and the question asked again', async () => {
    const path = at('token.json');
    const run = effects(['revoke', at('kept.json')]);
    const error = await ending(keepUnwrittenToken(writeFailed(path, WHY_FULL), unwritten(path, { endpoints: await deadEndpoints() }), 'ask', run.fx));
    expect(run.asked).toHaveLength(2);
    expect(run.warned[1]).toMatch(/Revoking the token/);
    expect(error.message).toBe(`The refresh token was not written to ${path}; ${KEPT_IN(at('kept.json'))}`);
    expectKeptFile(at('kept.json'), renderOutput('json', FAKE_TOKEN, 'GMAIL_API_'));
  });

  it('Ctrl-C at the question still keeps the token beside, and ends as interrupted (130)', async () => {
    const path = at('token.json');
    const run = effects([new InterruptedError()]);
    const error = await ending(keepUnwrittenToken(writeFailed(path, WHY_FULL), unwritten(path), 'ask', run.fx));
    const [kept = 'missing'] = readdirSync(h.workspace.dir).filter((name) => /^token\.rescued-[0-9a-f]{6}\.json$/.test(name));
    expectKeptFile(at(kept), renderOutput('json', FAKE_TOKEN, 'GMAIL_API_'));
    expect(error).toBeInstanceOf(InterruptedError);
    expect(error.message).toBe(`Interrupted. The refresh token was not written to ${path}; ${KEPT_BESIDE(at(kept), 'token.json')}`);
  });

  it('Ctrl-C when nothing can keep it: still 130, saying it is lost', async () => {
    const path = at('gone/token.json');
    const run = effects([new InterruptedError()]);
    const error = await ending(keepUnwrittenToken(writeFailed(path, WHY_FULL), unwritten(path, { endpoints: await deadEndpoints() }), 'ask', run.fx));
    expect(error).toBeInstanceOf(InterruptedError);
    expect(error.message).toMatch(new RegExp(`^Interrupted\\. The refresh token was not written to ${path}; keeping it failed too \\(.*\\), so it is lost\\.`));
    expect(readdirSync(h.workspace.dir)).toEqual(['credentials.json']);
  });

  it('a question that cannot be asked (no terminal input) loses the token with exit 1, not 130', async () => {
    const path = at('token.json');
    const run = effects([Object.assign(new Error('read EIO'), { code: 'EIO' })]);
    const error = await ending(keepUnwrittenToken(writeFailed(path, WHY_FULL), unwritten(path), 'ask', run.fx));
    expect(error).toBeInstanceOf(FlowError);
    expect(error).not.toBeInstanceOf(InterruptedError);
    expect(error.message).toBe(
      `The refresh token was not written to ${path}; keeping it failed too (EIO.), so it is lost. The consent it came from can be removed at https://myaccount.google.com/permissions; run mint again.`,
    );
    expect(readdirSync(h.workspace.dir)).toEqual(['credentials.json']);
  });
});
