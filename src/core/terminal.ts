/**
 * Characters that move the cursor, change colours, clear the screen, set the window title, end a
 * line, or reorder text on a terminal: C0 and C1 controls, DEL, the Unicode line and paragraph
 * separators, and the bidirectional marks (the Arabic letter mark U+061C too) and overrides
 * ("Trojan Source", CVE-2021-42574).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_RUNS = new RegExp(`${UNSAFE.source}+`, 'g');

/**
 * Text that came from the network or a file, made safe to print on a terminal: each run of unsafe
 * characters becomes one space, so a crafted message can neither drive the terminal nor forge a
 * line of its own. Every line to stderr passes through here.
 */
export function neutralise(text: string): string {
  return text.replace(UNSAFE_RUNS, ' ');
}

function escaped(character: string): string {
  const code = character.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Text the person typed, with each unsafe character shown as a visible escape (`\x1b`). */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, escaped);
}

/** A value the person gave, quoted for an error message, its unsafe characters escaped. */
export function shown(value: string): string {
  return `"${escapeControls(value.replace(/\\/g, '\\\\').replace(/"/g, '\\"'))}"`;
}
