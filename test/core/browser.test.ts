import { describe, expect, it } from 'vitest';
import { browserUnavailable } from '../../src/core/browser.js';

describe('whether a browser can open here', () => {
  it('not over SSH or on Linux without a display, unless $BROWSER names one', () => {
    expect(browserUnavailable('linux', { DISPLAY: ':0' })).toBeUndefined();
    expect(browserUnavailable('linux', { WAYLAND_DISPLAY: 'wayland-0' })).toBeUndefined();
    expect(browserUnavailable('linux', {})).toBe('there is no display (DISPLAY and WAYLAND_DISPLAY are unset)');
    expect(browserUnavailable('freebsd', {})).toBe('there is no display (DISPLAY and WAYLAND_DISPLAY are unset)');
    expect(browserUnavailable('darwin', {})).toBeUndefined();
    expect(browserUnavailable('win32', {})).toBeUndefined();
    expect(browserUnavailable('darwin', { SSH_CONNECTION: '1 2 3 4' })).toBe('this is an SSH session');
    expect(browserUnavailable('linux', { DISPLAY: ':0', SSH_TTY: '/dev/pts/1' })).toBe('this is an SSH session');
    expect(browserUnavailable('linux', { BROWSER: 'w3m', SSH_TTY: '/dev/pts/1' })).toBeUndefined();
  });
});
