#!/bin/sh
# Prepare a fresh Debian/Ubuntu machine (or any machine with Python 3.11+) for hallclient:
# the system libraries Qt needs, then a virtual environment in .venv with hallclient installed.
set -eu
cd "$(dirname "$0")/.."

APT_PACKAGES="libgl1 libegl1 libfontconfig1 libglib2.0-0 libxkbcommon0 libxkbcommon-x11-0 libdbus-1-3 \
libpulse0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 \
libxcb-shape0 libxcb-xkb1 zbar-tools"

if command -v apt-get >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else SUDO="none"; fi
    if [ "$SUDO" != "none" ]; then
        $SUDO apt-get update -qq
        # shellcheck disable=SC2086
        $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $APT_PACKAGES python3-venv >/dev/null
    else
        echo "note: not root and no sudo; make sure these are installed: $APT_PACKAGES" >&2
    fi
fi

PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# The window client, the central service (the extra a counter PC does not need) and the dev tools.
.venv/bin/python -m pip install -q -e ".[dev,central]"
echo "hallclient is installed in .venv"
