/**
 * Text that came from the network, made safe to print: control characters (C0, DEL, C1, which
 * terminals read as commands) become spaces, and the length is capped.
 */
export function printable(value: unknown, max = 200): string | undefined {
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  return typeof value === 'string' ? value.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').slice(0, max) : undefined;
}
