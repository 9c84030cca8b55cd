import { basename, dirname, extname, join } from 'node:path';

/**
 * Where a rescued copy of `path` goes, beside it. The random part goes before the extension, so
 * the copy still matches the broad ignore patterns the original does (`*.json`, `token*`, `*.env`,
 * `.env*`); a line naming the file itself (`token.json`, `.env`) matches no other name, which the
 * message about the copy says.
 */
export function rescuedName(path: string, random: string): string {
  const name = basename(path);
  const extension = extname(name);
  return join(dirname(path), `${name.slice(0, name.length - extension.length)}.rescued-${random}${extension}`);
}
