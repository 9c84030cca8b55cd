import { readFileSync } from 'node:fs';

/**
 * A recipe as the manual shows it: the code block right after `<!-- recipe: name … -->` on
 * docs/recipes/<page>.md, so the tests run exactly what a reader copies.
 */
export interface Recipe {
  code: string;
  /** The arguments of the last `gmail-token mint …` line the page shows before the recipe, if any. */
  mint: string[];
}

export function recipePage(page: string): string {
  return readFileSync(new URL(`../../docs/recipes/${page}.md`, import.meta.url), 'utf8');
}

export function recipe(page: string, name: string): Recipe {
  const text = recipePage(page);
  const marker = new RegExp(`<!-- recipe: ${name}(?:\\s[^>]*)?-->\\n`).exec(text);
  const block = marker ? /^```\w*\n([\s\S]*?\n)```\n/.exec(text.slice(marker.index + marker[0].length)) : null;
  if (!marker || !block) throw new Error(`docs/recipes/${page}.md has no code block right after <!-- recipe: ${name} -->`);
  const line = [...text.slice(0, marker.index).matchAll(/^gmail-token mint\b(.*)$/gm)].at(-1);
  const mint = line ? ['mint', ...(line[1] as string).replace(/#.*/, '').split(/\s+/).filter(Boolean)] : [];
  return { code: block[1] as string, mint };
}
