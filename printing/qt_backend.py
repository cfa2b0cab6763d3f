"""QtPrintSupport: print to any printer the operating system knows (the Windows spooler; CUPS on Linux).

Used where CUPS is not available (Windows counters). Pages are rasterised by PDFium
(:mod:`printing.raster`) at the printer's resolution (capped at 600 dpi) and painted onto a
``QPrinter``; QPainter on a QPrinter is allowed outside the GUI thread, so the queue can run in a
worker. QtPrintSupport does not report what happens to a job after the OS spooler took it, so a
handed-over job counts as completed, and after a crash at that exact moment recovery cannot look the
job up: on Linux prefer :class:`printing.cups_backend.CupsBackend`, which can. Imports
QtGui/QtPrintSupport only — never widgets.
"""

from __future__ import annotations

import threading
import uuid

from PySide6.QtCore import QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from printing.errors import PrinterNotFoundError, PrintingError
from printing.model import BackendJob, BackendJobState, PrinterCondition, PrinterStatus
from printing.raster import raster_pages

MAX_DPI = 600


class QtPrintBackend:
    def __init__(self, max_dpi: int = MAX_DPI) -> None:
        self.max_dpi = max_dpi
        self._jobs: dict[str, tuple[str, str]] = {}  # backend id -> (printer, title)
        self._lock = threading.Lock()

    def _info(self, printer: str) -> QPrinterInfo:
        info = QPrinterInfo.printerInfo(printer)
        if info.isNull():
            raise PrinterNotFoundError(printer, tuple(self.printers()))
        return info

    def printers(self) -> list[str]:
        return sorted(QPrinterInfo.availablePrinterNames())

    def default_printer(self) -> str | None:
        name = QPrinterInfo.defaultPrinterName()
        return name or None

    def status(self, printer: str) -> PrinterStatus:
        state = self._info(printer).state()
        if state in (QPrinter.PrinterState.Error, QPrinter.PrinterState.Aborted):
            return PrinterStatus(printer, PrinterCondition.OTHER_ERROR, (state.name.lower(),))
        return PrinterStatus(printer, PrinterCondition.READY)

    def submit(self, printer: str, pdf: bytes, title: str, tag: str) -> str:
        info = self._info(printer)
        qprinter = QPrinter(info, QPrinter.PrinterMode.HighResolution)
        qprinter.setDocName(f"{title} {tag}")
        qprinter.setFullPage(True)
        dpi = min(qprinter.resolution(), self.max_dpi)
        painter = QPainter()
        # One page at a time through PDFium's one lock (printing.raster): previews may render
        # between two pages; the pixels are painted outside the lock.
        for index, page in enumerate(raster_pages(pdf, dpi)):
            layout = QPageLayout(
                QPageSize(QSizeF(page.width_pt, page.height_pt), QPageSize.Unit.Point),
                QPageLayout.Orientation.Portrait,
                QMarginsF(0, 0, 0, 0),
            )
            qprinter.setPageLayout(layout)
            if index == 0:
                if not painter.begin(qprinter):
                    raise PrintingError(f"the printer {printer!r} refused the job")
            elif not qprinter.newPage():
                raise PrintingError("the printer refused a new page")
            # BGRx rows are Qt's RGB32 in memory: painted as they are, no conversion or copy.
            qimage = QImage(page.pixels, page.width, page.height, page.stride, QImage.Format.Format_RGB32)
            target = QRectF(qprinter.pageLayout().fullRectPixels(qprinter.resolution()))
            painter.drawImage(target, qimage)
        if painter.isActive():
            painter.end()
        backend_id = uuid.uuid4().hex
        with self._lock:
            self._jobs[backend_id] = (printer, tag)
        return backend_id

    def job(self, backend_id: str) -> BackendJob:
        with self._lock:
            known = backend_id in self._jobs
        # Handed to the OS spooler = done, as far as QtPrintSupport can tell.
        return BackendJob(backend_id, BackendJobState.COMPLETED if known else BackendJobState.ABORTED)

    def find_job(self, printer: str, tag: str) -> str | None:
        with self._lock:
            for backend_id, (job_printer, job_tag) in self._jobs.items():
                if job_printer == printer and job_tag == tag:
                    return backend_id
        return None

    def resume(self, printer: str) -> None:
        self._info(printer)

    def cancel(self, backend_id: str) -> None:
        with self._lock:
            self._jobs.pop(backend_id, None)
