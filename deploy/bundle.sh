#!/usr/bin/env bash
# Builds an installation bundle that needs no registry and no source tree: the kiosk's wheel and every dependency
# as a wheel (OUT/wheelhouse), with install.sh, uninstall.sh and the files they install. Copy OUT to the terminal
# (a USB stick) and run `bash OUT/install.sh` as root there.
#   bash deploy/bundle.sh OUT [--platform manylinux2014_aarch64] [--python-version 3.11]
# The defaults fit this machine's architecture and Debian 12's Python 3.11; pass --platform for an ARM board.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
OUT=${1:?usage: bash deploy/bundle.sh OUT [--platform TAG] [--python-version X.Y]}
shift
PLATFORM=()
PYTHON_VERSION=3.11
while [ $# -gt 0 ]; do
    case $1 in
        --platform) PLATFORM=(--platform "$2"); shift 2 ;;
        --python-version) PYTHON_VERSION=$2; shift 2 ;;
        *) echo "bundle.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
[ -x "$PYTHON" ] || PYTHON=python3

source_copy=$(mktemp -d)
trap 'rm -rf "$source_copy"' EXIT
# What the wheel is built from: the checkout's files as they are (tracked or new, not ignored, not deleted), never
# its build leftovers.
(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard -- pyproject.toml README.md kiosk firmware_bridge |
    while IFS= read -r -d '' file; do [ -e "$file" ] && printf '%s\0' "$file"; done |
    xargs -0 cp --parents -t "$source_copy")
mkdir -p "$OUT/wheelhouse"
rm -f "$OUT"/wheelhouse/legal_kiosk-*.whl
"$PYTHON" -m pip wheel --quiet --disable-pip-version-check --no-deps --wheel-dir "$OUT/wheelhouse" "$source_copy"
"$PYTHON" -m pip download --quiet --disable-pip-version-check --only-binary=:all: --dest "$OUT/wheelhouse" \
    --python-version "$PYTHON_VERSION" "${PLATFORM[@]}" "$OUT"/wheelhouse/legal_kiosk-*.whl
tar -C "$HERE" --exclude=./dev.sh --exclude=./bundle.sh -cf - . | tar -C "$OUT" -xf -
echo "bundle in $OUT: $(basename "$OUT"/wheelhouse/legal_kiosk-*.whl) and $(ls "$OUT/wheelhouse" | wc -l) wheels"
