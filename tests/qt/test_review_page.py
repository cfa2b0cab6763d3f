"""The review screen shows a deadline moved off a closed day with its reason (column text and tooltip)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from counter_app.adapters.card_source import DemoCardSource
from counter_app.presenters.kiosk import KioskPresenter, ReviewView
from counter_app.ui.pages.review import ReviewPage
from counter_app.workflow.tasks import ImmediateRunner
from procedures.catalog import load_catalog
from procedures.engine import guide
from procedures.visit import parse_visit


def test_moved_deadline_is_marked_and_explained(qtbot: QtBot) -> None:
    catalog = load_catalog()
    # Moved in on Sunday 2025-06-01: the 14 days end on Sunday 6/15 → Monday 6/16.
    visit = parse_visit(
        {
            "format": "madoguchi-visit/1",
            "event": "tennyu",
            "event_date": "2025-06-01",
            "members": [
                {
                    "name": "試験　花子",
                    "birth_date": "1990-02-02",
                    "sex": "female",
                    "relationship": "self",
                    "answers": {"has_mynumber_card": False},  # a paper 転出証明書: the 14-day rule alone
                }
            ],
            "answers": {"arrival": "domestic"},
        }
    )
    todoke = next(p for p in guide(catalog, visit).procedures if p.id == "tennyu_todoke")
    page = ReviewPage(KioskPresenter(catalog, DemoCardSource(), ImmediateRunner()))
    qtbot.addWidget(page)
    page.show_view(ReviewView(procedures=(todoke,)))
    group = page.tree.topLevelItem(0)
    assert group is not None
    item = group.child(0)
    assert item is not None
    assert item.text(2) == "2025-06-16(月)(延長)"
    assert item.toolTip(2) == "期限の6月15日(日)は閉庁日のため、翌開庁日の6月16日(月)まで"
