"""The system's print services and their printers: one list for the kiosk and the settings screen.

CUPS on Linux and macOS, the Windows spooler (``printing.qt_backend``) on Windows. The kiosk picks its
backend from these (:func:`counter_app.wiring.kiosk.choose_print_backend`), and the settings screen
offers the printers they name, so what a supervisor can choose is what the kiosk can print to.
"""

from __future__ import annotations

import sys

from printing.backend import PrintBackend
from printing.errors import PrintingError


def system_print_backends() -> list[PrintBackend]:
    """The print services of this system (none when their Python bindings are missing)."""
    if sys.platform == "win32":
        from printing.qt_backend import QtPrintBackend

        return [QtPrintBackend()]
    try:
        from printing.cups_backend import CupsBackend
    except ImportError:
        return []
    return [CupsBackend()]


def installed_printers(backends: list[PrintBackend] | None = None) -> list[str]:
    """The printers the system's print services know, sorted; none when a service does not answer."""
    names: set[str] = set()
    for backend in system_print_backends() if backends is None else backends:
        try:
            names.update(backend.printers())
        except PrintingError:
            continue
    return sorted(names)
