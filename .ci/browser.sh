#!/bin/sh
# Install Chromium from the distribution's packages (and a CJK font for the pages), for the
# headless-browser test of /kiosk and /board (tests/central/test_hall_pages.py, driven by
# Playwright with the system browser: Playwright's own browser download is not used).
#
#     sh .ci/browser.sh
#
# Run as root (or with sudo) on Debian/Ubuntu. Idempotent; progress goes to stderr.
set -eu
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
    exit 0
fi
exec sh "$(dirname "$0")/apt_install.sh" browser.sh "the browser test" chromium fonts-wqy-microhei
