/** `host:port` as `gmail-token emulator` prints it: a name or IPv4 address, or an IPv6 address in brackets. */
export interface HostPort {
  host: string;
  /** Written in brackets (an IPv6 address): a URL or a later `host:port` needs them back. */
  bracketed: boolean;
  port: number;
}

/** Splits `host:port` (the *_HOST variables' values); undefined for anything else, or a port outside 1–65535. */
export function parseHostPort(value: string): HostPort | undefined {
  const match = /^(?:\[([0-9a-fA-F:]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(value);
  const port = Number(match?.[3]);
  if (!match || port < 1 || port > 65535) return undefined;
  const bracketed = match[1] !== undefined;
  return { host: (bracketed ? match[1] : match[2]) as string, bracketed, port };
}
