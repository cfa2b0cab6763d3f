#!/usr/bin/env bash
# The Debian packages Madoguchi needs (scripts/debian-packages*.txt): install what is missing; with CI
# set, bring them (and what they depend on) up to date first; print the versions the tests run against.
# Sourced by bootstrap.sh; run on its own it does just this (tests/unit/test_debian_packages.py).
set -euo pipefail

ROOT="${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
say() { printf '\033[1m[madoguchi]\033[0m %s\n' "$*"; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else say "root rights are needed for: $*  (install sudo or run as root)"; exit 1
    fi
}

# The packages the tests run against; their versions are printed before every run (README).
TESTED_PACKAGES="pcscd vsmartcard-vpcd cups postgresql postgresql-15 chromium"

install_debian_packages() {
    local wanted missing=() list updated=""
    # MADOGUCHI_PACKAGE_LISTS: extra lists to install too (e.g. scripts/debian-packages-installer.txt)
    wanted=""
    for list in "$ROOT/scripts/debian-packages.txt" ${MADOGUCHI_PACKAGE_LISTS:-}; do
        wanted="$wanted $(grep -Ev '^\s*(#|$)' "$list" | sed 's/#.*//')"
    done
    for pkg in $wanted; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$pkg")
        fi
    done
    export DEBIAN_FRONTEND=noninteractive
    if [ ${#missing[@]} -eq 0 ]; then
        say "Debian packages: all present"
    else
        say "Installing Debian packages: ${missing[*]}"
        as_root apt-get update -q
        updated=yes
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
    fi
    # In CI, test against what a fresh machine gets today: security updates change behaviour (cups
    # 2.4.2-3+deb12u10 rejects directives without a value), and a green run on an old machine hides it.
    # Without CI nothing is upgraded behind the user's back.
    if [ -n "${CI:-}" ]; then
        say "CI: bringing the listed Debian packages (and the packages they depend on) up to date"
        [ -n "$updated" ] || as_root apt-get update -q
        # shellcheck disable=SC2086  # one word per package
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --only-upgrade \
            --no-install-recommends $(installed_closure $wanted)
    fi
    say "Testing against: $(tested_versions)"
}

# The installed packages among the given ones and everything they depend on: a fresh machine gets
# the newest of all of them (postgresql is a metapackage; the server is postgresql-15).
installed_closure() {
    apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
        --no-replaces --no-enhances "$@" 2>/dev/null | grep -E '^[a-z0-9]' | sort -u |
        xargs dpkg-query -W -f='${db:Status-Status} ${Package}\n' 2>/dev/null |
        awk '$1 == "installed" { print $2 }'
}

tested_versions() {
    local pkg version out=""
    for pkg in $TESTED_PACKAGES; do
        version=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null || true)
        [ -n "$version" ] && out="$out${out:+, }$pkg $version"
    done
    printf '%s\n' "$out"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    install_debian_packages
fi
