#!/usr/bin/env bash
# The Debian packages the tests (and the bench's Python peer) need beside npm's: real Chromium for
# the browser tests, Python's google-auth and python-dotenv for the interop tests, and the mail programs
# whose README recipes test/system/mail-programs.test.ts runs (msmtp, git send-email, neomutt). Installs what is missing when
# it can (root with apt-get, as on CI and the project's machines); otherwise says what to install.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
/usr/bin/python3 -c 'import google.oauth2.credentials, google.auth.transport.requests' 2>/dev/null || missing+=(python3-google-auth python3-requests)
/usr/bin/python3 -c 'import google_auth_oauthlib' 2>/dev/null || missing+=(python3-google-auth-oauthlib)
/usr/bin/python3 -c 'import dotenv' 2>/dev/null || missing+=(python3-dotenv)
command -v msmtp >/dev/null 2>&1 || missing+=(msmtp)
command -v neomutt >/dev/null 2>&1 || missing+=(neomutt)
# openssl makes the certificate of the local IMAP server neomutt logs in to (it sends OAuth only over TLS).
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
# git send-email is Debian's git-email; it needs Mail::Address, which is only its Recommends.
[ -x "$(git --exec-path 2>/dev/null)/git-send-email" ] || missing+=(git git-email)
/usr/bin/perl -MMail::Address -e 1 2>/dev/null || missing+=(libmailtools-perl)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "The tests need these Debian packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing ${missing[*]} for the tests (apt-get)" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
