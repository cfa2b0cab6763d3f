"""Typed errors of the printing layer. They carry the printer and job, never document contents."""

from __future__ import annotations


class PrintingError(Exception):
    """Base of every error raised by :mod:`printing`."""


class PrintServiceUnavailableError(PrintingError):
    """The print service (CUPS) cannot be reached."""


class PrinterNotFoundError(PrintingError):
    def __init__(self, printer: str, available: tuple[str, ...] = ()) -> None:
        self.printer = printer
        self.available = available
        super().__init__(f"printer {printer!r} not found (available: {list(available)})")


class NoPrinterConfiguredError(PrintingError):
    """No printer is configured and the system has no default printer."""


class PrintJobFailedError(PrintingError):
    def __init__(self, job_id: str, reason: str) -> None:
        self.job_id = job_id
        self.reason = reason
        super().__init__(f"print job {job_id} failed: {reason}")


class SpoolCorruptedError(PrintingError):
    """A spooled job could not be read back (wrong key or damaged file)."""

    def __init__(self, job_id: str) -> None:
        self.job_id = job_id
        super().__init__(f"spooled job {job_id} cannot be read back")


class UnsealedFolderError(PrintingError):
    """The folder printer has no key to seal with, so it writes nothing."""

    def __init__(self) -> None:
        super().__init__("the folder printer has no codec: forms are not written in clear")
