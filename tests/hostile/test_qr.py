"""Hostile QR codes (issue 16, items 3 and 4): each is refused with one Japanese line, in bounded time
and memory, and the next valid code is still accepted — in the library, the kiosk presenter, the
kiosk's image files (F5) and ``madoguchi qr decode``."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from card_reader.qr import QrImageError, decode_file
from counter_app.adapters.card_source import DemoCardSource
from counter_app.presenters.kiosk import KioskPresenter
from counter_app.presenters.messages import clerk_message
from counter_app.workflow.tasks import ImmediateRunner
from procedures.catalog import load_catalog
from procedures.prefill import decode_scans
from procedures.prefill.document import NoteKind, compress_document
from procedures.prefill.errors import PrefillContentError, PrefillError
from procedures.prefill.parts import frame_parts
from tests.hostile import qr_cases
from tests.hostile.harness import CATCH_ALL, JAPANESE, assert_refused, run_cli

CATALOG = load_catalog()
TODAY = dt.date.today()
TEXTS = qr_cases.hostile_texts()


@pytest.fixture(scope="module")
def images(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return qr_cases.hostile_images(tmp_path_factory.mktemp("hostile-images"))


@pytest.fixture(scope="module")
def valid_png(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.unit.prefill.samples import qr_image

    [text] = qr_cases.valid_set(TODAY)
    path = tmp_path_factory.mktemp("valid") / "valid.png"
    qr_image(text).save(path)
    return path


def kiosk() -> KioskPresenter:
    return KioskPresenter(CATALOG, DemoCardSource(), ImmediateRunner(), today=lambda: TODAY)


# ---------------------------------------------------------------- the library


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_hostile_content_is_a_prefill_error_in_bounded_time(name: str) -> None:
    started = time.monotonic()
    with pytest.raises(PrefillError) as caught:
        decode_scans(TEXTS[name], CATALOG)
    assert time.monotonic() - started < 2
    line = clerk_message(caught.value).text
    assert JAPANESE.search(line) and CATCH_ALL not in line


@pytest.mark.parametrize("name", ["birth_2099", "birth_1800"])
def test_an_impossible_birth_date_is_named(name: str) -> None:
    with pytest.raises(PrefillContentError) as caught:
        decode_scans(TEXTS[name], CATALOG)
    assert "生年月日" in clerk_message(caught.value).text


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", (TODAY + dt.timedelta(days=400)).isoformat()])
def test_an_impossible_event_date_from_a_qr_code_is_not_used(day: str) -> None:
    prefill = decode_scans(qr_cases.visit_with_event_date(day), CATALOG, today=TODAY)
    assert prefill.visit.event_date is None
    [note] = [n for n in prefill.notes if n.kind is NoteKind.BAD_EVENT_DATE]
    assert "届出の日付を確かめてください" in note.message
    assert len(prefill.visit.members) == 1  # the rest is used


def test_an_event_date_before_a_birth_is_not_used() -> None:
    texts = frame_parts(
        compress_document(
            qr_cases.document(
                {
                    "event": "tennyu",
                    "event_date": (TODAY - dt.timedelta(days=20)).isoformat(),
                    "members": [qr_cases.member((TODAY - dt.timedelta(days=5)).isoformat())],
                }
            )
        )
    )
    prefill = decode_scans(texts, CATALOG, today=TODAY)
    assert prefill.visit.event_date is None
    assert any(n.kind is NoteKind.BAD_EVENT_DATE for n in prefill.notes)


@pytest.mark.parametrize(
    "name", ["png_20000x20000", "png_13000x13000", "png_text_bomb", "png_many_text_chunks", "png_truncated"]
)
def test_hostile_images_are_refused_before_decoding(name: str, images: dict[str, Path]) -> None:
    started = time.monotonic()
    with pytest.raises(QrImageError) as caught:
        decode_file(images[name])
    assert time.monotonic() - started < 3
    line = clerk_message(caught.value).text
    assert JAPANESE.search(line) and CATCH_ALL not in line
    if name.startswith("png_1") or name.startswith("png_2"):
        assert "画素数が多すぎます" in line


def test_a_large_photo_is_reduced_and_still_read(tmp_path: Path) -> None:
    """An 8,000 × 6,000 picture (48 MP, above the scanning size) with the code in it still decodes."""
    from PIL import Image

    from tests.unit.prefill.samples import qr_image

    [text] = qr_cases.valid_set(TODAY)
    canvas = Image.new("L", (8000, 6000), 255)
    canvas.paste(qr_image(text, scale=16), (3000, 2000))
    path = tmp_path / "big.png"
    canvas.save(path)
    assert decode_file(path) == [text.encode("ascii")]


# ---------------------------------------------------------------- the kiosk presenter


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_the_kiosk_reports_a_hostile_code_and_takes_the_next_valid_one(name: str) -> None:
    presenter = kiosk()
    for text in TEXTS[name]:
        presenter.qr_scanned(text)
    error = presenter.view.value.error
    assert JAPANESE.search(error) and CATCH_ALL not in error
    assert presenter.session is None or not presenter.session.members
    for text in qr_cases.valid_set(TODAY):
        presenter.qr_scanned(text)
    assert presenter.session is not None and [m.name for m in presenter.session.members] == ["窓口 太郎"]
    assert presenter.view.value.error == ""


def test_the_kiosk_does_not_take_an_event_date_of_9999() -> None:
    presenter = kiosk()
    for text in qr_cases.visit_with_event_date("9999-12-31"):
        presenter.qr_scanned(text)
    assert presenter.session is not None
    assert presenter.session.event_date != dt.date(9999, 12, 31)


def test_image_files_in_the_kiosk_f5(images: dict[str, Path], valid_png: Path) -> None:
    """F5 (image files): a hostile file is reported, the next file is read."""
    from counter_app.ui.qr_input import scan_files

    presenter = kiosk()
    for name, path in images.items():
        scan_files(presenter, [str(path)])
        error = presenter.view.value.error
        assert JAPANESE.search(error) and CATCH_ALL not in error, name
    scan_files(presenter, [str(valid_png)])
    assert presenter.session is not None and len(presenter.session.members) == 1


# ---------------------------------------------------------------- madoguchi qr decode


@pytest.mark.parametrize(
    "name",
    [
        "png_20000x20000",
        "png_13000x13000",
        "png_text_bomb",
        "png_many_text_chunks",
        "png_truncated",
        "not_an_image",
    ],
)
def test_qr_decode_refuses_hostile_images_within_1_gib(
    name: str, images: dict[str, Path], tmp_path: Path
) -> None:
    run = run_cli(["qr", "decode", str(images[name])], tmp_path)
    assert_refused(run, name)
    assert run.seconds < 20


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_qr_decode_typed_refuses_hostile_codes(name: str, tmp_path: Path) -> None:
    stdin = ("\n".join(TEXTS[name]) + "\n").encode("ascii")
    run = run_cli(["qr", "decode", "--typed"], tmp_path, stdin=stdin)
    assert_refused(run, name)


def test_qr_decode_reads_the_valid_image(valid_png: Path, tmp_path: Path) -> None:
    run = run_cli(["qr", "decode", "--json", str(valid_png)], tmp_path)
    assert run.returncode == 0, run.stderr
    assert "窓口 太郎" in run.stdout
