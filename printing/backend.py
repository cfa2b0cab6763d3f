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

    def submit(self, printer: str, pdf: bytes, title: str) -> str:
        """Hand the PDF to the printer; returns the backend's job id."""
        ...

    def job(self, backend_id: str) -> BackendJob: ...

    def find_job(self, printer: str, title_tag: str) -> str | None:
        """The id of a job on ``printer`` whose title contains ``title_tag`` (any state), if any."""
        ...

    def resume(self, printer: str) -> None:
        """Restart a stopped queue (after the clerk fixed the printer)."""
        ...

    def cancel(self, backend_id: str) -> None: ...
