"""Printing through a real CUPS server started by the test run."""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path

import pytest

from printing import (
    AesGcmCodec,
    JobState,
    PrinterCondition,
    PrinterNotFoundError,
    PrintQueue,
    PrintServiceUnavailableError,
)
from printing.cups_backend import CupsBackend
from tests.helpers.cups import CAPTURE, captured, make_pdf, pages_match
from tests.services import ServiceError, pid_alive
from tests.services_cups import Cupsd, free_port

pytestmark = pytest.mark.integration


@pytest.fixture
def queue(cupsd: Cupsd, tmp_path: Path) -> PrintQueue:
    return PrintQueue(tmp_path / "spool", AesGcmCodec(AesGcmCodec.new_key()), CupsBackend(cupsd.server))


def test_job_reaches_the_printer_exactly_as_sent(cupsd: Cupsd, queue: PrintQueue, tmp_path: Path) -> None:
    before = captured(cupsd)
    source = tmp_path / "form.pdf"
    pdf = make_pdf(source, 3, text="Madoguchi")
    job = queue.enqueue(pdf, "住民異動届", CAPTURE, visit_id="visit-1")
    [done] = queue.run([job.job_id], timeout=60, poll_interval=0.1)
    assert done.state is JobState.COMPLETED
    new = [p for p in captured(cupsd) if p not in before]
    assert len(new) == 1
    assert new[0].read_bytes() == pdf
    pages_match(new[0], source, tmp_path)


@pytest.mark.parametrize(
    "title", ["住民異動届 (山田 太郎 様)", "[窓口] 100% 証明書 - 写し", "a b", "国民健康保険 異動届"]
)
def test_titles_the_clerk_reads_never_bring_cupsd_down(
    cupsd: Cupsd, queue: PrintQueue, tmp_path: Path, title: str
) -> None:
    """cupsd 2.4.2-3+deb12u10 dies on a Send-Document whose document-name has a space: the title goes
    into the job-name only, the document-name is the tag (one ASCII token)."""
    pdf = make_pdf(tmp_path / "form.pdf", 1, text="Madoguchi")
    job = queue.enqueue(pdf, title, CAPTURE)
    [done] = queue.run([job.job_id], timeout=60, poll_interval=0.1)
    assert done.state is JobState.COMPLETED
    assert cupsd.pid is not None and pid_alive(cupsd.pid)


def test_a_configuration_cupsd_rejects_fails_with_its_own_message(tmp_path: Path) -> None:
    """The generated configuration is checked with ``cupsd -t`` before start (a directive without a
    value is an error since cups 2.4.2-3+deb12u10)."""
    service = Cupsd(tmp_path / "cups", extra_files_conf="Printcap\n")
    try:
        with pytest.raises(ServiceError, match="Missing value for Printcap"):
            service.start()
        assert service.pid is None
    finally:
        service.stop()
        service.remove_files()


def test_cups_pdf_queue_renders_the_same_pages(cupsd: Cupsd, queue: PrintQueue, tmp_path: Path) -> None:
    """CUPS-PDF re-renders through Ghostscript: compare page count and rendered pages, not bytes."""
    source = tmp_path / "guide.pdf"
    pdf = make_pdf(source, 2, text="Guide sheet")
    started = time.time()
    job = queue.enqueue(pdf, "guide-sheet", "madoguchi-pdf")
    [done] = queue.run([job.job_id], timeout=90, poll_interval=0.2)
    assert done.state is JobState.COMPLETED
    out_dir = Path.home() / "PDF"
    produced = [
        p for p in out_dir.glob("*.pdf") if p.stat().st_mtime >= started - 1 and "guide-sheet" in p.name
    ]
    assert len(produced) == 1, list(out_dir.glob("*"))
    pages_match(produced[0], source, tmp_path)
    produced[0].unlink()


