// Preloaded (--require) into Node's Windows build under Wine only, by .ci/windows.mjs: Wine 8
// rejects the TCP keep-alive socket option that fetch() (undici) sets on every connection, so each
// request would fail there. Real Windows accepts it, so the CLI itself must not change for this.
if (process.platform === 'win32' && process.env.WINEPREFIX) {
  process.getBuiltinModule('node:net').Socket.prototype.setKeepAlive = function keepAliveUnsupportedByWine() {
    return this;
  };
}
