import { closeSync } from 'node:fs';
import { isatty } from 'node:tty';

/**
 * Node 20 restores, at exit, the terminal mode each of stdin, stdout and stderr had at start, and
 * aborts when that fails (nodejs/node#51519, fixed in Node 24 by nodejs/node#58200 but not in
 * 20.20): on a terminal that hung up (window closed, SSH dropped) every terminal call fails with
 * EIO, so a run that outlived its terminal, as the questions do to keep an issued token, ended
 * in an assertion or a segfault, and a core dump holding the token. Node skips a descriptor that
 * is closed, and a hung-up terminal has nothing left to restore, so those are closed at exit.
 * Returns the listener for the process's 'exit' event.
 */
export function closeHungUpTerminalsAtExit(): () => void {
  const terminals = [0, 1, 2].filter((fd) => isatty(fd));
  return () => {
    // isatty asks the terminal for its mode: false once it hung up.
    for (const fd of terminals.filter((terminal) => !isatty(terminal))) closeSync(fd);
  };
}
