"""The kiosk purges its print spool with the drafts, not only at start (issue 16, item 10), and gives
the folder printer a key so that PDF "prints" are sealed (item 6)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from counter_app.adapters.card_source import DemoCardSource
from counter_app.presenters.printing import PrintStep, PrintView
from counter_app.settings.config import Settings
from counter_app.wiring.kiosk import Kiosk, build_kiosk
from counter_app.workflow.tasks import ImmediateRunner
from printing.folder_backend import FOLDER_PRINTER, FolderBackend

TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.fixture
def parts(tmp_path: Path) -> Iterator[Kiosk]:
    settings = Settings(counter_name="1番窓口", data_dir=tmp_path / "data", config_path=tmp_path / "c.toml")
    settings = dataclasses.replace(settings, timezone="Asia/Tokyo", draft_purge_time="20:00")
    built = build_kiosk(
        settings, ImmediateRunner(), card_source=DemoCardSource(), print_backend=FolderBackend(tmp_path / "p")
    )
    yield built
    built.storage.close()


def test_the_folder_printer_gets_a_key_of_its_own(parts: Kiosk) -> None:
    backend = parts.queue.backend
    assert isinstance(backend, FolderBackend) and backend.codec is not None
    name = backend.submit(FOLDER_PRINTER, b"%PDF-1.4 resident", "転入届", "t1")
    assert b"resident" not in (backend.folder / name).read_bytes()
    assert backend.read(name) == b"%PDF-1.4 resident"


def test_the_spool_is_purged_at_the_purge_time_while_the_kiosk_runs(parts: Kiosk) -> None:
    job = parts.queue.enqueue(b"%PDF-1.4 x", "転入届", FOLDER_PRINTER)  # waits (e.g. printer offline)
    created = dt.datetime.fromisoformat(job.created_at)
    day = created.astimezone(TOKYO).date()
    before_purge = dt.datetime.combine(day, dt.time(19, 59), tzinfo=TOKYO)
    after_purge = dt.datetime.combine(day, dt.time(20, 1), tzinfo=TOKYO)
    if created > before_purge:  # the test runs after 19:59 in Tokyo: look at the next day instead
        after_purge += dt.timedelta(days=1)
    else:
        assert parts.purge_spool(now=before_purge) == 0
    # While the print step uses the spool nothing is taken away; a minute later it is.
    parts.printer.view.set(PrintView(step=PrintStep.PRINTING))
    assert parts.purge_spool(now=after_purge) == 0
    parts.printer.view.set(PrintView(step=PrintStep.DONE))
    assert parts.purge_spool(now=after_purge) == 1
    assert parts.queue.jobs() == []


def test_db_purge_purges_the_spool_without_a_running_kiosk(tmp_path: Path) -> None:
    """The scheduled `madoguchi db purge` (the kiosk was not running at day end) takes the spool too."""
    from click.testing import CliRunner

    from counter_app.cli import cli
    from printing import AesGcmCodec, PrintQueue

    data = tmp_path / "data"
    yesterday = dt.datetime.now(dt.UTC) - dt.timedelta(days=1, hours=1)
    old = PrintQueue(
        data / "spool",
        AesGcmCodec(AesGcmCodec.new_key()),
        FolderBackend(tmp_path / "p"),
        clock=lambda: yesterday,
    )
    job = old.enqueue(b"%PDF-1.4 x", "転入届", FOLDER_PRINTER)
    env = {
        "MADOGUCHI_CONFIG": str(tmp_path / "c.toml"),
        "MADOGUCHI_DATA_DIR": str(data),
        "MADOGUCHI_COUNTER_NAME": "1番窓口",
    }
    result = CliRunner().invoke(cli, ["db", "purge"], env=env)
    assert result.exit_code == 0, result.output
    assert "印刷待ちの書類を1件" in result.output
    assert not (data / "spool" / f"{job.job_id}.pdf.sealed").exists()
