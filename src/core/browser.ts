/**
 * Whether launching a browser here can work at all. A Linux machine with no display, or a
 * session over SSH, would open nothing (or a browser on the wrong machine), unless $BROWSER
 * names one the person chose, such as a text browser.
 */
export function browserUnavailable(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string | undefined {
  if (env.BROWSER) return undefined;
  if (env.SSH_CONNECTION || env.SSH_TTY) return 'this is an SSH session';
  const desktop = platform === 'darwin' || platform === 'win32';
  if (!desktop && !env.DISPLAY && !env.WAYLAND_DISPLAY) return 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset)';
  return undefined;
}
