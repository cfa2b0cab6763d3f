"""Print jobs to real printers, with a queue that survives a crash and retries.

* :mod:`printing.queue` — :class:`PrintQueue`: spool (encrypted), submit, follow, wait out printer
  problems, retry, recover after a crash, purge; never prints a document twice.
* :mod:`printing.cups_backend` — CUPS through pycups (the only module importing ``cups``).
* :mod:`printing.folder_backend` — PDF files in a folder, for counters without a printer and the demo.
* :mod:`printing.model` — printer conditions and job states.

Given PDF bytes and a printer name it prints, or says why not. No Qt widgets here.
"""

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
