"""Issue 14 item 4 end to end: one value that does not fit holds back that form only.

A household whose second member has a 34-character フリガナ (a foreign resident's reading): the print
path renders every other form and the guide sheet, lists the held forms per form and field in
Japanese with the fix on offer, and prints them once the clerk accepts the smaller font.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from counter_app.cli import cli
from counter_app.presenters.messages import EXIT_FORMS
from counter_app.presenters.printing import PrintPresenter, PrintStep
from counter_app.workflow.documents import GUIDE_KIND, DocumentService
from counter_app.workflow.tasks import ImmediateRunner
from counter_app.workflow.visit_fields import form_jobs
from forms import FontSet, FormRenderer
from forms.fitting import LEGIBLE_MIN_PT
from printing import AesGcmCodec, PrintQueue
from printing.folder_backend import FolderBackend
from procedures.catalog import Catalog, load_catalog
from tests.helpers.held import FakeSession, long_reading_household
from tests.helpers.visits import TODAY


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(None)


def test_the_other_forms_and_the_guide_sheet_are_made(
    catalog: Catalog, renderer: FormRenderer, fonts: FontSet
) -> None:
    visit, guidance, _ = long_reading_household(catalog)
    jobs = form_jobs(visit, guidance, today=TODAY)
    service = DocumentService(catalog, renderer, fonts)
    papers = service.build(visit, guidance, list(guidance.procedures), TODAY)
    held = {form.stem: form for form in papers.held}
    # Only the forms that list member 2 in a box too small for the reading are held.
    assert "jumin_idou" in held
    for form in held.values():
        assert [p.field for p in form.problems] == ["members[1].kana"]
        assert form.fixable
        (line,) = form.messages()
        assert line.startswith(f"「{form.title}」の「フリガナ(2人目)」が枠に収まりません。")
        assert "ポイント" in line and "内容を修正" in line
        assert "members[" not in line and "does not fit" not in line  # no raw key, no exception text
    printed = [d.kind for d in papers.documents]
    assert printed[-1] == GUIDE_KIND
    expected_printed = [j.file_stem for j in jobs if j.file_stem not in held]
    assert expected_printed, "the household has forms that do not list member 2"
    assert len(printed) - 1 == len(expected_printed)
    assert all(d.pdf.startswith(b"%PDF-") and d.pages >= 1 for d in papers.documents)

    # The clerk accepts the smaller font: every form prints, the reading whole at ≥ 5 pt.
    fixed = service.build(
        visit, guidance, list(guidance.procedures), TODAY, smaller_font=papers.smaller_font_offer()
    )
    assert fixed.held == ()
    assert len(fixed.documents) == len(jobs) + 1
    assert papers.smaller_font_offer() == {(stem, "members[1].kana") for stem in held}
    assert LEGIBLE_MIN_PT == 5.0


def test_the_print_step_lists_held_forms_and_offers_the_smaller_font(
    catalog: Catalog, renderer: FormRenderer, fonts: FontSet, tmp_path: Path
) -> None:
    visit, guidance, _ = long_reading_household(catalog)
    queue = PrintQueue(
        tmp_path / "spool",
        AesGcmCodec(AesGcmCodec.new_key()),
        FolderBackend(tmp_path / "out", "office", codec=AesGcmCodec(AesGcmCodec.new_key())),
    )
    presenter = PrintPresenter(
        DocumentService(catalog, renderer, fonts),
        queue,
        lambda: "office",
        ImmediateRunner(),
        today=lambda: TODAY,
    )
    presenter.prepare(FakeSession(visit, guidance))  # type: ignore[arg-type]
    view = presenter.view.value
    assert view.step is PrintStep.PREVIEW and view.held and view.can_shrink
    assert "「住民異動届」の「フリガナ(2人目)」が枠に収まりません。" in view.message
    assert "文字を小さくする" in view.message
    before = len(view.documents)
    presenter.accept_smaller_font()
    after = presenter.view.value
    assert after.step is PrintStep.PREVIEW and after.held == () and not after.can_shrink
    assert len(after.documents) == before + len(view.held)


def test_forms_render_writes_every_other_form_and_names_the_field(catalog: Catalog, tmp_path: Path) -> None:
    visit, _, _ = long_reading_household(catalog)
    visit_file = tmp_path / "visit.json"
    visit_file.write_text(json.dumps(visit.to_json(), ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out"
    args = ["forms", "render", "--visit", str(visit_file), "--out", str(out), "--date", TODAY.isoformat()]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == EXIT_FORMS, result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    held = {entry["form"]: entry for entry in manifest["held"]}
    assert held["jumin_idou"]["fields"][0]["field"] == "members[1].kana"
    assert held["jumin_idou"]["fields"][0]["label"] == "フリガナ(2人目)"
    assert "「住民異動届」の「フリガナ(2人目)」が枠に収まりません。" in result.output
    assert "--smaller-font" in result.output
    written = [d for d in manifest["documents"] if d["kind"] == "form"]
    assert written and all(Path(d["path"]).is_file() for d in written)
    assert not (out / "jumin_idou.pdf").exists()
    assert (out / "guide_sheet_ja.pdf").is_file()

    again = CliRunner().invoke(cli, [*args, "--smaller-font"])
    assert again.exit_code == 0, again.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["held"] == [] and (out / "jumin_idou.pdf").is_file()
    assert dt.date.fromisoformat(manifest["date"]) == TODAY
