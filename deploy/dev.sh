#!/usr/bin/env bash
# Development and CI entry point: installs what the kiosk needs on a fresh Debian machine, then runs it or its tests.
#   bash deploy/dev.sh run    set up, then run the kiosk in development mode (window under Xvfb if no display)
#   bash deploy/dev.sh test   set up, then run the whole test suite
# Idempotent: a second run only checks what is there. The virtual environment lives at .venv/ in the checkout.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV="$ROOT/.venv"
DEBIAN_PACKAGES=(xvfb libgl1-mesa-dri libegl1 libgles2 libmtdev1 fonts-wqy-zenhei mosquitto espeak-ng postgresql chromium chromium-driver)

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_debian_packages() {
    local missing=()
    for pkg in "${DEBIAN_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "dev.sh: installing Debian packages: ${missing[*]}" >&2
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
}

install_python_environment() {
    local stamp="$VENV/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
    if [ ! -x "$VENV/bin/python" ]; then
        python3 -m venv "$VENV"
    fi
    if [ ! -f "$stamp" ]; then
        echo "dev.sh: installing the kiosk and its test tools into .venv/" >&2
        "$VENV/bin/python" -m pip install -q --upgrade pip
        # test tools, and the build-time extras so the tests can check every shipped artefact against a fresh build
        "$VENV/bin/python" -m pip install -q -e ".[test,content,triage,ime]"
        rm -f "$VENV"/.installed-*
        touch "$stamp"
    fi
}

install_debian_packages
install_python_environment

case "${1:-}" in
    run)
        shift
        exec "$VENV/bin/kiosk" run --dev "$@"
        ;;
    test)
        shift
        # one worker per core (pytest-xdist): every fixture starts its own broker, display, database and ports
        exec "$VENV/bin/python" -m pytest -n auto "$@"
        ;;
    *)
        echo "usage: bash deploy/dev.sh run|test [ARGS...]" >&2
        exit 2
        ;;
esac
