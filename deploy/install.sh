#!/usr/bin/env bash
# Installs or upgrades the kiosk on a terminal (Debian 12), as root:
#   bash deploy/install.sh                      from a checkout (builds the wheel and a wheelhouse first)
#   bash BUNDLE/install.sh                      from a bundle made by deploy/bundle.sh: no registry, no source tree
#   bash install.sh --wheel FILE [--wheelhouse DIR]   a given wheel; its dependencies from DIR, else from the registry
#   bash deploy/install.sh --broker             the bureau's site broker instead (deploy/mosquitto/README.md)
# It makes the kiosk user, installs the Debian packages the kiosk needs and removes brltty, unpacks the wheel as
# /opt/kiosk/releases/<version> (own venv, bytecode compiled) and switches /opt/kiosk/current to it, and puts the
# unit, udev/polkit rules, tmpfiles and the /etc/kiosk skeleton in place. Idempotent: the same wheel again changes
# nothing; a newer one goes on trial and is rolled back by itself if it does not come up (kiosk.release).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
PREFIX=/opt/kiosk
SYSTEM_PYTHON=/usr/bin/python3
UNIT="$HERE/systemd/kiosk.service"
DEBIAN_PACKAGES=(python3-venv libgl1-mesa-dri libegl1 libgles2 libgbm1 libdrm2 libmtdev1 fonts-wqy-zenhei espeak-ng
                 polkitd)

usage() { sed -n '2,6s/^# \{0,1\}//p' "$0" >&2; exit 2; }
WHEEL="" WHEELHOUSE="" BROKER=no
while [ $# -gt 0 ]; do
    case $1 in
        --wheel) WHEEL=$(realpath "$2"); shift 2 ;;
        --wheelhouse) WHEELHOUSE=$(realpath "$2"); shift 2 ;;
        --broker) BROKER=yes; shift ;;
        *) usage ;;
    esac
done
[ "$(id -u)" -eq 0 ] || { echo "install.sh: run as root" >&2; exit 1; }
systemd_running() { [ -d /run/systemd/system ]; }
installed() { dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null | grep -q '^ii'; }

# Mosquitto with deploy/mosquitto/mosquitto.conf as its whole configuration, the plugin's library path as the
# package installed it, random passwords for the plugin's administrator and the console (kept if present), and
# the plugin's file with those two identities (kept if present: it holds every provisioned kiosk).
install_broker() {
    local dir=/etc/mosquitto/kiosk auth=/var/lib/mosquitto/dynamic-security.json plugin who
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mosquitto >/dev/null
    plugin=$(dpkg -L mosquitto | grep '/mosquitto_dynamic_security\.so$')
    install -d -m 0750 -o root -g mosquitto "$dir"
    [ -f /etc/mosquitto/mosquitto.conf.debian ] || cp /etc/mosquitto/mosquitto.conf /etc/mosquitto/mosquitto.conf.debian
    sed "s|^plugin .*|plugin $plugin|" "$HERE/mosquitto/mosquitto.conf" >/etc/mosquitto/mosquitto.conf
    for who in admin console; do
        [ -s "$dir/$who.password" ] || (umask 077 && head -c 24 /dev/urandom | base64 >"$dir/$who.password")
    done
    if [ ! -f "$auth" ]; then
        "$PREFIX/current/venv/bin/kiosk" provision broker-auth "$auth" --admin-password-file "$dir/admin.password" \
            --console-password-file "$dir/console.password"
        chown mosquitto:mosquitto "$auth"
    fi
    systemctl enable mosquitto.service
    echo "broker installed; put ca.pem, broker.pem and broker.key in $dir (group mosquitto), then restart mosquitto"
}

# The wheel and where its dependencies come from: a bundle's wheelhouse, or one built now from this checkout.
if [ -z "$WHEELHOUSE" ] && [ -d "$HERE/wheelhouse" ]; then
    WHEELHOUSE=$HERE/wheelhouse
