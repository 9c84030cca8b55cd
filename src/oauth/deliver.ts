import { parseDotenv } from '../core/dotenv.js';
import { mergeDotenv } from '../core/dotenv-merge.js';
import { FlowError, UsageError } from '../core/errors.js';
import type { KeepAction } from '../core/keep-action.js';
import { envEntries, envText, renderOutput, type Format, type MintedToken } from '../core/output.js';
import { writeFileAtomic } from './files.js';
import { keepUnwrittenToken, type KeepEffects, type Unwritten } from './keep-token.js';
import { LOCK_PATIENCE_MS, lockSeen, withOutputLock } from './output-lock.js';
import type { FileSnapshot } from './snapshot.js';
import { createNew, replaceIfUnchanged, TemporaryLeftError, updateAtWriteTime } from './write-time.js';

/** Where a minted token goes, and what was there when the flow started. */
export interface OutputTarget {
  format: Format;
  prefix: string;
  path: string;
  /** --force: whatever is at the path when writing is replaced. */
  force: boolean;
  /**
   * The file as it was before consent: for env, what the update was checked against; for json
   * and shell, the file the person agreed to overwrite on a terminal. Undefined when there was none.
   */
  before: FileSnapshot | undefined;
}

export type Written = 'created' | 'replaced' | 'updated';

/** Writes the token, checking the output again at this moment (SPEC "Outputs"). */
export async function writeOutput(target: OutputTarget, token: MintedToken): Promise<Written> {
  const { format, prefix, path } = target;
  if (format === 'env') return updateEnvFile(target, token);
  const data = renderOutput(format, token, prefix);
  if (target.force) {
    await withOutputLock(path, () => writeFileAtomic(path, data));
    return 'replaced';
  }
  if (target.before === undefined) {
    await withOutputLock(path, () => createNew(path, data));
    return 'created';
  }
  await withOutputLock(path, async () => {
    if (!(await replaceIfUnchanged(path, data, target.before))) {
      throw new FlowError(`${path} changed while consent was given, so it was kept as it is.`);
    }
  });
  return 'replaced';
}

/** The values our keys have in a .env (absent keys left out), to tell whether another run wrote them. */
function oursIn(bytes: Uint8Array | undefined, names: readonly string[]): string {
  const read = bytes === undefined ? new Map<string, string>() : parseDotenv(bytes);
  return JSON.stringify(names.map((name) => read.get(name) ?? null));
}

/**
 * The .env update, merged with the file as it is when writing: lines added or changed during
 * consent are kept. If our own keys changed meanwhile, another run put its token there, and
 * replacing it would lose that token silently: the file is left as it is (exit 1).
 */
async function updateEnvFile(target: OutputTarget, token: MintedToken): Promise<Written> {
  const entries = envEntries(target.prefix, token);
  const names = entries.map(([name]) => name);
  const expected = oursIn(target.before?.bytes, names);
  let written: Written = 'updated';
  await updateAtWriteTime(target.path, (current) => {
    if (current === undefined) {
      written = 'created';
      return envText(entries);
    }
    written = 'updated';
    if (oursIn(current, names) !== expected) {
      throw new FlowError(`${target.path} got new ${names.join(', ')} values while consent was given (another gmail-token run?), so it was left as it is.`);
    }
    try {
      return mergeDotenv(current, entries);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      throw new FlowError(`${target.path} changed while consent was given and can no longer be updated so that dotenv reads every other key as before, so it was left as it is.`);
    }
  });
  return written;
}

/** Where mint's token goes: a file (`path`) or stdout (no path), and what to do if it cannot get there. */
export interface Delivery extends Omit<OutputTarget, 'path'> {
  path: string | undefined;
  ifUnwritable: KeepAction;
}

/** Writes the token where it was asked to go; if that fails now, keeps it from being lost. */
export async function deliverToken(delivery: Delivery, unwritten: Unwritten, effects: KeepEffects): Promise<Written | undefined> {
  const { path } = delivery;
  try {
    if (path === undefined) {
      await effects.emit(renderOutput(delivery.format, unwritten.token, delivery.prefix));
      return undefined;
    }
    const lock = await lockSeen(path);
    if (lock) effects.say(`${lock} is there: another gmail-token run may be writing ${path}; waiting up to ${LOCK_PATIENCE_MS / 1000} s for it.`);
    return await writeOutput({ ...delivery, path }, unwritten.token);
  } catch (failure) {
    // The token is in the output; what remains to say is where its temporary copy was left.
    if (failure instanceof TemporaryLeftError) throw failure;
    // stdout that just failed would fail again: keep it beside instead.
    const action = path === undefined && delivery.ifUnwritable === 'stdout' ? 'beside' : delivery.ifUnwritable;
    return keepUnwrittenToken(failure, unwritten, action, effects);
  }
}
