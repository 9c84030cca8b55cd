import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundledPackages, licenceAccepted, writeLicences } from '../../scripts/licences.mjs';
import { makeWorkspace } from '../helpers/workspace.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MIT_TEXT = 'MIT License\n\nCopyright (c) 2020 Someone\n\nPermission is hereby granted, free of charge, ...';

let workspace: ReturnType<typeof makeWorkspace>;
beforeEach(() => {
  workspace = makeWorkspace();
});
afterEach(() => workspace.cleanup());

function fakePackage(name: string, manifest: Record<string, unknown>, files: Record<string, string> = {}): string {
  const dir = `node_modules/${name}`;
  mkdirSync(join(workspace.dir, dir), { recursive: true });
  workspace.file(`${dir}/package.json`, JSON.stringify({ name, version: '1.0.0', ...manifest }));
  for (const [file, text] of Object.entries(files)) workspace.file(`${dir}/${file}`, text);
  return dir;
}

describe('the third-party licences of the bundle', () => {
  it('names every package the last build bundled, each with its licence', () => {
    const metafile = JSON.parse(readFileSync(join(ROOT, '.build', 'metafile.json'), 'utf8')) as { outputs: Record<string, { inputs: Record<string, unknown> }> };
    const shipped = readFileSync(join(ROOT, 'dist', 'THIRD-PARTY-LICENSES.txt'), 'utf8');
    const bundled = bundledPackages(metafile) as string[];
    expect(bundled).toContain('node_modules/google-auth-library');
    expect(bundled).toContain('node_modules/commander');
    for (const dir of bundled) {
      const { name, version } = JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')) as { name: string; version: string };
      expect(shipped).toMatch(new RegExp(`^${`${name}@${version}`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\((MIT|ISC|Apache-2\\.0|0BSD|BSD-[23]-Clause)[^)]*\\)$`, 'm'));
    }
    expect(shipped).toMatch(/Apache License/);
  });

  it('accepts MIT, ISC, Apache-2.0 and BSD, alone or as a choice; refuses the rest', () => {
    for (const accepted of ['MIT', 'ISC', 'Apache-2.0', 'BSD-3-Clause', 'BSD-2-Clause', '(MIT OR GPL-3.0)', 'MIT AND ISC']) expect(licenceAccepted(accepted), accepted).toBe(true);
    for (const refused of ['GPL-3.0', 'AGPL-3.0-only', 'UNLICENSED', 'SEE LICENSE IN LICENSE.txt', '', undefined, 'MIT AND GPL-2.0']) expect(licenceAccepted(refused), String(refused)).toBe(false);
  });

  it('writes each licence text, and an Apache NOTICE with it', () => {
    const dirs = [fakePackage('a-mit', { license: 'MIT' }, { LICENSE: MIT_TEXT }), fakePackage('b-apache', { license: 'Apache-2.0' }, { 'LICENSE.txt': 'Apache License 2.0 text', NOTICE: 'b-apache includes code by C' })];
    const out = join(workspace.dir, 'licences.txt');
    writeLicences(dirs, out, workspace.dir);
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/^a-mit@1\.0\.0 \(MIT\)\n\nMIT License/m);
    expect(text).toMatch(/^b-apache@1\.0\.0 \(Apache-2\.0\)\n\nApache License 2\.0 text\nb-apache includes code by C/m);
  });

  it('takes the licence from the README when a package has no LICENSE file (data-uri-to-buffer)', () => {
    const dir = fakePackage('readme-only', { license: 'MIT' }, { 'README.md': `# readme-only\n\nUsage\n-----\n\nx\n\nLicense\n-------\n\n(The MIT License)\n\nCopyright (c) 2014 Someone\n\nPermission is hereby granted\n\n[rfc]: http://example.com\n` });
    const out = join(workspace.dir, 'licences.txt');
    writeLicences([dir], out, workspace.dir);
    expect(readFileSync(out, 'utf8')).toMatch(/\(The MIT License\)\n\nCopyright \(c\) 2014 Someone\n\nPermission is hereby granted\n/);
    expect(readFileSync(out, 'utf8')).not.toMatch(/\[rfc\]/);
  });

  it('fails the build naming a package whose licence is not accepted, or whose text is missing', () => {
    const dirs = [
      fakePackage('gpl-thing', { license: 'GPL-3.0' }, { LICENSE: 'GNU GPL' }),
      fakePackage('no-text', { license: 'MIT' }, { 'README.md': '# no-text\n\n## License\n\nMIT\n' }),
      fakePackage('fine', { license: 'ISC' }, { LICENSE: 'ISC text' }),
    ];
    const attempt = () => writeLicences(dirs, join(workspace.dir, 'licences.txt'), workspace.dir);
    expect(attempt).toThrow(/gpl-thing@1\.0\.0 is licensed GPL-3\.0/);
    expect(attempt).toThrow(/no-text@1\.0\.0 \(MIT\) ships no LICENSE file/);
    expect(attempt).not.toThrow(/fine@/);
  });
});
