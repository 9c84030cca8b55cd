import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Every link between the project's own pages resolves, anchors included. README.md is what npm
 * shows and the only page packed, so it links to the others by their address in the repository;
 * those addresses are checked against the files here too, as are the ones the CLI prints.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const REPOSITORY = 'https://github.com/gmail-token/gmail-token/blob/main/';

function markdownFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

const PAGES = ['README.md', 'SECURITY.md', 'CONTRIBUTING.md', 'bench/README.md', 'bench/RESULTS.md', ...markdownFiles('docs')].filter((page) => existsSync(join(ROOT, page)));

/** Text outside fenced code blocks and inline code, where a link or a heading means one. */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, '').replace(/`[^`\n]*`/g, (code) => ' '.repeat(code.length));
}

/** The anchors GitHub gives a page's headings (github-slugger's rule: lower case, punctuation dropped, spaces to hyphens). */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  const headings = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, '').matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm);
  for (const [, heading] of headings) {
    const slug = (heading as string).toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** Each link of `page` (a path from the root) that does not lead to an existing file and heading. */
function brokenLinks(page: string, markdown: string, read = (path: string) => readFileSync(join(ROOT, path), 'utf8')): string[] {
  const broken: string[] = [];
  for (const [, target] of prose(markdown).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const link = target as string;
    if (/^(mailto:|https?:)/.test(link) && !link.startsWith(REPOSITORY)) continue;
    const [path = '', anchor] = link.startsWith(REPOSITORY) ? link.slice(REPOSITORY.length).split('#') : link.split('#');
    const file = link.startsWith(REPOSITORY) ? path : path === '' ? page : relative(ROOT, join(ROOT, dirname(page), path));
    if (!existsSync(join(ROOT, file))) {
      broken.push(`${link}: no file ${file}`);
      continue;
    }
    if (anchor !== undefined && statSync(join(ROOT, file)).isFile() && file.endsWith('.md') && !anchorsOf(read(file)).has(anchor)) {
      broken.push(`${link}: no heading #${anchor} in ${file}`);
    }
  }
  return broken;
}

describe('links between the documentation pages', () => {
  it.each(PAGES)('%s: every relative link, and every link into this repository, resolves', (page) => {
    expect(brokenLinks(page, readFileSync(join(ROOT, page), 'utf8'))).toEqual([]);
  });

  it('README.md links to no page by a relative path, which npm could not follow', () => {
    const relativeLinks = [...prose(readFileSync(join(ROOT, 'README.md'), 'utf8')).matchAll(/\]\(([^)\s]+)\)/g)]
      .map((found) => found[1] as string)
      .filter((link) => !/^(https?:|mailto:|#)/.test(link));
    expect(relativeLinks).toEqual([]);
  });

  it("package.json names the repository README links into, so npm's page shows where the rest is", () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { repository?: { url?: string }; homepage?: string; bugs?: { url?: string } };
    const base = REPOSITORY.replace(/\/blob\/main\/$/, '');
    expect(manifest.repository?.url).toBe(`git+${base}.git`);
    expect(manifest.homepage).toBe(`${base}#readme`);
    expect(manifest.bugs?.url).toBe(`${base}/issues`);
  });

  it('the repository addresses the CLI prints lead to existing files', () => {
    const sources = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' });
    const addresses = sources
      .filter((file) => file.endsWith('.ts'))
      .flatMap((file) => [...readFileSync(join(ROOT, 'src', file), 'utf8').matchAll(/https:\/\/github\.com\/gmail-token\/gmail-token\/blob\/main\/[\w./#-]+/g)].map((found) => found[0]));
    expect(addresses.length).toBeGreaterThan(0);
    for (const address of addresses) expect(brokenLinks('README.md', `[x](${address})`), address).toEqual([]);
  });

  it('a link to a missing file or heading is reported', () => {
    expect(brokenLinks('docs/reference.md', '[a](nowhere.md) [b](credentials.md#no-such-heading) [c](#exit-codes) `[d](nowhere.md)`')).toEqual([
      'nowhere.md: no file docs/nowhere.md',
      'credentials.md#no-such-heading: no heading #no-such-heading in docs/credentials.md',
    ]);
  });

  it('anchors follow GitHub: code and punctuation dropped, repeats numbered', () => {
    expect([...anchorsOf('# `token.json` fields\n## check --json fields\n```sh\n# not a heading\n```\n## Notes\n## Notes\n')]).toEqual([
      'tokenjson-fields',
      'check---json-fields',
      'notes',
      'notes-1',
    ]);
  });
});
