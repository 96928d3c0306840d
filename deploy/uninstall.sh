#!/usr/bin/env bash
# Removes the kiosk from a terminal, as root: stops and disables the unit, removes the files install.sh put in
# place (files.txt) and every release under /opt/kiosk. The terminal's identity and keys (/etc/kiosk), its data
# (/var/lib/kiosk) and the kiosk user stay, unless --purge. Debian packages stay (other software may need them).
# Idempotent: running it on a terminal without the kiosk changes nothing.
#   bash uninstall.sh [--purge]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
case ${1:-} in
    --purge) PURGE=yes ;;
    "") PURGE=no ;;
    *) echo "usage: bash uninstall.sh [--purge]" >&2; exit 2 ;;
esac
[ "$(id -u)" -eq 0 ] || { echo "uninstall.sh: run as root" >&2; exit 1; }

for unit in kiosk.service kiosk-update.path; do
    [ -f "/etc/systemd/system/$unit" ] || continue
    if [ -d /run/systemd/system ]; then systemctl disable --now "$unit"; else systemctl disable "$unit"; fi
done
grep -v '^#' "$HERE/files.txt" | while read -r _source target _mode; do rm -f "$target"; done
rm -rf /opt/kiosk
if [ "$PURGE" = yes ]; then
    rm -rf /etc/kiosk /var/lib/kiosk
    if id -u kiosk >/dev/null 2>&1; then userdel kiosk; fi
fi
if [ -d /run/systemd/system ]; then
    systemctl daemon-reload
    udevadm control --reload-rules
fi
echo "kiosk removed$([ "$PURGE" = yes ] && echo ', with its configuration, data and user' || echo '; /etc/kiosk and /var/lib/kiosk kept (--purge removes them)')"
