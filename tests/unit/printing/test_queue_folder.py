"""The print queue over the folder backend: spool encryption, states, recovery, exactly-once, purge."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas

from printing import AesGcmCodec, JobState, PrintQueue, SpoolCorruptedError, count_pdf_pages
from printing.cups_backend import condition_from_reasons
from printing.errors import UnsealedFolderError
from printing.folder_backend import FOLDER_PRINTER, FolderBackend
from printing.model import PrinterCondition

SECRET_NAME = "髙橋𠮷子"
FOLDER_KEY = AesGcmCodec.new_key()


def folder(tmp_path: Path) -> FolderBackend:
    """The folder printer as the kiosk builds it: sealed with the counter's key."""
    return FolderBackend(tmp_path / "out", codec=AesGcmCodec(FOLDER_KEY))


def printed(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "out").glob("*.pdf.sealed"))


def make_pdf(path: Path, pages: int, text: str = "page") -> bytes:
    c = canvas.Canvas(str(path))
    for number in range(pages):
        c.drawString(100, 700, f"{text} {number + 1}")
        c.showPage()
    c.save()
    return path.read_bytes()


@pytest.fixture
def queue(tmp_path: Path) -> PrintQueue:
    return PrintQueue(tmp_path / "spool", AesGcmCodec(AesGcmCodec.new_key()), folder(tmp_path))


def test_pages_are_counted(tmp_path: Path) -> None:
    assert count_pdf_pages(make_pdf(tmp_path / "a.pdf", 3)) == 3
    assert count_pdf_pages(make_pdf(tmp_path / "b.pdf", 1)) == 1


def test_job_prints_once_and_leaves_no_document_behind(queue: PrintQueue, tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "f.pdf", 2)
    job = queue.enqueue(pdf, "住民異動届", FOLDER_PRINTER, visit_id="v1")
    assert job.pages == 2 and job.state is JobState.QUEUED
    done = queue.run([job.job_id], poll_interval=0.01)
    assert [j.state for j in done] == [JobState.COMPLETED]
    [filed] = printed(tmp_path)
    assert folder(tmp_path).read(filed.name) == pdf
    assert not queue.spool.has_document(job.job_id)
    # Stepping or retrying a completed job never prints it again.
    queue.step(job.job_id)
    queue.retry(job.job_id)
    assert len(printed(tmp_path)) == 1


def test_spool_is_encrypted_and_bound_to_its_job(queue: PrintQueue, tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "f.pdf", 1, text=SECRET_NAME)
    job = queue.enqueue(pdf, "印鑑登録申請書", FOLDER_PRINTER)
    for path in (tmp_path / "spool").iterdir():
        data = path.read_bytes()
        assert b"%PDF" not in data and SECRET_NAME.encode() not in data and b"page 1" not in data
    sealed = (tmp_path / "spool" / f"{job.job_id}.pdf.sealed").read_bytes()
    other = queue.enqueue(pdf, "x", FOLDER_PRINTER)
    (tmp_path / "spool" / f"{other.job_id}.pdf.sealed").write_bytes(sealed)  # swapped file
    with pytest.raises(SpoolCorruptedError):
        queue.spool.document(other.job_id)
    wrong_key = PrintQueue(tmp_path / "spool", AesGcmCodec(AesGcmCodec.new_key()), queue.backend)
    with pytest.raises(SpoolCorruptedError):
        wrong_key.spool.document(job.job_id)


def test_crash_after_handing_over_is_recovered_without_a_second_copy(
    queue: PrintQueue, tmp_path: Path
) -> None:
    pdf = make_pdf(tmp_path / "f.pdf", 1)
    job = queue.enqueue(pdf, "国民健康保険異動届", FOLDER_PRINTER)
    # Simulate the crash: state SUBMITTING recorded, the backend took the job, the id never recorded.
    job.state = JobState.SUBMITTING
    queue.spool.save(job)
    queue.backend.submit(FOLDER_PRINTER, pdf, job.title, PrintQueue.tag(job))
    # A new process starts over the same spool.
    restarted = PrintQueue(tmp_path / "spool", queue.spool.codec, folder(tmp_path))
    [recovered] = restarted.recover()
    assert recovered.state is JobState.COMPLETED
    assert len(printed(tmp_path)) == 1


