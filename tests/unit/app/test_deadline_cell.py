"""The deadline cell of the review screen: a moved or closed day is never shown without its reason."""

from __future__ import annotations

import datetime as dt

from counter_app.presenters.deadlines import deadline_cell
from procedures.deadlines import Deadline

NOTE = "期限の6月15日(日)は閉庁日のため、翌開庁日の6月16日(月)まで"


def test_cells() -> None:
    assert deadline_cell(None) == ("", "")
    assert deadline_cell(Deadline(None, "14日以内", "within 14 days")) == ("", "")
    plain = Deadline(dt.date(2025, 6, 16), "t", "t", dt.date(2025, 6, 16))
    assert deadline_cell(plain) == ("2025-06-16(月)", "")
    moved = Deadline(dt.date(2025, 6, 16), "t", "t", dt.date(2025, 6, 15), NOTE, "en")
    assert deadline_cell(moved) == ("2025-06-16(月)(延長)", NOTE)
    kept = Deadline(
        dt.date(2025, 6, 15), "t", "t", dt.date(2025, 6, 15), "期限の6月15日(日)は閉庁日です", "en"
    )
    assert deadline_cell(kept) == ("2025-06-15(日)(閉庁日)", "期限の6月15日(日)は閉庁日です")
