"""The guide sheet: grouped by counter, deadlines with days left, Japanese and English, page numbers."""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
from pathlib import Path

import pytest

from forms import FontSet, GuideCounter, GuideProcedure, GuideSheet, render_guide_sheet
from forms.guide import deadline_text, format_date

VISIT = dt.date(2025, 4, 14)


def _sheet(procedures_at_counter_2: int = 2) -> GuideSheet:
    return GuideSheet(
        visit_date=VISIT,
        office="みどり区役所",
        household="髙﨑　𠮷太郎",
        counters=(
            GuideCounter(
                "1番窓口 市民課",
                "本庁舎1階",
                (
                    GuideProcedure(
                        "転入届",
                        "みどり区に引っ越してきたため",
                        ("本人確認書類", "転出証明書"),
                        dt.date(2025, 4, 15),
                        "転入した日から14日以内",
                        done_today=True,
                        forms=("住民異動届",),
                    ),
                ),
            ),
            GuideCounter(
                "3番窓口 保険年金課",
                "本庁舎2階",
                tuple(
                    GuideProcedure(
                        f"国民健康保険 加入{i + 1}",
                        "職場の健康保険をやめたため(2人)",
                        ("資格喪失証明書", "マイナンバーカード"),
                        dt.date(2025, 4, 10) if i == 0 else dt.date(2025, 4, 28),
                        "資格を失った日から14日以内",
                    )
                    for i in range(procedures_at_counter_2)
                ),
            ),
        ),
        notes=("ご不明な点は総合案内(1階)へ。",),
    )


def _text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "guide.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_japanese_sheet(fonts: FontSet, tmp_path: Path) -> None:
    guide = render_guide_sheet(_sheet(), fonts)
    assert guide.page_count == 1
    text = _text(guide.pdf, tmp_path)
    for expected in [
        "窓口案内シート",
        "令和7年4月14日(月)",
        "髙﨑　𠮷太郎 様",
        "手続き 3件(うち本日済み 1件)",
        "① 1番窓口 市民課(本庁舎1階)",
        "② 3番窓口 保険年金課(本庁舎2階)",
        "転入届 【本日手続き済み】",
        "国民健康保険 加入1 【これから】",
        "令和7年4月10日(木)まで(期限を過ぎています",
        "令和7年4月28日(月)まで(あと14日)",
        "本人確認書類、転出証明書",
        "住民異動届",
    ]:
        assert expected in text, expected
    assert text.index("1番窓口") < text.index("3番窓口")
    assert "髙﨑" not in repr(_sheet()) and "bytes" in repr(guide)


def test_english_sheet_takes_its_strings_from_the_data(fonts: FontSet, tmp_path: Path) -> None:
    sheet = dataclasses.replace(
        _sheet(),
        language="en",
        counters=(
            GuideCounter(
                "Counter 3, Health Insurance",
                "2nd floor",
                (
                    GuideProcedure(
                        "National Health Insurance",
                        "You left your employer's insurance",
                        ("My Number card",),
                        dt.date(2025, 4, 15),
                        "within 14 days",
                    ),
                ),
            ),
        ),
        notes=(),
    )
    text = _text(render_guide_sheet(sheet, fonts).pdf, tmp_path)
    for expected in [
        "Counter Guide",
        "Monday 14 April 2025",
        "For: 髙﨑　𠮷太郎",
        "Counter 3, Health Insurance",
        "National Health Insurance",
        "Tuesday 15 April 2025 (1 day left)",
        "Please bring",
        "My Number card",
    ]:
        assert expected in text, expected
    assert "窓口案内" not in text


def test_a_long_sheet_continues_with_page_numbers(fonts: FontSet, tmp_path: Path) -> None:
    guide = render_guide_sheet(_sheet(procedures_at_counter_2=14), fonts)
    assert guide.page_count >= 2
    text = _text(guide.pdf, tmp_path)
    assert f"1 / {guide.page_count} 枚" in text and f"{guide.page_count} / {guide.page_count} 枚" in text
    assert "窓口案内シート (続き)" in text
    assert all(f"国民健康保険 加入{i}" in text for i in range(1, 15))


@pytest.mark.parametrize(
    ("deadline", "done", "expected"),
    [
        (dt.date(2025, 4, 14), False, "令和7年4月14日(月)まで(本日が期限)・14日以内"),
        (dt.date(2025, 4, 15), False, "令和7年4月15日(火)まで(あと1日)・14日以内"),
        (dt.date(2025, 4, 1), True, "令和7年4月1日(火)まで・14日以内"),
        (None, False, "14日以内"),
    ],
)
def test_deadline_text(deadline: dt.date | None, done: bool, expected: str) -> None:
    procedure = GuideProcedure("x", deadline=deadline, deadline_rule="14日以内", done_today=done)
    assert deadline_text(procedure, VISIT, "ja") == expected


def test_deadline_text_explains_a_moved_deadline() -> None:
    note = "期限の4月13日(日)は閉庁日のため、翌開庁日の4月14日(月)まで"
    procedure = GuideProcedure(
        "x", deadline=dt.date(2025, 4, 14), deadline_rule="14日以内", deadline_note=note
    )
    assert deadline_text(procedure, VISIT, "ja") == f"令和7年4月14日(月)まで(本日が期限)・14日以内・{note}"
    english = GuideProcedure(
        "x", deadline=dt.date(2025, 4, 14), deadline_rule="within 14 days", deadline_note="moved"
    )
    assert deadline_text(english, VISIT, "en") == "Monday 14 April 2025 (due today); within 14 days; moved"


def test_english_dates() -> None:
    assert format_date(dt.date(2019, 5, 1), "en") == "Wednesday 1 May 2019"
    assert format_date(dt.date(2019, 5, 1), "ja") == "令和元年5月1日(水)"
