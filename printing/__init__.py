"""Print jobs to real printers, with a queue that survives a crash and retries.

* :mod:`printing.queue` — :class:`PrintQueue`: spool (encrypted), submit, follow, wait out printer
  problems, retry, recover after a crash, purge; never prints a document twice.
* :mod:`printing.cups_backend` — CUPS through pycups (the only module importing ``cups``).
* :mod:`printing.folder_backend` — PDF files in a folder, for counters without a printer and the demo.
* :mod:`printing.model` — printer conditions and job states.

Given PDF bytes and a printer name it prints, or says why not. No Qt widgets here.
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from printing.backend import PrintBackend
    from printing.errors import (
        NoPrinterConfiguredError,
        PrinterNotFoundError,
        PrintingError,
        PrintJobFailedError,
        PrintServiceUnavailableError,
        SpoolCorruptedError,
        UnsealedFolderError,
    )
    from printing.model import JobState, PrinterCondition, PrinterStatus, PrintJob
    from printing.queue import PrintQueue, count_pdf_pages
    from printing.spool import AesGcmCodec

# Each public name is imported from its module on first use (PEP 562): importing one module of the
# package (say ``printing.errors``) does not load the rest, which keeps the kiosk's cold start short.
_EXPORTS = {
    "PrintBackend": "printing.backend",
    "NoPrinterConfiguredError": "printing.errors",
    "PrinterNotFoundError": "printing.errors",
    "PrintingError": "printing.errors",
    "PrintJobFailedError": "printing.errors",
    "PrintServiceUnavailableError": "printing.errors",
    "SpoolCorruptedError": "printing.errors",
    "UnsealedFolderError": "printing.errors",
    "JobState": "printing.model",
    "PrinterCondition": "printing.model",
    "PrinterStatus": "printing.model",
    "PrintJob": "printing.model",
    "PrintQueue": "printing.queue",
    "count_pdf_pages": "printing.queue",
    "AesGcmCodec": "printing.spool",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


__all__ = [
    "AesGcmCodec",
    "JobState",
    "NoPrinterConfiguredError",
    "PrintBackend",
    "PrintJob",
    "PrintJobFailedError",
    "PrintQueue",
    "PrintServiceUnavailableError",
    "PrinterCondition",
    "PrinterNotFoundError",
    "PrinterStatus",
    "PrintingError",
    "SpoolCorruptedError",
    "UnsealedFolderError",
    "count_pdf_pages",
]
