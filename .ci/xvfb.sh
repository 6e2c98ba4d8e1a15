#!/bin/sh
# Install Xvfb and the X libraries Qt's xcb platform loads, for the test that puts the rating pad
# full screen on a second screen (tests/ui/test_rating_pad.py starts an Xvfb of two screens; the
# other UI tests run offscreen and need none of this).
#
#     sh .ci/xvfb.sh
#
# Run as root (or with sudo) on Debian/Ubuntu. Idempotent; progress goes to stderr.
set -eu
log() { echo "xvfb.sh: $*" >&2; }
if command -v Xvfb >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    log "not root and no sudo: the two-screen test will be skipped"
    exit 0
fi
log "installing xvfb"
$SUDO apt-get update -qq >&2
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    xvfb libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 \
    libxcb-render-util0 libxcb-randr0 libxcb-shape0 libxcb-xfixes0 libxcb-xkb1 libxcb-xinerama0 >&2
