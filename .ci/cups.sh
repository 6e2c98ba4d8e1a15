#!/bin/sh
# Install CUPS with Debian's virtual PDF printer, start it, make "HallPDF" the default printer,
# and print the lines that point the printing tests at its output folder:
#
#     eval "$(sh .ci/cups.sh)"    # sets HALLCLIENT_TEST_CUPS_PRINTER and HALLCLIENT_TEST_CUPS_OUT
#
# Run as root (or with sudo) on a clean Debian/Ubuntu machine. Progress goes to stderr; stdout
# carries only the export lines. Idempotent: a second run reuses the daemon and the queue.
set -eu

PRINTER="${HALLCLIENT_CUPS_PRINTER:-HallPDF}"
log() { echo "cups.sh: $*" >&2; }

if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    log "not root and no sudo: the printing tests will be skipped"
    exit 0
fi

if ! command -v cupsd >/dev/null 2>&1 || [ ! -e /usr/lib/cups/backend/cups-pdf ]; then
    log "installing cups and printer-driver-cups-pdf"
    $SUDO apt-get update -qq >&2
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        cups cups-client cups-bsd printer-driver-cups-pdf >/tmp/cups-apt.log 2>&1 \
        || { cat /tmp/cups-apt.log >&2; log "apt-get install failed"; exit 1; }
fi

# cups-pdf writes into the job owner's home by default; one fixed folder is easier to watch.
OUT="${HALLCLIENT_CUPS_OUT:-/var/spool/cups-pdf/hallclient}"
$SUDO mkdir -p "$OUT"
$SUDO chmod 0777 "$OUT"
CONF=/etc/cups/cups-pdf.conf
if [ -f "$CONF" ]; then
    $SUDO sed -i -e "s|^#\{0,1\}Out .*|Out $OUT|" -e "s|^#\{0,1\}AnonDirName .*|AnonDirName $OUT|" \
        -e "s|^#\{0,1\}UserUMask .*|UserUMask 0000|" -e "s|^#\{0,1\}Label .*|Label 1|" -e "s|^#\{0,1\}AnonUMask .*|AnonUMask 0000|" "$CONF"
fi

if ! lpstat -r 2>/dev/null | grep -q "is running"; then
    log "starting cupsd"
    if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
        $SUDO systemctl restart cups >&2
    else
        $SUDO cupsd >&2  # daemonises itself
    fi
fi

tries=0
until lpstat -r 2>/dev/null | grep -q "is running"; do
    tries=$((tries + 1))
    [ "$tries" -lt 30 ] || { log "cupsd did not start"; exit 1; }
    sleep 1
done

if ! lpstat -p "$PRINTER" >/dev/null 2>&1; then
    log "adding the virtual PDF printer $PRINTER"
    PPD="$(lpinfo -m 2>/dev/null | awk '/CUPS-PDF/ {print $1; exit}')"
    if [ -n "$PPD" ]; then
        $SUDO lpadmin -p "$PRINTER" -v cups-pdf:/ -m "$PPD" -E >&2
    else
        $SUDO lpadmin -p "$PRINTER" -v cups-pdf:/ -E >&2
    fi
fi
$SUDO cupsenable "$PRINTER" >&2
$SUDO cupsaccept "$PRINTER" >&2
$SUDO lpadmin -d "$PRINTER" >&2

echo "export HALLCLIENT_TEST_CUPS_PRINTER='$PRINTER'"
echo "export HALLCLIENT_TEST_CUPS_OUT='$OUT'"
