#!/usr/bin/env bash
# Set everything up, then run the whole test suite: lint, types, import contracts, unit and
# integration tests against real components (pcscd + vpcd, …) that the tests start and stop.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")" && pwd)"
# The installer tests build the Windows installer (NSIS, MinGW-w64) and run it under Wine.
export MADOGUCHI_PACKAGE_LISTS="$ROOT/scripts/debian-packages-installer.txt"
# shellcheck source=scripts/bootstrap.sh
source "$ROOT/scripts/bootstrap.sh"
cd "$ROOT"
say "ruff (lint)"
ruff check .
say "mypy (types)"
mypy
say "import-linter (layer contracts)"
lint-imports
say "pytest (unit + integration; real services are started by the tests)"
exec timeout --kill-after=30 45m python -m pytest "$@"
