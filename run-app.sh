#!/usr/bin/env bash
# Set everything up, then run Madoguchi (for now: the card reader status; later the kiosk).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=scripts/bootstrap.sh
source "$ROOT/scripts/bootstrap.sh"
source "$ROOT/scripts/pcscd.sh"
ensure_pcscd
say "Starting: madoguchi card status $*"
exec "$VENV/bin/madoguchi" card status "$@"