def test_printer_offline_mid_job_waits_then_prints_once(
    cupsd: Cupsd, queue: PrintQueue, tmp_path: Path
) -> None:
    out = cupsd.capture_dir(CAPTURE)
    before = captured(cupsd)
    flag = out / "offline"
    flag.touch()
    seen: list[tuple[JobState, PrinterCondition]] = []

    def back_online_once_waiting_was_seen() -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (JobState.WAITING, PrinterCondition.OFFLINE) not in seen:
            time.sleep(0.05)
        flag.unlink()

    helper = threading.Thread(target=back_online_once_waiting_was_seen)
    helper.start()
    try:
        job = queue.enqueue(make_pdf(tmp_path / "f.pdf", 1), "印鑑登録申請書", CAPTURE)
        [done] = queue.run(
            [job.job_id],
            timeout=60,
            poll_interval=0.1,
            progress=lambda j: seen.append((j.state, j.printer_condition)),
        )
    finally:
        helper.join()
        flag.unlink(missing_ok=True)
    assert (JobState.WAITING, PrinterCondition.OFFLINE) in seen
    assert done.state is JobState.COMPLETED
    assert len([p for p in captured(cupsd) if p not in before]) == 1


def test_stopped_queue_waits_and_retry_resumes_it(cupsd: Cupsd, queue: PrintQueue, tmp_path: Path) -> None:
    before = captured(cupsd)
    cupsd.disable(CAPTURE)
    job = queue.enqueue(make_pdf(tmp_path / "f.pdf", 1), "介護保険異動届", CAPTURE)
    [waiting] = queue.run([job.job_id], timeout=2, poll_interval=0.1)
    assert waiting.state is JobState.WAITING and waiting.printer_condition is PrinterCondition.STOPPED
    assert captured(cupsd) == before
    queue.retry(job.job_id)
    [done] = queue.run([job.job_id], timeout=60, poll_interval=0.1)
    assert done.state is JobState.COMPLETED
    assert len([p for p in captured(cupsd) if p not in before]) == 1


def test_recovery_finds_a_job_cups_already_has(cupsd: Cupsd, queue: PrintQueue, tmp_path: Path) -> None:
    before = captured(cupsd)
    pdf = make_pdf(tmp_path / "f.pdf", 1)
    job = queue.enqueue(pdf, "マイナンバーカード変更届", CAPTURE)
    job.state = JobState.SUBMITTING  # the crash: CUPS got the job, the spool never heard back
    queue.spool.save(job)
    queue.backend.submit(CAPTURE, pdf, job.title, PrintQueue.tag(job))
    restarted = PrintQueue(tmp_path / "spool", queue.spool.codec, CupsBackend(cupsd.server))
    restarted.recover()
    [done] = restarted.run([job.job_id], timeout=60, poll_interval=0.1)
    assert done.state is JobState.COMPLETED
    assert len([p for p in captured(cupsd) if p not in before]) == 1


def test_unknown_printer_and_cups_down(cupsd: Cupsd, queue: PrintQueue, tmp_path: Path) -> None:
    with pytest.raises(PrinterNotFoundError):
        queue.backend.status("no-such-printer")
    down = PrintQueue(
        tmp_path / "spool2", AesGcmCodec(AesGcmCodec.new_key()), CupsBackend(f"127.0.0.1:{free_port()}")
    )
    job = down.enqueue(make_pdf(tmp_path / "f.pdf", 1), "x", CAPTURE)
    with pytest.raises(PrintServiceUnavailableError):
        down.step(job.job_id)
    # Nothing is lost: the job waits in the spool to be retried when CUPS is back.
    assert down.get(job.job_id).state in (JobState.QUEUED, JobState.SUBMITTING)
    assert down.spool.has_document(job.job_id)


def test_qt_print_support_through_cups(cupsd: Cupsd, tmp_path: Path) -> None:
    """The Windows path (QtPrintSupport), exercised against the same real CUPS server in a subprocess
    (Qt reads CUPS_SERVER once, at start)."""
    import json
    import os
    import sys

    source = tmp_path / "form.pdf"
    make_pdf(source, 2, text="QtPrintSupport")
    before = captured(cupsd)
    script = f"""
import json, sys
from PySide6.QtGui import QGuiApplication
app = QGuiApplication([])
from printing.qt_backend import QtPrintBackend
backend = QtPrintBackend(max_dpi=150)
job = backend.submit({CAPTURE!r}, open({str(source)!r}, 'rb').read(), 'qt-test', 'madoguchi-qt')
print(json.dumps({{"printers": backend.printers(), "job": backend.job(job).state.value}}))
"""
    env = {**cupsd.env, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert CAPTURE in report["printers"] and report["job"] == "completed"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(captured(cupsd)) == len(before):
        time.sleep(0.1)
    [printed] = [p for p in captured(cupsd) if p not in before]
    assert os.path.getsize(printed) > 0
    pages_match(printed, source, tmp_path)
