#!/usr/bin/env node
/**
 * `npm run build`: bundles src/ into dist/, the one self-contained thing the package ships
 * (issues 9 and 23). Each file of dist/ is one "unit" below, bundled on its own as CommonJS:
 * Node 20 starts its ES module loader (about 11 ms) before an ES module's first line, and on Node
 * 22+ an ES module's `import` of node:http pulls in all of undici; CommonJS `require`s Node's
 * built-ins and skips both. A unit loads another with import() (which esbuild turns into require),
 * so a command's code loads only when the command runs. Few units, because a first `npx` pays
 * 5–7 ms per file in the package; code two units share is copied into both (which is why our
 * error classes are branded: src/core/errors.ts).
 *
 *   npm run build                  what the package ships: no source maps
 *   npm run build -- --sourcemap   a linked .map beside each file, for DEBUG=gmail-token stacks that
 *                                  name src/ lines (run with NODE_OPTIONS=--enable-source-maps)
 *
 * Also writes, beside the code: the `xdg-open` script that `open` ships as a file next to its own
 * code, the third-party licences of every bundled package, and (outside dist/, not shipped)
 * esbuild's metafile, which the bench, the audit and the tests read to know what is where.
 */
import { build } from 'esbuild';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundledPackages, writeLicences } from './licences.mjs';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DIST = join(ROOT, 'dist');
/** esbuild's metafile of the last build; not in the package. */
export const METAFILE = join(ROOT, '.build', 'metafile.json');

/**
 * Every file of code in dist/ (without `.cjs`), and what it bundles. `cli/gmail-token` is the bin:
 * argument parsing, help, version and usage errors, in one file; it sits in dist/cli/ so that
 * src/cli/version.ts finds package.json at the same `../../package.json`. Each command is one
 * file; mint's holds everything up to its consent URL, and what it needs after consent is one
 * more. (Mint's code in the start file would spare mint one file but make every --help parse
 * 40 kB more: measured, --help 1.76–1.85× bare node with it, 1.42–1.76× without, the consent URL
 * the same.) Packages named here are loaded by import() and get a file of their own, shared by
 * every unit that loads them; any other import is bundled into its importer's unit.
 */
export const UNITS = {
  'cli/gmail-token': 'src/cli/start.ts',
  'cli/commands/mint': 'src/cli/commands/mint.ts',
  'oauth/after-consent': 'src/oauth/after-consent.ts',
  'cli/commands/check': 'src/cli/commands/check.ts',
  'cli/commands/access-token': 'src/cli/commands/access-token.ts',
  'cli/commands/revoke': 'src/cli/commands/revoke.ts',
  'cli/commands/emulator': 'src/cli/commands/emulator.ts',
  'cli/commands/demo': 'src/cli/commands/demo.ts',
  // Also what the bench and test/tools start in-process (import() of a CommonJS file works from ESM).
  'emulator/index': 'src/emulator/index.ts',
  'vendor/google-auth-library': 'google-auth-library/build/src/auth/oauth2client.js',
  'vendor/open': 'open',
  'vendor/inquirer-confirm': '@inquirer/confirm',
  'vendor/inquirer-input': '@inquirer/input',
};

/**
 * An import of another unit's source becomes a require of that unit's file, by its path relative
 * to the unit being built.
 */
function unitBoundaries(self, entries) {
  return {
    name: 'unit-boundaries',
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind === 'entry-point' || args.pluginData === 'inner' || isBuiltin(args.path)) return undefined;
        const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'inner' });
        const unit = entries.get(resolved.path);
        if (resolved.errors.length > 0 || unit === undefined || unit === self) return undefined;
        const path = relative(dirname(join(DIST, self)), join(DIST, `${unit}.cjs`)).split('\\').join('/');
        return { path: path.startsWith('.') ? path : `./${path}`, external: true };
      });
    },
  };
}

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

/**
 * Issue 23, item 2: built-ins come through `require`, never an ES `import` (on Node 22+ that
 * loads undici behind node:http). CommonJS output with import() lowered to require() guarantees
 * it; this fails the build should a setting or a plugin ever bring one back.
 */
export const builtinsThroughRequire = {
  name: 'builtins-through-require',
  setup(build) {
    build.onEnd((result) => {
      const errors = Object.entries(result.metafile?.outputs ?? {}).flatMap(([output, { imports }]) =>
        imports.filter(({ path, kind }) => isBuiltin(path) && kind !== 'require-call').map(({ path, kind }) => ({ text: `${output}: ${kind} of the built-in ${path}; built-ins must come through require` })),
      );
      return { errors };
    });
  },
};

/** The file a unit starts from: its source, or the file esbuild resolves the package to. */
async function entryPath(source) {
  if (source.startsWith('src/')) return join(ROOT, source);
  let path;
  const capture = {
    name: 'capture',
    setup(build) {
      build.onStart(async () => {
        const resolved = await build.resolve(source, { kind: 'dynamic-import', resolveDir: ROOT });
        if (resolved.errors.length > 0) throw new Error(`build: cannot resolve ${source}`);
        path = resolved.path;
      });
    },
  };
  await build({ stdin: { contents: '' }, platform: 'node', write: false, logLevel: 'silent', plugins: [capture] });
  return path;
}

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
 * `(await import('open')).default` is open's function when Node loads the ES module, but the
 * exports object when the import() is a require() of a CommonJS file (Node's rule, which esbuild
 * follows). So a unit made of an ES module package exports its default export, carrying the
 * named exports as properties: both readings then find what they look for.
 */
