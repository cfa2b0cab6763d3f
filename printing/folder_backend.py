"""A "printer" that files PDFs in a folder: for counters without a printer, the demo and training."""

from __future__ import annotations

import os
import re
from pathlib import Path

from printing.errors import PrinterNotFoundError
from printing.model import BackendJob, BackendJobState, PrinterCondition, PrinterStatus

FOLDER_PRINTER = "PDFファイル"
_UNSAFE = re.compile(r"[^\w\-. ぁ-んァ-ヶ一-龠]+")


class FolderBackend:
    """Writes each job as ``<n>-<title>.pdf`` into ``folder``; jobs complete at once."""

    def __init__(self, folder: Path, printer_name: str = FOLDER_PRINTER) -> None:
        self.folder = folder
        self.printer_name = printer_name

    def _check(self, printer: str) -> None:
        if printer != self.printer_name:
            raise PrinterNotFoundError(printer, (self.printer_name,))

    def printers(self) -> list[str]:
        return [self.printer_name]

    def default_printer(self) -> str | None:
        return self.printer_name

    def status(self, printer: str) -> PrinterStatus:
        self._check(printer)
        writable = (self.folder.exists() and os.access(self.folder, os.W_OK)) or not self.folder.exists()
        condition = PrinterCondition.READY if writable else PrinterCondition.OTHER_ERROR
        return PrinterStatus(printer, condition, () if writable else ("folder-not-writable-error",))

    def _files(self) -> list[Path]:
        return sorted(self.folder.glob("*.pdf")) if self.folder.exists() else []

    def submit(self, printer: str, pdf: bytes, title: str, tag: str) -> str:
        self._check(printer)
        self.folder.mkdir(parents=True, exist_ok=True)
        number = len(self._files()) + 1
        while any(f.name.startswith(f"{number:04d}-") for f in self._files()):
            number += 1
        target = self.folder / f"{number:04d}-{_UNSAFE.sub('_', title)[:80]} {_UNSAFE.sub('_', tag)}.pdf"
        tmp = target.with_suffix(".tmp")
        tmp.write_bytes(pdf)
        tmp.replace(target)
        return target.name

    def job(self, backend_id: str) -> BackendJob:
        exists = (self.folder / backend_id).exists()
        return BackendJob(backend_id, BackendJobState.COMPLETED if exists else BackendJobState.ABORTED)

    def find_job(self, printer: str, tag: str) -> str | None:
        self._check(printer)
        safe_tag = _UNSAFE.sub("_", tag)
        for path in self._files():
            if safe_tag in path.name:
                return path.name
        return None

    def resume(self, printer: str) -> None:
        self._check(printer)

    def cancel(self, backend_id: str) -> None:
        (self.folder / backend_id).unlink(missing_ok=True)
