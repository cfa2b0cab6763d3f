"""How a deadline is shown in a list on screen: a short cell and the full explanation for its tooltip.

A date moved off a closed day is marked 「(延長)」 and a closed day the municipality does not move is
marked 「(閉庁日)」, so the screen never shows a closed day, or a date that differs from the rule's
count, without saying why; the tooltip carries the whole note (期限の6月15日(日)は閉庁日のため…).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the catalog's models load with the catalog, after the window shows
    from procedures.deadlines import Deadline


def deadline_cell(deadline: Deadline | None) -> tuple[str, str]:
    """``("2025-06-16(月)(延長)", "期限の6月15日(日)は閉庁日のため、翌開庁日の6月16日(月)まで")``."""
    if deadline is None or deadline.date is None:
        return "", ""
    from procedures.deadlines import WEEKDAY_JA

    text = f"{deadline.date.isoformat()}({WEEKDAY_JA[deadline.date.weekday()]})"
    if deadline.moved:
        text += "(延長)"
    elif deadline.note:
        text += "(閉庁日)"
    return text, deadline.note
