// Preloaded into a CLI child (node --import) by test/e2e/output-lock.test.ts: when the run asks whether
// the pid in a lock ($TEST_DEAD_PID) is alive, it says so on stderr, then answers only after the
// lock at $TEST_LOCK_PATH holds something else, as if another run took the lock while this one was
// deciding it was abandoned.
import { readFileSync } from 'node:fs';

const deadPid = Number(process.env.TEST_DEAD_PID);
const lock = process.env.TEST_LOCK_PATH ?? '';
const pause = new Int32Array(new SharedArrayBuffer(4));
const realKill = process.kill.bind(process);

function lockText() {
  try {
    return readFileSync(lock, 'utf8');
  } catch {
    return '';
  }
}

process.kill = (pid, signal) => {
  if (pid === deadPid && signal === 0) {
    process.stderr.write('[test: deciding whether the lock is abandoned]\n');
    while (lockText().trim() === String(deadPid) || lockText() === '') Atomics.wait(pause, 0, 0, 10);
  }
  return realKill(pid, signal);
};