function defaultExportShim(entry) {
  const contents = `const m = require(${JSON.stringify(entry)});\nmodule.exports = Object.assign(m.default, m);\n`;
  return { stdin: { contents, resolveDir: dirname(entry), loader: 'js' } };
}

function bundleUnit(unit, entry, entries, { sourcemap, outdir }) {
  const esmPackage = entry.includes('/node_modules/') && !isCommonJs(entry);
  return build({
    absWorkingDir: ROOT,
    ...(esmPackage ? defaultExportShim(entry) : { entryPoints: [entry] }),
    outfile: join(outdir, `${unit}.cjs`),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    // import() becomes Promise.resolve().then(() => require(…)): a CommonJS unit keeps its
    // lazy imports lazy without ever starting the ES module loader.
    supported: { 'dynamic-import': false },
    // import.meta is empty in CommonJS; version.ts and `open` (its xdg-open) need the file's URL.
    define: { 'import.meta.url': 'import_meta_url' },
    inject: [join(ROOT, 'scripts', 'import-meta-url.mjs')],
    minify: true,
    // Errors take their name from their class (ours by new.target.name, node-fetch's and gaxios's by
    // constructor.name), the network-error messages read it and instanceof of ours compares it,
    // so class names must survive minifying.
    keepNames: true,
    sourcemap: sourcemap ? 'linked' : false,
    sourcesContent: false,
    // The licences go in one file (dist/THIRD-PARTY-LICENSES.txt) instead of comments in the code.
    legalComments: 'none',
    plugins: [unitBoundaries(unit, entries), leaveOutPolyfills, builtinsThroughRequire],
    metafile: true,
    logLevel: 'warning',
    write: false,
  });
}

/** Builds every unit into `outdir`; returns one metafile for all of them. */
export async function bundle({ write = true, sourcemap = false, outdir = DIST } = {}) {
  const sources = Object.entries(UNITS);
  const paths = await Promise.all(sources.map(([, source]) => entryPath(source)));
  const entries = new Map(paths.map((path, i) => [path, sources[i][0]]));
  const results = await Promise.all(sources.map(([unit], i) => bundleUnit(unit, paths[i], entries, { sourcemap, outdir })));
  const metafile = { inputs: {}, outputs: {} };
  for (const result of results) {
    Object.assign(metafile.inputs, result.metafile.inputs);
    Object.assign(metafile.outputs, result.metafile.outputs);
    if (!write) continue;
    for (const file of result.outputFiles) {
      mkdirSync(dirname(file.path), { recursive: true });
      writeFileSync(file.path, file.contents, { mode: file.path.endsWith('gmail-token.cjs') ? 0o755 : 0o644 });
    }
  }
  return { metafile };
}

/**
 * The start file stays the start path (issue 23): a command added to src/cli/commands/ but not to
 * UNITS would be bundled into it, and every --help would pay for parsing it.
 */
function checkStartFile(metafile, outdir) {
  const start = relative(ROOT, join(outdir, 'cli', 'gmail-token.cjs')).split('\\').join('/');
  const strays = Object.keys(metafile.outputs[start]?.inputs ?? {}).filter((input) => input.startsWith('src/cli/commands/'));
  if (strays.length > 0) throw new Error(`build: ${strays.join(', ')} landed in the start file; give each its own unit in UNITS (scripts/build.mjs)`);
}

/** `open` runs the `xdg-open` it ships next to its code: put a copy next to the file holding that code. */
function copyXdgOpen(metafile) {
  const openFiles = Object.entries(metafile.outputs).filter(([output, { inputs }]) => output.endsWith('.cjs') && Object.keys(inputs).some((input) => input.startsWith('node_modules/open/')));
  if (openFiles.length === 0) throw new Error('build: the open package was not bundled; where does the browser launcher come from?');
  for (const [output] of openFiles) {
    const target = join(ROOT, dirname(output), 'xdg-open');
    copyFileSync(join(ROOT, 'node_modules', 'open', 'xdg-open'), target);
    chmodSync(target, 0o755);
  }
}

/** `--sourcemap`, and `--outdir <dir>` (a build elsewhere than dist/, which leaves the metafile alone). */
function options(argv) {
  const at = argv.indexOf('--outdir');
  return { sourcemap: argv.includes('--sourcemap'), outdir: at < 0 ? DIST : resolve(argv[at + 1] ?? '') };
}

async function main() {
  const { sourcemap, outdir } = options(process.argv.slice(2));
  rmSync(outdir, { recursive: true, force: true });
  const { metafile } = await bundle({ sourcemap, outdir });
  checkStartFile(metafile, outdir);
  if (outdir === DIST) {
    mkdirSync(dirname(METAFILE), { recursive: true });
    writeFileSync(METAFILE, JSON.stringify(metafile));
  }
  copyXdgOpen(metafile);
  const packages = writeLicences(bundledPackages(metafile), join(outdir, 'THIRD-PARTY-LICENSES.txt'), ROOT);
  const maps = sourcemap ? ', with source maps' : '';
  process.stderr.write(`build: ${relative(ROOT, outdir)}/ bundles src/ and ${packages.length} packages${maps}; licences in THIRD-PARTY-LICENSES.txt there\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main().catch((error) => {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  });
}
