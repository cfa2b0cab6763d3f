"""Start Madoguchi from the Windows installation (copied to ``<install dir>\\madoguchi_launcher.py``).

The Start-menu shortcuts run ``python\\pythonw.exe madoguchi_launcher.py kiosk`` and ``madoguchi.cmd``
runs it with ``python\\python.exe``. It points the form renderer at the bundled fonts, and under
pythonw (no console) sends what would go to the console to a log file in the user's data folder so
that a start-up error can be read by IT. The log carries no personal data (the app logs visit ids).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main() -> None:
    root = Path(__file__).resolve().parent
    os.environ.setdefault("MADOGUCHI_FONT_DIR", str(root / "fonts"))
    if sys.stdout is None or sys.stderr is None:  # pythonw.exe: no console
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home()) / "madoguchi" / "logs"
        base.mkdir(parents=True, exist_ok=True)
        stream = (base / "launcher.log").open("a", encoding="utf-8", buffering=1)
        sys.stdout = sys.stdout or stream
        sys.stderr = sys.stderr or stream
    from counter_app.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
