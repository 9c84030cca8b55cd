import { readFileSync } from 'node:fs';

/**
 * The version in package.json, read when asked. `../../package.json` is the package's own from
 * src/cli/ and from dist/cli/ alike, which is why the build puts the start file in dist/cli/.
 */
export function version(): string {
  const file = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}
