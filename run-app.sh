#!/usr/bin/env bash
# Set everything up, then start the Madoguchi counter app (the kiosk).
# With no card reader it offers the demo card; with no printer it prints to PDF files in the data folder.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=scripts/bootstrap.sh
source "$ROOT/scripts/bootstrap.sh"
source "$ROOT/scripts/pcscd.sh"
ensure_pcscd
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
    say "No screen here (DISPLAY is not set): the kiosk needs a desktop session."
    say "Showing the card reader status instead; on a desktop, run this command again."
    exec "$VENV/bin/madoguchi" card status
fi
say "Starting the kiosk: madoguchi kiosk $*"
exec "$VENV/bin/madoguchi" kiosk "$@"
