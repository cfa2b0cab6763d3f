"""The supervisor's list of today's hand-offs (docs/handoff.md): state of each, and re-delivery.

Plain Python over the hand-off outbox; the widget (``counter_app.ui.supervisor.handoff_view``) only
shows :meth:`HandoffListPresenter.lines` and forwards the supervisor's choice. Only ids, counts and
states are shown: the rows themselves are sealed (waiting) or gone from the counter (delivered).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from counter_app.adapters.handoff_outbox import HandoffOutbox

STATE_LABELS = {"waiting": "送信待ち", "delivered": "送信済み", "imported": "取込済み"}
TARGET_LABELS = {"folder": "フォルダー", "database": "共有データベース"}
NOT_CONFIGURED = "基幹システムへの引き渡しは設定されていません(設定の handoff.target)"


@dataclass(frozen=True, slots=True)
class HandoffLine:
    time: str
    visit_id: str
    layout_id: str
    batch_ids: tuple[str, ...]
    rows: int
    stopped: int
    state: str
    target: str
    attempts: int
    error: str

    @property
    def cells(self) -> tuple[str, ...]:
        return (
            self.time,
            self.visit_id,
            self.layout_id,
            " ".join(self.batch_ids),
            str(self.rows),
            str(self.stopped),
            self.state,
            self.target,
            str(self.attempts),
            self.error,
        )


HEADERS = ("時刻", "来庁ID", "レイアウト", "一括番号", "行数", "保留", "状態", "送り先", "試行", "エラー")


class HandoffListPresenter:
    def __init__(
        self, outbox: HandoffOutbox | None, zone: dt.tzinfo, today: Callable[[], dt.date] | None = None
    ) -> None:
        self.outbox = outbox
        self.zone = zone
        self.today = today or (lambda: dt.datetime.now(zone).date())

    @property
    def enabled(self) -> bool:
        return self.outbox is not None

    def lines(self) -> list[HandoffLine]:
        if self.outbox is None:
            return []
        return [
            HandoffLine(
                s.created_at.astimezone(self.zone).strftime("%H:%M"),
                s.visit_id,
                s.layout_id,
                s.batch_ids,
                len(s.row_ids),
                s.stopped_rows,
                STATE_LABELS.get(s.state, s.state),
                TARGET_LABELS.get(s.target, s.target),
                s.attempts,
                s.last_error or "",
            )
            for s in self.outbox.statuses(self.today())
        ]

    def batch_ids(self) -> list[str]:
        return [batch for line in self.lines() for batch in line.batch_ids]

    def redeliver(self, batch_id: str) -> str:
        if self.outbox is None:
            return NOT_CONFIGURED
        return self.outbox.redeliver(batch_id)
