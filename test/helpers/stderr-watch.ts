export interface StderrWatch {
  /** Tell it stderr grew to `text`: each wait whose pattern now matches is answered. */
  grew(text: string): void;
  /** The first match of `pattern` on stderr, now or as soon as it is printed; fails if the run ends first. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
}

/**
 * Waits on a run's stderr, the same for the CLI as a child process (runCli) and in this process
 * (runInProcess). `exit` is asked for only when a test waits, so a run can make its exit promise after this.
 */
export function watchStderr(text: () => string, exit: () => Promise<{ code: number | null; stderr: string }>): StderrWatch {
  const waiters: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  return {
    grew(all) {
      for (const waiter of [...waiters]) {
        const match = all.match(waiter.pattern);
        if (match) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(match);
        }
      }
    },
    waitFor(pattern) {
      const match = text().match(pattern);
      if (match) return Promise.resolve(match);
      return Promise.race([
        new Promise<RegExpMatchArray>((resolve) => waiters.push({ pattern, resolve })),
        exit().then((result) => {
          throw new Error(`CLI exited (${result.code}) before printing ${pattern}; stderr:\n${result.stderr}`);
        }),
      ]);
    },
  };
}
