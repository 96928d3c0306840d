#!/usr/bin/env bash
# Installs the kiosk on a terminal (Debian): user, Debian packages, venv in /opt/kiosk, units, udev and polkit rules.
# Idempotent: running it again upgrades in place. Run as root from a checkout: `bash deploy/install.sh`.
# `bash deploy/install.sh --broker` installs the bureau's site broker instead (deploy/mosquitto/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$(pwd)
PREFIX=/opt/kiosk

# Mosquitto with deploy/mosquitto/mosquitto.conf as its whole configuration, the plugin's library path as the
# package installed it, random passwords for the plugin's administrator and the console (kept if present), and
# the plugin's file with those two identities (kept if present: it holds every provisioned kiosk).
install_broker() {
    local dir=/etc/mosquitto/kiosk auth=/var/lib/mosquitto/dynamic-security.json plugin who
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mosquitto >/dev/null
    plugin=$(dpkg -L mosquitto | grep '/mosquitto_dynamic_security\.so$')
    install -d -m 0750 -o root -g mosquitto "$dir"
    [ -f /etc/mosquitto/mosquitto.conf.debian ] || cp /etc/mosquitto/mosquitto.conf /etc/mosquitto/mosquitto.conf.debian
    sed "s|^plugin .*|plugin $plugin|" deploy/mosquitto/mosquitto.conf >/etc/mosquitto/mosquitto.conf
    for who in admin console; do
        [ -s "$dir/$who.password" ] || (umask 077 && head -c 24 /dev/urandom | base64 >"$dir/$who.password")
    done
    if [ ! -f "$auth" ]; then
        "$PREFIX/.venv/bin/kiosk" provision broker-auth "$auth" --admin-password-file "$dir/admin.password" \
            --console-password-file "$dir/console.password"
        chown mosquitto:mosquitto "$auth"
    fi
    systemctl enable mosquitto.service
    echo "broker installed; put ca.pem, broker.pem and broker.key in $dir (group mosquitto), then restart mosquitto"
}

id kiosk >/dev/null 2>&1 || useradd --system --create-home --home-dir /var/lib/kiosk --shell /usr/sbin/nologin kiosk
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    python3-venv libgl1-mesa-dri libegl1 libgles2 libmtdev1 fonts-wqy-zenhei espeak-ng polkitd >/dev/null
mkdir -p "$PREFIX"
cp -a "$SRC/." "$PREFIX/src/"
[ -x "$PREFIX/.venv/bin/python" ] || python3 -m venv "$PREFIX/.venv"
"$PREFIX/.venv/bin/pip" install -q "$PREFIX/src"
if [ "${1:-}" = "--broker" ]; then
    install_broker
    exit 0
fi
install -m 0644 deploy/systemd/kiosk.service /etc/systemd/system/kiosk.service
install -m 0644 deploy/udev/99-kiosk.rules /etc/udev/rules.d/99-kiosk.rules
# The fleet's reboot command: logind lets the kiosk user reboot (polkit); its upload_logs reaches back across
# reboots only in a persistent journal.
install -D -m 0644 deploy/polkit/50-kiosk-reboot.rules /etc/polkit-1/rules.d/50-kiosk-reboot.rules
install -d /var/log/journal && systemd-tmpfiles --create --prefix /var/log/journal && journalctl --flush
install -m 0644 deploy/tmpfiles.d/kiosk.conf /etc/tmpfiles.d/kiosk.conf
systemd-tmpfiles --create /etc/tmpfiles.d/kiosk.conf
[ -f /etc/kiosk/kiosk.toml ] || install -m 0644 config/kiosk.example.toml /etc/kiosk/kiosk.toml
"$PREFIX/.venv/bin/kiosk" config check /etc/kiosk/kiosk.toml
udevadm control --reload-rules && udevadm trigger --subsystem-match=tty
systemctl daemon-reload
systemctl enable kiosk.service
echo "installed; set the maintenance PIN with: $PREFIX/.venv/bin/kiosk maintenance hash-pin, then start kiosk.service"