def test_crash_before_handing_over_submits_once(queue: PrintQueue, tmp_path: Path) -> None:
    job = queue.enqueue(make_pdf(tmp_path / "f.pdf", 1), "児童手当認定請求書", FOLDER_PRINTER)
    job.state = JobState.SUBMITTING
    queue.spool.save(job)
    restarted = PrintQueue(tmp_path / "spool", queue.spool.codec, folder(tmp_path))
    [recovered] = restarted.recover()
    assert recovered.state is JobState.COMPLETED
    assert len(printed(tmp_path)) == 1


def test_jobs_print_in_order(queue: PrintQueue, tmp_path: Path) -> None:
    titles = ["住民異動届", "国民健康保険異動届", "窓口案内シート"]
    jobs = [
        queue.enqueue(make_pdf(tmp_path / f"{i}.pdf", 1, text=t), t, FOLDER_PRINTER)
        for i, t in enumerate(titles)
    ]
    queue.run([j.job_id for j in jobs], poll_interval=0.01)
    names = [p.name for p in printed(tmp_path)]
    assert [n.split("-", 1)[1].split(" ")[0] for n in names] == titles


def test_cancel_and_reprint(queue: PrintQueue, tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "f.pdf", 1)
    job = queue.enqueue(pdf, "葬祭費支給申請書", FOLDER_PRINTER)
    copy = queue.reprint(job.job_id)
    assert queue.cancel(job.job_id).state is JobState.CANCELLED
    assert not queue.spool.has_document(job.job_id)
    queue.run([copy.job_id], poll_interval=0.01)
    assert len(printed(tmp_path)) == 1


def test_purge_removes_finished_and_yesterdays_jobs(tmp_path: Path) -> None:
    now = dt.datetime(2026, 11, 23, 17, 0, tzinfo=dt.UTC).astimezone()
    yesterday = now - dt.timedelta(days=1)
    codec = AesGcmCodec(AesGcmCodec.new_key())
    old = PrintQueue(tmp_path / "spool", codec, folder(tmp_path), clock=lambda: yesterday)
    stale = old.enqueue(b"%PDF-1.4 stale", "old", FOLDER_PRINTER)
    today = PrintQueue(tmp_path / "spool", codec, folder(tmp_path), clock=lambda: now)
    pending = today.enqueue(make_pdf(tmp_path / "p.pdf", 1), "pending", FOLDER_PRINTER)
    done = today.enqueue(make_pdf(tmp_path / "d.pdf", 1), "done", FOLDER_PRINTER)
    today.run([done.job_id], poll_interval=0.01)
    assert today.purge(now=now) == 2
    assert [job.job_id for job in today.jobs()] == [pending.job_id]
    assert not (tmp_path / "spool" / f"{stale.job_id}.pdf.sealed").exists()


@pytest.mark.parametrize(
    ("reasons", "stopped", "accepting", "condition"),
    [
        ((), False, True, PrinterCondition.READY),
        (("offline-report",), False, True, PrinterCondition.OFFLINE),
        (("media-empty-error",), False, True, PrinterCondition.PAPER_OUT),
        (("media-needed-warning",), False, True, PrinterCondition.PAPER_OUT),
        (("media-jam-error",), False, True, PrinterCondition.PAPER_JAM),
        (("toner-empty-error",), False, True, PrinterCondition.TONER_OUT),
        (("door-open-error",), False, True, PrinterCondition.DOOR_OPEN),
        (("paused",), True, True, PrinterCondition.STOPPED),
        ((), True, True, PrinterCondition.STOPPED),
        ((), False, False, PrinterCondition.NOT_ACCEPTING),
        (("fuser-over-temp-error",), False, True, PrinterCondition.OTHER_ERROR),
        (("toner-low-report",), False, True, PrinterCondition.READY),
    ],
)
def test_printer_state_reasons(
    reasons: tuple[str, ...], stopped: bool, accepting: bool, condition: PrinterCondition
) -> None:
    assert condition_from_reasons(reasons, stopped=stopped, accepting=accepting) is condition


