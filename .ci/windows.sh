#!/usr/bin/env bash
# The Windows job: the built CLI's win32 code paths, run by Node's official Windows build under
# Debian's Wine (see .ci/windows.mjs). Needs dist/ built. Installs wine/wine64 when missing and it
# can (root with apt-get, as on CI); otherwise it fails and says what to install.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v wine >/dev/null 2>&1 || [ ! -x /usr/lib/wine/wine64 ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "windows: Wine is missing; install it with: sudo apt-get install -y --no-install-recommends wine wine64"
    echo "windows: 0 passed, 1 failed"
    exit 1
  fi
  echo "Installing wine wine64 for the Windows job (apt-get)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wine wine64 >/dev/null
fi
exec node .ci/windows.mjs
