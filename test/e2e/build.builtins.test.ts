/**
 * Issue 23, item 2: the shipped code never loads a Node built-in through an ES `import` (on Node
 * 22+, one of node:http pulls in all of undici). Checked on dist/ as built, and on the build's
 * guard, which must refuse an output that would.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { builtinsThroughRequire } from '../../scripts/build.mjs';

const DIST = fileURLToPath(new URL('../../dist', import.meta.url));
const code = readdirSync(DIST, { recursive: true })
  .map(String)
  .filter((name) => /\.(c?m?js)$/.test(name));

describe('dist/', () => {
  it('holds only CommonJS files of code', () => {
    expect(code.length).toBeGreaterThan(0);
    for (const name of code) expect(name, name).toMatch(/\.cjs$/);
  });

  it.each(code)('%s has no import statement and no import()', (name) => {
    const source = readFileSync(join(DIST, name), 'utf8').replace(/^#!.*\n/, '');
    // Compiles as a script, as Node compiles a CommonJS file: an import statement would not.
    expect(() => new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`)).not.toThrow();
    expect(source).not.toMatch(/\bimport\s*\(/);
  });
});

describe('the build', () => {
  it('fails an output that imports a built-in as an ES module', async () => {
    const attempt = build({
      stdin: { contents: "import { createServer } from 'node:http'; console.log(createServer);", loader: 'js' },
      bundle: true,
      format: 'esm',
      platform: 'node',
      write: false,
      metafile: true,
      logLevel: 'silent',
      plugins: [builtinsThroughRequire],
    });
    await expect(attempt).rejects.toThrow(/import-statement of the built-in node:http; built-ins must come through require/);
  });

  it('lets the same code through as CommonJS, where it is a require', async () => {
    const built = await build({
      stdin: { contents: "import { createServer } from 'node:http'; void import('node:os').then((os) => console.log(os, createServer));", loader: 'js' },
      bundle: true,
      format: 'cjs',
      supported: { 'dynamic-import': false },
      platform: 'node',
      write: false,
      metafile: true,
      logLevel: 'silent',
      plugins: [builtinsThroughRequire],
    });
    expect(built.errors).toEqual([]);
  });
});
