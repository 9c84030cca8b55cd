// Preloaded into a CLI child (node --import) by test/e2e/odd-files.test.ts: link(2) fails with EPERM,
// as it does on vfat, exFAT and some network mounts, which have no hard links.
import fs from 'node:fs';
import fsPromises from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';

function noHardLinks(existing, path) {
  return Object.assign(new Error(`EPERM: operation not permitted, link '${existing}' -> '${path}'`), { code: 'EPERM', errno: -1, syscall: 'link' });
}
fsPromises.link = async (existing, path) => {
  throw noHardLinks(existing, path);
};
fs.linkSync = (existing, path) => {
  throw noHardLinks(existing, path);
};
fs.link = (existing, path, callback) => process.nextTick(callback, noHardLinks(existing, path));
// The bundle's `import { link } from 'node:fs/promises'` sees the replacement only after this.
syncBuiltinESMExports();
process.stderr.write('[test: link(2) fails with EPERM]\n');
