#!/bin/sh
# Install Debian/Ubuntu packages as root, or through sudo, for the CI scripts that need nothing else
# from root (.ci/browser.sh, .ci/xvfb.sh):
#
#     sh .ci/apt_install.sh WHO WHAT-SKIPS PACKAGE...
#
# WHO names the caller in the progress lines (stderr); without root or sudo it says that WHAT-SKIPS
# will be skipped and exits 0, as the tests then skip with their reason.
set -eu
who="$1" skips="$2"
shift 2
log() { echo "$who: $*" >&2; }
if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    log "not root and no sudo: $skips will be skipped"
    exit 0
fi
log "installing $*"
$SUDO apt-get update -qq >&2
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
