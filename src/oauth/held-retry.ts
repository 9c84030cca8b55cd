import { code } from './files.js';

/**
 * What Windows answers for a moment when another program (an antivirus, the search indexer,
 * OneDrive, an editor, a concurrent access-token) has the file open; graceful-fs and
 * write-file-atomic retry the same codes there. Elsewhere they mean what they say at once.
 */
export const HELD_BY_ANOTHER_PROGRAM = new Set(['EPERM', 'EACCES', 'EBUSY']);

/** About two seconds in all: long enough for a scan or a sync to let go, short for a mail program waiting. */
const PAUSES_MS = [20, 40, 80, 160, 320, 500, 500, 500];

/** Runs `operation`, trying again on win32 while another program holds the file; the last error otherwise. */
export async function retryWhileHeld<T>(operation: () => Promise<T>, platform: NodeJS.Platform): Promise<T> {
  for (const pause of platform === 'win32' ? PAUSES_MS : []) {
    try {
      return await operation();
    } catch (error) {
      if (!HELD_BY_ANOTHER_PROGRAM.has(code(error) ?? '')) throw error;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
  return operation();
}
