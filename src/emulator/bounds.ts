/**
 * What the emulator keeps is bounded (issue #19.8: a web page's 100 POSTs of 1 MB grew it by 135 MB
 * for good): the oldest entries go first once a list holds too many or too many bytes.
 */
export const KEEP_LIMITS = {
  received: { count: 1000, bytes: 8 * 1024 * 1024 },
  messages: { count: 500, bytes: 16 * 1024 * 1024 },
} as const;

/** Appends `item`, then drops from the front until both bounds hold again; the newest item always stays. */
export function keepBounded<T>(list: T[], item: T, size: (item: T) => number, limit: { count: number; bytes: number }): void {
  list.push(item);
  let bytes = list.reduce((sum, kept) => sum + size(kept), 0);
  while (list.length > 1 && (list.length > limit.count || bytes > limit.bytes)) bytes -= size(list.shift() as T);
}

/**
 * How big a message the emulator takes, whichever way it comes: the API's send body (Gmail's
 * simple-upload send takes bigger bodies than the OAuth endpoints) and SMTP's DATA (Gmail's own SMTP
 * limit is 35882577, its EHLO's SIZE as quoted in kisli/vmime#110).
 */
export const SEND_SIZE_LIMIT = 1024 * 1024;
