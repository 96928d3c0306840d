#!/usr/bin/env bash
# Installs the kiosk on a terminal (Debian): user, Debian packages, venv in /opt/kiosk, units, udev rules.
# Idempotent: running it again upgrades in place. Run as root from a checkout: `bash deploy/install.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$(pwd)
PREFIX=/opt/kiosk

id kiosk >/dev/null 2>&1 || useradd --system --create-home --home-dir /var/lib/kiosk --shell /usr/sbin/nologin kiosk
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    python3-venv libgl1-mesa-dri libegl1 libgles2 libmtdev1 fonts-wqy-zenhei espeak-ng >/dev/null
mkdir -p "$PREFIX"
cp -a "$SRC/." "$PREFIX/src/"
[ -x "$PREFIX/.venv/bin/python" ] || python3 -m venv "$PREFIX/.venv"
"$PREFIX/.venv/bin/pip" install -q "$PREFIX/src"
install -m 0644 deploy/systemd/kiosk.service /etc/systemd/system/kiosk.service
install -m 0644 deploy/udev/99-kiosk.rules /etc/udev/rules.d/99-kiosk.rules
install -m 0644 deploy/tmpfiles.d/kiosk.conf /etc/tmpfiles.d/kiosk.conf
systemd-tmpfiles --create /etc/tmpfiles.d/kiosk.conf
[ -f /etc/kiosk/kiosk.toml ] || install -m 0644 config/kiosk.example.toml /etc/kiosk/kiosk.toml
"$PREFIX/.venv/bin/kiosk" config check /etc/kiosk/kiosk.toml
udevadm control --reload-rules && udevadm trigger --subsystem-match=tty
systemctl daemon-reload
systemctl enable kiosk.service
echo "installed; set the maintenance PIN with: $PREFIX/.venv/bin/kiosk maintenance hash-pin, then start kiosk.service"
