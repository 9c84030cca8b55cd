#!/usr/bin/env node
/**
 * `npm run build`: bundles src/ into dist/, the one self-contained thing the package ships
 * (issue 9). Entry points rather than a file list, so new files under src/ are bundled as soon as
 * something imports them. Split chunks keep start-up lazy: each `await import()` in src/ becomes
 * its own chunk, so --help loads the CLI chunk and commander, not google-auth-library.
 *
 * Also writes, beside the code: the `xdg-open` script that `open` ships as a file next to its own
 * code, the third-party licences of every bundled package, and (outside dist/, not shipped)
 * esbuild's metafile, which the bench and the audit read to know what is bundled.
 */
import { build } from 'esbuild';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundledPackages, writeLicences } from './licences.mjs';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DIST = join(ROOT, 'dist');
/** esbuild's metafile of the last build; not in the package. */
export const METAFILE = join(ROOT, '.build', 'metafile.json');

/**
 * The CLI, and the emulator as a module of its own (the bench and test/tools start it in-process).
 * Their paths in dist/ are the ones bin/gmail-token.js and those scripts import.
 */
const ENTRY_POINTS = ['src/cli/main.ts', 'src/emulator/index.ts'];

/**
 * esbuild's ESM output has no `require`; the CommonJS packages it bundles (google-auth-library
 * and its tree) call it for Node's built-in modules.
 */
const REQUIRE_BANNER = "import{createRequire as __gmailTokenRequire}from'node:module';const require=__gmailTokenRequire(import.meta.url);";

/** Node's rule: .cjs, or .js under a package.json without "type": "module". */
function isCommonJs(file) {
  if (file.endsWith('.cjs')) return true;
  if (!file.endsWith('.js')) return false;
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) return JSON.parse(readFileSync(manifest, 'utf8')).type !== 'module';
  }
  return true;
}

/**
 * `await import('a-commonjs-package')` in a split bundle yields a chunk whose only export is
 * `default`, so `(await import('google-auth-library')).OAuth2Client` is undefined ("OAuth2Client is
 * not a constructor"), and so is gaxios's `(await import('https-proxy-agent')).HttpsProxyAgent`
 * behind a proxy. Node gives such an import the package's named exports; this plugin puts a module
 * between the two that re-exports them by name (read by requiring the package here, at build time).
 */
const commonJsNamedExports = {
  name: 'commonjs-named-exports',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.kind !== 'dynamic-import' || args.pluginData === 'inner' || isBuiltin(args.path)) return undefined;
      const resolved = await build.resolve(args.path, { kind: 'import-statement', resolveDir: args.resolveDir, pluginData: 'inner' });
      if (resolved.errors.length > 0 || resolved.external || !isCommonJs(resolved.path)) return undefined;
      return { path: resolved.path, namespace: 'commonjs-named-exports' };
    });
    build.onLoad({ filter: /.*/, namespace: 'commonjs-named-exports' }, (args) => {
      const names = Object.keys(createRequire(args.path)(args.path)).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default' && name !== '__esModule');
      return { contents: `export { ${names.join(', ')} } from ${JSON.stringify(args.path)};`, resolveDir: dirname(args.path), loader: 'js' };
    });
  },
};

/**
 * fetch-blob (under node-fetch, under gaxios) requires web-streams-polyfill only when there is no
 * global ReadableStream, which every Node this package supports (engines: >=20.17) has. Leaving
 * it out takes 80 kB off the package; should that branch ever run, it fails saying why.
 */
const leaveOutPolyfills = {
  name: 'leave-out-polyfills',
  setup(build) {
    build.onResolve({ filter: /^web-streams-polyfill(\/|$)/ }, (args) => ({ path: args.path, namespace: 'left-out' }));
    build.onLoad({ filter: /.*/, namespace: 'left-out' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`${args.path} is not bundled: this Node has no global ReadableStream`)});`,
      loader: 'js',
    }));
  },
};

export async function bundle({ write = true } = {}) {
  return build({
    absWorkingDir: ROOT,
    entryPoints: ENTRY_POINTS,
    outbase: 'src',
    outdir: DIST,
    entryNames: '[dir]/[name]',
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: true,
    // Errors take their name from their class (ours by new.target.name, node-fetch's and gaxios's by
    // constructor.name) and the network-error messages read it, so class names must survive minifying.
    keepNames: true,
    // Linked maps: Node reads them only when source maps are on (bin/ turns them on for DEBUG).
    sourcemap: 'linked',
    sourcesContent: false,
    // The licences go in one file (dist/THIRD-PARTY-LICENSES.txt) instead of comments in the code.
    legalComments: 'none',
    banner: { js: REQUIRE_BANNER },
    plugins: [commonJsNamedExports, leaveOutPolyfills],
    metafile: true,
    logLevel: 'warning',
    write,
  });
}

/** `open` runs the `xdg-open` it ships next to its code: put a copy next to the chunk holding that code. */
function copyXdgOpen(metafile) {
  const openChunks = Object.entries(metafile.outputs).filter(([, output]) => Object.keys(output.inputs).some((input) => input.startsWith('node_modules/open/')));
  if (openChunks.length === 0) throw new Error('build: the open package was not bundled; where does the browser launcher come from?');
  for (const [output] of openChunks) {
    const target = join(ROOT, dirname(output), 'xdg-open');
    copyFileSync(join(ROOT, 'node_modules', 'open', 'xdg-open'), target);
    chmodSync(target, 0o755);
  }
}

/**
 * Source maps are for stacks through our own code (DEBUG=gmail-token); a chunk made only of
 * dependencies keeps its bundled line and column instead of shipping a map of code we did not write.
 */
function dropDependencyOnlyMaps(metafile) {
  for (const [output, { inputs }] of Object.entries(metafile.outputs)) {
    if (!output.endsWith('.js') || Object.keys(inputs).some((input) => input.startsWith('src/'))) continue;
    const file = join(ROOT, output);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\n?$/, '\n'));
    rmSync(`${file}.map`);
  }
}

async function main() {
  rmSync(DIST, { recursive: true, force: true });
  const result = await bundle();
  mkdirSync(dirname(METAFILE), { recursive: true });
  writeFileSync(METAFILE, JSON.stringify(result.metafile));
  copyXdgOpen(result.metafile);
  dropDependencyOnlyMaps(result.metafile);
  const packages = writeLicences(bundledPackages(result.metafile), join(DIST, "THIRD-PARTY-LICENSES.txt"), ROOT);
  process.stderr.write(`build: dist/ bundles src/ and ${packages.length} packages; licences in dist/THIRD-PARTY-LICENSES.txt\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main().catch((error) => {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  });
}
