#!/bin/sh
# Install Chromium from the distribution's packages (and a CJK font for the pages), for the
# headless-browser test of /kiosk and /board (tests/central/test_hall_pages.py, driven by
# Playwright with the system browser: Playwright's own browser download is not used).
#
#     sh .ci/browser.sh
#
# Run as root (or with sudo) on Debian/Ubuntu. Idempotent; progress goes to stderr.
set -eu
log() { echo "browser.sh: $*" >&2; }
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    log "not root and no sudo: the browser test will be skipped"
    exit 0
fi
log "installing chromium"
$SUDO apt-get update -qq >&2
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    chromium fonts-wqy-microhei >&2
