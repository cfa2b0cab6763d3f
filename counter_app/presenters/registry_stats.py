"""The supervisor's view of resident-registry lookups: per office day, clerk and counter, the households
fetched, the searches and the refusals — read from the audit log (docs/registry.md)."""

from __future__ import annotations

import datetime as dt

from counter_app.adapters.registry.audit_stats import ClerkDay, lookups_per_clerk
from counter_app.adapters.storage import CounterStorage
from counter_app.adapters.store.errors import DatabaseUnavailableError, StoreError
from counter_app.presenters.messages import clerk_message

REGISTRY_DATABASE_DOWN = (
    "データベースに接続できないため、住民記録の照会件数を表示できません。"
    "接続が戻ってから「更新」を押してください。"
)
PERIODS = {"today": "今日", "week": "この7日間", "month": "この30日間"}


class RegistryLookupsPresenter:
    def __init__(self, storage: CounterStorage) -> None:
        self.storage = storage

    def period(self, key: str, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
        last = today or dt.datetime.now(self.storage.settings.zone).date()
        days = {"today": 0, "week": 6, "month": 29}[key]
        return last - dt.timedelta(days=days), last

    def rows(self, start: dt.date, end: dt.date) -> list[ClerkDay] | str:
        """The figures, or the supervisor's message when the database cannot give them."""
        try:
            self.storage.flush()
            self.storage.database.ensure_ready()
            return lookups_per_clerk(self.storage.database.engine, start, end, self.storage.settings.zone)
        except DatabaseUnavailableError:
            return REGISTRY_DATABASE_DOWN
        except StoreError as exc:
            return clerk_message(exc).text
