#!/usr/bin/env bash
# Set up everything Madoguchi needs on a Debian machine, idempotently:
#   1. missing Debian packages (apt-get, through sudo when not root),
#   2. a virtual environment in .venv,
#   3. the project with its test and dev extras.
# Sourced by run-app.sh and run-tests.sh; safe to run again (it skips what is already done).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
say() { printf '\033[1m[madoguchi]\033[0m %s\n' "$*"; }

# shellcheck source=scripts/debian-packages.sh
source "$ROOT/scripts/debian-packages.sh"

pick_python() {
    for candidate in python3.13 python3.12 python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys, venv; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$candidate"; return
        fi
    done
    say "Python 3.11 or newer is required"; exit 1
}

setup_venv() {
    local stamp="$VENV/.madoguchi-installed" want
    want=$(cat "$ROOT/pyproject.toml" | sha256sum | cut -d' ' -f1)
    if [ ! -x "$VENV/bin/python" ]; then
        local py; py=$(pick_python)
        say "Creating the virtual environment .venv with $py"
        "$py" -m venv "$VENV"
    fi
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        say "Python packages: up to date"
        return
    fi
    say "Installing Madoguchi and its Python packages into .venv (pyscard compiles from source)"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip setuptools wheel
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e "$ROOT[test,dev,installer]"
    echo "$want" > "$stamp"
}

install_debian_packages
setup_venv
export PATH="$VENV/bin:$PATH"