elif [ -z "$WHEELHOUSE" ] && [ -z "$WHEEL" ] && [ -f "$HERE/../pyproject.toml" ]; then
    WHEELHOUSE=$(mktemp -d)
    trap 'rm -rf "$WHEELHOUSE"' EXIT
    bash "$HERE/bundle.sh" "$WHEELHOUSE/bundle" >/dev/null
    WHEELHOUSE=$WHEELHOUSE/bundle/wheelhouse
fi
if [ -z "$WHEEL" ]; then
    WHEEL=$(ls "${WHEELHOUSE:-/nonexistent}"/legal_kiosk-*.whl 2>/dev/null | sort -V | tail -n 1)
    [ -n "$WHEEL" ] || { echo "install.sh: no kiosk wheel: give --wheel FILE or run from a bundle" >&2; exit 2; }
fi

# The kiosk user, in every group the unit gives it (the unit's SupplementaryGroups= is the one list).
GROUP_LIST=$(sed -n 's/^SupplementaryGroups=//p' "$UNIT")
for group in $GROUP_LIST; do
    getent group "$group" >/dev/null || groupadd --system "$group"
done
id -u kiosk >/dev/null 2>&1 ||
    useradd --system --user-group --home-dir /var/lib/kiosk --no-create-home --shell /usr/sbin/nologin kiosk
member_of=" $(id -nG kiosk) "
for group in $GROUP_LIST; do
    [[ $member_of == *" $group "* ]] || usermod --append --groups "$group" kiosk
done

# Debian packages (only those missing, so a prepared terminal needs no registry); brltty claims USB-serial adapters.
missing=()
for package in "${DEBIAN_PACKAGES[@]}"; do installed "$package" || missing+=("$package"); done
if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if installed brltty; then
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq brltty >/dev/null
fi

# The release: unpacked beside the running one by the installer inside the wheel itself, then made current.
before=$(readlink "$PREFIX/current" 2>/dev/null || true)
PYTHONPATH="$WHEEL" "$SYSTEM_PYTHON" -m kiosk.release install "$WHEEL" --root "$PREFIX" --python "$SYSTEM_PYTHON" \
    ${WHEELHOUSE:+--wheelhouse "$WHEELHOUSE"} --switch
KIOSK="$PREFIX/current/venv/bin/kiosk"
if [ "$BROKER" = yes ]; then
    install_broker
    exit 0
fi

# System files (deploy/files.txt), directories, the /etc/kiosk skeleton and the credentials the unit loads.
grep -v '^#' "$HERE/files.txt" | while read -r source target mode; do
    install -D -m "$mode" "$HERE/$source" "$target"
done
systemd-tmpfiles --create /etc/tmpfiles.d/kiosk.conf
[ -f /etc/kiosk/kiosk.toml ] || install -m 0644 "$HERE/kiosk.toml" /etc/kiosk/kiosk.toml
"$KIOSK" config example --output /etc/kiosk/kiosk.example.toml
# systemd refuses to start a unit whose LoadCredential= file is missing: empty ones until `kiosk provision`.
sed -n 's/^LoadCredential=[^:]*://p' "$UNIT" | while read -r secret; do
    [ -e "$secret" ] || install -D -m 0600 /dev/null "$secret"
done
"$KIOSK" config check /etc/kiosk/kiosk.toml
# The fleet's upload_logs reaches back across reboots only in a persistent journal.
install -d /var/log/journal && systemd-tmpfiles --create --prefix /var/log/journal

systemctl enable kiosk.service kiosk-update.path
if systemd_running; then
    systemctl daemon-reload
    systemctl start kiosk-update.path
    udevadm control --reload-rules && udevadm trigger --subsystem-match=tty
    journalctl --flush
    if [ "$before" != "$(readlink "$PREFIX/current")" ] && systemctl is-active --quiet kiosk.service; then
        systemctl restart kiosk.service  # the new release on trial: committed once healthy, else rolled back
    fi
fi
echo "installed $(readlink "$PREFIX/current"); next: the kiosk id, certificate and maintenance PIN in /etc/kiosk" \
    "(README.md beside this script, 'Provision'), then: systemctl start kiosk.service"
