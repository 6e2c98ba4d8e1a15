#!/bin/sh
# Install Xvfb and the X libraries Qt's xcb platform loads, for the test that puts the rating pad
# full screen on a second screen (tests/ui/test_rating_pad.py starts an Xvfb of two screens; the
# other UI tests run offscreen and need none of this).
#
#     sh .ci/xvfb.sh
#
# Run as root (or with sudo) on Debian/Ubuntu. Idempotent; progress goes to stderr.
set -eu
if command -v Xvfb >/dev/null 2>&1; then
    exit 0
fi
exec sh "$(dirname "$0")/apt_install.sh" xvfb.sh "the two-screen test" \
    xvfb libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 \
    libxcb-render-util0 libxcb-randr0 libxcb-shape0 libxcb-xfixes0 libxcb-xkb1 libxcb-xinerama0
