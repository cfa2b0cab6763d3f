"""A "printer" that files PDFs in a folder: for counters without a printer, the demo and training.

A form in the folder is a resident's details at rest, so it is never written in clear: each job is
sealed with AES-256-GCM like the spool (:mod:`printing.spool`; the file name is the associated data,
so a renamed or swapped file does not open), written atomically with mode 0600 into a folder of mode
0700, and deleted by the day-end purge. Without a codec the backend writes nothing
(:class:`UnsealedFolderError`). :meth:`FolderBackend.read` opens a file again (``madoguchi`` gives the
key only to the counter's own user).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from printing.errors import PrinterNotFoundError, SpoolCorruptedError, UnsealedFolderError
from printing.model import BackendJob, BackendJobState, PrinterCondition, PrinterStatus
from printing.spool import SpoolCodec, atomic_write, private_folder

FOLDER_PRINTER = "PDFファイル"
SUFFIX = ".pdf.sealed"
_UNSAFE = re.compile(r"[^\w\-. ぁ-んァ-ヶ一-龠]+")


class FolderBackend:
    """Writes each job sealed as ``<n>-<title> <tag>.pdf.sealed`` into ``folder``; jobs complete at once."""

    def __init__(
        self, folder: Path, printer_name: str = FOLDER_PRINTER, *, codec: SpoolCodec | None = None
    ) -> None:
        self.folder = folder
        self.printer_name = printer_name
        self.codec = codec

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
        if self.codec is None:
            return PrinterStatus(printer, PrinterCondition.OTHER_ERROR, ("no-encryption-key-error",))
        condition = PrinterCondition.READY if writable else PrinterCondition.OTHER_ERROR
        return PrinterStatus(printer, condition, () if writable else ("folder-not-writable-error",))

    def _files(self) -> list[Path]:
        return sorted(self.folder.glob(f"*{SUFFIX}")) if self.folder.exists() else []

    def submit(self, printer: str, pdf: bytes, title: str, tag: str) -> str:
        self._check(printer)
        if self.codec is None:
            raise UnsealedFolderError()
        private_folder(self.folder)
        number = len(self._files()) + 1
        while any(f.name.startswith(f"{number:04d}-") for f in self._files()):
            number += 1
        name = f"{number:04d}-{_UNSAFE.sub('_', title)[:80]} {_UNSAFE.sub('_', tag)}{SUFFIX}"
        atomic_write(self.folder / name, self.codec.seal(pdf, name.encode("utf-8")))
        return name

    def read(self, name: str) -> bytes:
        """The PDF of the job filed as ``name`` (:class:`SpoolCorruptedError` if it does not open)."""
        if self.codec is None:
            raise UnsealedFolderError()
        path = self.folder / Path(name).name
        try:
            return self.codec.open(path.read_bytes(), path.name.encode("utf-8"))
        except (OSError, ValueError):
            raise SpoolCorruptedError(path.name) from None

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
