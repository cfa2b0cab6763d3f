"""Reprint of today's printed visits, and a correction after printing followed by a reprint (issue 18).

A printed visit stays (encrypted, with the drafts) until the day-end purge; it is never offered for
resuming. Reprints and corrections are audited with the form id and field names only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from counter_app.adapters.card_source import DemoCardSource
from counter_app.adapters.store.records import AuditKind
from counter_app.presenters.printing import PrintStep
from counter_app.presenters.reprint import ReprintPresenter, ReprintStep
from counter_app.settings.config import Settings
from counter_app.wiring.kiosk import Kiosk, build_kiosk
from counter_app.workflow.tasks import ImmediateRunner
from printing.folder_backend import FolderBackend
from tests.unit.app.kiosk_helpers import answer_all, identify

TODAY = dt.date(2026, 11, 23)


class AuditSpy:
    def __init__(self) -> None:
        self.events: list[tuple[AuditKind, str | None, str]] = []

    def visit_finished(self, *args: object) -> None:
        pass

    def audit(self, kind: AuditKind, visit_id: str | None, reason: str = "") -> None:
        self.events.append((kind, visit_id, reason))


@pytest.fixture
def parts(tmp_path: Path) -> Iterator[Kiosk]:
    settings = Settings(counter_name="1番窓口", data_dir=tmp_path / "data", config_path=tmp_path / "c.toml")
    backend = FolderBackend(tmp_path / "printed")
    built = build_kiosk(settings, ImmediateRunner(), card_source=DemoCardSource(), print_backend=backend)
    built.kiosk.today = lambda: TODAY
    built.printer.today = lambda: TODAY
    assert built.reprint is not None
    built.reprint.today = lambda: TODAY
    yield built
    built.printer.stop()
    built.storage.close()


def printed_visit(parts: Kiosk, guide_language: str = "ja") -> str:
    kiosk = parts.kiosk
    identify(kiosk)
    answer_all(kiosk, "shoumei")
    kiosk.go_print()
    assert kiosk.session is not None
    visit_id = kiosk.session.visit_id
    parts.printer.prepare(kiosk.session)
    parts.printer.print_all()
    assert parts.printer.view.value.step is PrintStep.DONE
    kiosk.finish(parts.printer.printed(), guide_language=guide_language)
    parts.printer.reset()
    return visit_id


def _text(pdf: bytes) -> str:
    document = pdfium.PdfDocument(pdf)
    try:
        return "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    finally:
        document.close()


def _printed_files(parts: Kiosk) -> int:
    folder = parts.storage.settings.data_dir.parent / "printed"
    return len(list(folder.iterdir()))


def test_a_printed_visit_is_listed_for_reprint_and_never_offered_for_resuming(parts: Kiosk) -> None:
    visit_id = printed_visit(parts)
    reprint = parts.reprint
    assert isinstance(reprint, ReprintPresenter)
    parts.kiosk.offer_recoveries()
    assert parts.kiosk.view.value.recoveries == ()
    reprint.refresh()
    visits = reprint.view.value.visits
    assert [v.visit_id for v in visits] == [visit_id]
    assert "(" in visits[0].label  # the life event's name is in the line
    # The next day the visit is not today's any more.
    reprint.today = lambda: TODAY + dt.timedelta(days=1)
    reprint.refresh()
    assert reprint.view.value.visits == ()


def test_reprint_one_document_is_printed_again_and_audited(parts: Kiosk) -> None:
    visit_id = printed_visit(parts)
    reprint = parts.reprint
    assert reprint is not None
    spy = AuditSpy()
    reprint.visit_log = spy
    before = _printed_files(parts)
    reprint.refresh()
    reprint.open(visit_id)
    view = reprint.view.value
    assert view.step is ReprintStep.READY, view.error
    kinds = [d.kind for d in view.documents]
    assert "guide_sheet" in kinds
    reprint.reprint([kinds.index("guide_sheet")])
    assert reprint.view.value.step is ReprintStep.READY
    assert reprint.view.value.error == ""
    assert _printed_files(parts) == before + 1
    assert spy.events == [(AuditKind.REPRINT, visit_id, "form=guide_sheet;by=clerk")]


def test_a_correction_after_printing_changes_the_reprinted_papers_and_is_audited(parts: Kiosk) -> None:
    visit_id = printed_visit(parts)
    reprint = parts.reprint
    assert reprint is not None
    spy = AuditSpy()
    reprint.visit_log = spy
    reprint.actor = "supervisor:kanri"
    reprint.refresh()
    reprint.open(visit_id)
    old_name = reprint.view.value.members[0]
    guide_before = next(d for d in reprint.view.value.documents if d.kind == "guide_sheet")
    assert old_name.split("\u3000")[0] in _text(guide_before.pdf).replace(" ", "\u3000")
    reprint.start_correction(0)
    form = reprint.correction.value
    assert form is not None
    form.set_field("name", "訂正\u3000花子")
    assert not reprint.confirm_correction("")  # a correction needs its reason
    assert reprint.view.value.error == "訂正の理由を入力してください(例: 氏名の字の誤り)"
    assert reprint.confirm_correction("氏名の字の誤り")
    view = reprint.view.value
    assert view.step is ReprintStep.READY
    assert view.members[0] == "訂正\u3000花子"
    assert view.message.startswith("氏名を訂正しました。")
    guide_after = next(d for d in view.documents if d.kind == "guide_sheet")
    assert "訂正" in _text(guide_after.pdf)
    assert spy.events == [(AuditKind.VISIT_CORRECTED, visit_id, "fields=name;by=supervisor:kanri")]
    # The correction is kept: the visit opened again shows the corrected name.
    reprint.close()
    reprint.open(visit_id)
    assert reprint.view.value.members[0] == "訂正\u3000花子"


def test_a_correction_that_changes_nothing_is_refused(parts: Kiosk) -> None:
    visit_id = printed_visit(parts)
    reprint = parts.reprint
    assert reprint is not None
    reprint.refresh()
    reprint.open(visit_id)
    reprint.start_correction(0)
    assert not reprint.confirm_correction("念のため")
    assert reprint.view.value.error == "訂正する項目が変わっていません"


def test_a_reprint_makes_the_guide_sheet_in_the_language_it_was_printed_in(parts: Kiosk) -> None:
    visit_id = printed_visit(parts, guide_language="en")
    reprint = parts.reprint
    assert reprint is not None
    reprint.refresh()
    reprint.open(visit_id)
    guide = next(d for d in reprint.view.value.documents if d.kind == "guide_sheet")
    assert "Counter Guide" in _text(guide.pdf)
