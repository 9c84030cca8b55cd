/**
 * A table's entry for a name that came from outside (a callback, Google's answer, a mail header):
 * its own keys only, so `constructor` or `toString` never finds what Object.prototype holds.
 */
export function ownEntry<T>(table: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}
