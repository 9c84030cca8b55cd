/**
 * Characters that move the cursor, change colours, clear the screen, set the window title, end a
 * line, or reorder text on a terminal: C0 and C1 controls, DEL, the Unicode line and paragraph
 * separators, and the bidirectional overrides ("Trojan Source", CVE-2021-42574).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escaped(character: string): string {
  const code = character.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Text that came from the network, a file or a person's input, made safe to print on a terminal:
 * each unsafe character is shown as a visible escape (`\x1b`), so a crafted message can neither
 * drive the terminal nor forge a line of its own, and the person still sees that it was there.
 */
export function neutralise(text: string): string {
  return text.replace(UNSAFE, escaped);
}

/** A value the person gave, quoted for an error message with its unsafe characters escaped. */
export function shown(value: string): string {
  return `"${neutralise(value.replace(/\\/g, '\\\\').replace(/"/g, '\\"'))}"`;
}
