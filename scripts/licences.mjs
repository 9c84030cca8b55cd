/**
 * The licences of what the bundle contains (issue 9, item 6): every package esbuild bundled,
 * with its licence text (and Apache NOTICE), in one file shipped in dist/. A bundled package whose
 * licence text is missing, or whose licence is not one the project accepts, fails the build.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** SPDX identifiers the project accepts for code it ships. */
export const ACCEPTED = ['MIT', 'ISC', 'Apache-2.0', '0BSD', 'BSD-2-Clause', 'BSD-3-Clause'];

/** `node_modules/@scope/name/lib/x.js` → `node_modules/@scope/name` (the innermost package). */
function packageDirOf(input) {
  const parts = input.split('/');
  const at = parts.lastIndexOf('node_modules');
  if (at < 0) return undefined;
  const length = parts[at + 1]?.startsWith('@') ? 3 : 2;
  return parts.slice(0, at + length).join('/');
}

/** The folders (relative to `root`) of the packages whose files esbuild put in the bundle. */
export function bundledPackages(metafile) {
  const dirs = new Set();
  for (const output of Object.values(metafile.outputs)) {
    // A plugin's module (`namespace:path`) is not a file; the package it stands for is bundled too.
    for (const input of Object.keys(output.inputs).filter((name) => !/^[\w-]+:/.test(name))) {
      const dir = packageDirOf(input);
      if (dir) dirs.add(dir);
    }
  }
  return [...dirs].sort();
}

/** An SPDX expression is accepted when each of its AND terms has an accepted OR alternative. */
export function licenceAccepted(expression) {
  if (typeof expression !== 'string' || expression.trim() === '') return false;
  return expression
    .replace(/[()]/g, ' ')
    .split(/\s+AND\s+/)
    .every((term) => term.split(/\s+OR\s+/).some((name) => ACCEPTED.includes(name.trim())));
}

function licenceOf(manifest) {
  const field = manifest.license ?? manifest.licenses;
  if (Array.isArray(field)) return field.map((entry) => entry?.type ?? entry).join(' OR ');
  return typeof field === 'object' && field !== null ? field.type : field;
}

const TEXT_FILE = /^(licen[cs]e|copying)([.-].*)?$/i;
const NOTICE_FILE = /^notice(\..*)?$/i;
const README_FILE = /^readme(\.md|\.markdown)?$/i;

/**
 * Some packages (data-uri-to-buffer) carry their licence only as a README section. It counts when
 * it holds a copyright line: a bare "MIT" there is a name, not a text to reproduce.
 */
export function readmeLicence(readme) {
  const lines = readme.split(/\r?\n/);
  const isHeading = (i) => /^#{1,6}\s/.test(lines[i] ?? '') || /^(-{3,}|={3,})\s*$/.test(lines[i + 1] ?? '');
  const start = lines.findIndex((line, i) => /^(#{1,6}\s*)?licen[cs]e\s*$/i.test(line.trim()) && isHeading(i));
  if (start < 0) return undefined;
  const body = [];
  for (let i = start + (lines[start]?.startsWith('#') ? 1 : 2); i < lines.length && !isHeading(i); i += 1) {
    if (!/^\[[^\]]+\]:\s/.test(lines[i] ?? '')) body.push(lines[i]);
  }
  const text = body.join('\n').trim();
  return /copyright/i.test(text) ? text : undefined;
}

/** Reads one bundled package's name, version, licence and texts; `problem` says why it is refused. */
export function describePackage(root, dir) {
  const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
  const files = readdirSync(join(root, dir));
  const texts = files.filter((file) => TEXT_FILE.test(file)).sort().map((file) => readFileSync(join(root, dir, file), 'utf8').trim());
  if (texts.length === 0) {
    const readme = files.find((file) => README_FILE.test(file));
    const fromReadme = readme ? readmeLicence(readFileSync(join(root, dir, readme), 'utf8')) : undefined;
    if (fromReadme) texts.push(fromReadme);
  }
  const notices = files.filter((file) => NOTICE_FILE.test(file)).map((file) => readFileSync(join(root, dir, file), 'utf8').trim());
  const licence = licenceOf(manifest);
  const id = `${manifest.name}@${manifest.version}`;
  let problem;
  if (!licenceAccepted(licence)) problem = `${id} is licensed ${licence ?? '(no license field)'}, not one of ${ACCEPTED.join(', ')}`;
  else if (texts.length === 0) problem = `${id} (${licence}) ships no LICENSE file to reproduce`;
  return { id, licence, texts, notices, problem };
}

/** Writes the licences file for the packages in `dirs` (relative to `root`); throws naming every refused one. */
export function writeLicences(dirs, file, root = process.cwd()) {
  const packages = dirs.map((dir) => describePackage(root, dir));
  const problems = packages.filter((pkg) => pkg.problem).map((pkg) => pkg.problem);
  if (problems.length > 0) throw new Error(`build: bundled packages with a licence the project cannot ship:\n  ${problems.join('\n  ')}`);
  const unique = [...new Map(packages.map((pkg) => [pkg.id, pkg])).values()].sort((a, b) => a.id.localeCompare(b.id));
  const sections = unique.map((pkg) => [`${pkg.id} (${pkg.licence})`, '', ...pkg.texts, ...pkg.notices].join('\n'));
  const header = `gmail-token bundles the following ${unique.length} packages; their licences follow.\n`;
  writeFileSync(file, `${header}\n${sections.join(`\n\n${'-'.repeat(72)}\n\n`)}\n`);
  return unique;
}