def test_folder_prints_are_sealed_0600_in_a_0700_folder(queue: PrintQueue, tmp_path: Path) -> None:
    """Issue 16, item 6: a resident's form filed by the folder printer is never in clear at rest."""
    pdf = make_pdf(tmp_path / "f.pdf", 1, text=SECRET_NAME)
    job = queue.enqueue(pdf, "印鑑登録申請書", FOLDER_PRINTER)
    queue.run([job.job_id], poll_interval=0.01)
    [filed] = printed(tmp_path)
    data = filed.read_bytes()
    assert b"%PDF" not in data and SECRET_NAME.encode() not in data and b"page 1" not in data
    assert filed.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "out").stat().st_mode & 0o777 == 0o700
    assert [p.name for p in (tmp_path / "out").iterdir()] == [filed.name]  # no temporary file left
    assert folder(tmp_path).read(filed.name) == pdf
    moved = filed.with_name("0009-x" + filed.name[4:])
    filed.rename(moved)  # bound to its name: a renamed (or swapped) file does not open
    with pytest.raises(SpoolCorruptedError):
        folder(tmp_path).read(moved.name)
    with pytest.raises(SpoolCorruptedError):
        FolderBackend(tmp_path / "out", codec=AesGcmCodec(AesGcmCodec.new_key())).read(moved.name)


def test_an_existing_folder_is_tightened_to_0700(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir(mode=0o755)
    (tmp_path / "out").chmod(0o755)
    folder(tmp_path).submit(FOLDER_PRINTER, b"%PDF-1.4 x", "t", "tag")
    assert (tmp_path / "out").stat().st_mode & 0o777 == 0o700


def test_without_a_key_the_folder_printer_writes_nothing(tmp_path: Path) -> None:
    backend = FolderBackend(tmp_path / "out")
    assert backend.status(FOLDER_PRINTER).condition is PrinterCondition.OTHER_ERROR
    with pytest.raises(UnsealedFolderError):
        backend.submit(FOLDER_PRINTER, b"%PDF-1.4 x", "t", "tag")
    assert not (tmp_path / "out").exists()


def test_purge_at_the_purge_time_and_of_jobs_dated_in_the_future(tmp_path: Path) -> None:
    """Issue 16, item 10: the spool is purged with the drafts — at the purge time every job spooled
    before it goes (not only at the next start), and a job dated ahead of the clock goes at once."""
    evening = dt.datetime(2026, 11, 23, 20, 5, tzinfo=dt.UTC)
    purge_at = evening.replace(minute=0)
    codec = AesGcmCodec(AesGcmCodec.new_key())

    def queue_at(when: dt.datetime) -> PrintQueue:
        return PrintQueue(tmp_path / "spool", codec, folder(tmp_path), clock=lambda: when)

    afternoon = queue_at(evening.replace(hour=15)).enqueue(b"%PDF-1.4 a", "afternoon", FOLDER_PRINTER)
    ahead = queue_at(evening + dt.timedelta(days=1)).enqueue(b"%PDF-1.4 b", "ahead", FOLDER_PRINTER)
    late = queue_at(evening).enqueue(b"%PDF-1.4 c", "after the purge time", FOLDER_PRINTER)
    queue = queue_at(evening)
    assert queue.purge(now=evening, before=purge_at) == 2
    assert [job.job_id for job in queue.jobs()] == [late.job_id]
    for gone in (afternoon, ahead):
        assert not (tmp_path / "spool" / f"{gone.job_id}.pdf.sealed").exists()
