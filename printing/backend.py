"""The interface every print backend implements (CUPS, a PDF folder, QtPrintSupport)."""

from __future__ import annotations

from typing import Protocol

from printing.model import BackendJob, PrinterStatus


class PrintBackend(Protocol):
    def printers(self) -> list[str]:
        """Names of the printers this backend can print to."""
        ...

    def default_printer(self) -> str | None: ...

    def status(self, printer: str) -> PrinterStatus: ...

    def submit(self, printer: str, pdf: bytes, title: str, tag: str) -> str:
        """Hand the PDF to the printer; returns the backend's job id.

        ``title`` is what the clerk sees in the printer's queue; ``tag`` (ASCII letters, digits and
        ``-``, see :meth:`printing.queue.PrintQueue.tag`) identifies the job for :meth:`find_job`.
        """
        ...

    def job(self, backend_id: str) -> BackendJob: ...

    def find_job(self, printer: str, tag: str) -> str | None:
        """The id of a job on ``printer`` submitted with ``tag`` (any state), if any."""
        ...

    def resume(self, printer: str) -> None:
        """Restart a stopped queue (after the clerk fixed the printer)."""
        ...

    def cancel(self, backend_id: str) -> None: ...
