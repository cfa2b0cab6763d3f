"""The registry as a read-only database view (PostgreSQL by default, any SQLAlchemy URL).

The view's columns are the 基本データリスト items under the ward's names (``registry.yaml``); only the
mapped columns are ever selected (never ``*``, so a 個人番号 column in the view is not read). Every
statement is an equality on 生年月日 plus a name/reading list, on 宛名番号 or on 世帯番号 — the three
questions of the port; each has its index on the ward's side (docs/registry.md).

Read-only three times over: the role the ward grants has ``SELECT`` on the view only; on PostgreSQL the
session is ``default_transaction_read_only`` and each transaction ``READ ONLY``; and this module never
builds anything but ``SELECT``. Statements time out after 3 s, connections after 3 s: a registry that
does not answer costs the clerk a message, not the visit.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy import Column, Date, MetaData, String, Table, create_engine, func, or_, select
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from counter_app.adapters.registry.config import RegistryConfig
from counter_app.adapters.registry.model import (
    ITEMS,
    MAX_HOUSEHOLD,
    RegistryDataError,
    RegistryPerson,
    RegistryUnavailableError,
)
from counter_app.adapters.registry.rows import person_from_row
from counter_app.adapters.store.engine import normalize_url, redact_url, tls_arguments

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_SECONDS = 3
STATEMENT_TIMEOUT_MS = 3000


def _compact(column: Any) -> Any:
    return func.replace(func.replace(column, " ", ""), "\u3000", "")


def registry_engine(url: str | URL) -> Engine:
    parsed = normalize_url(url)
    if parsed.get_backend_name() == "postgresql":
        engine = create_engine(
            parsed,
            hide_parameters=True,
            pool_size=2,
            max_overflow=2,
            pool_timeout=CONNECT_TIMEOUT_SECONDS,
            connect_args={
                "connect_timeout": CONNECT_TIMEOUT_SECONDS,
                "application_name": "madoguchi-registry",
                "options": f"-c default_transaction_read_only=on -c statement_timeout={STATEMENT_TIMEOUT_MS}",
                **tls_arguments(parsed),
            },
        )
        return engine.execution_options(postgresql_readonly=True)
    return create_engine(parsed, hide_parameters=True, pool_pre_ping=True)


class SqlRegistrySource:
    """:class:`~counter_app.workflow.registry.RegistrySource` on a database view."""

    def __init__(self, url: str | URL, config: RegistryConfig, engine: Engine | None = None) -> None:
        self.config = config
        self.shown_url = redact_url(url)
        self.engine = engine or registry_engine(url)
        schema, view = config.schema_and_view
        self._label = self.config.view
        # item -> Column (the ward's name); birth date as DATE so equality is on the index
        columns = [
            Column(config.columns[item], Date if item == "生年月日" else String, key=item) for item in ITEMS
        ]
        self.view = Table(view, MetaData(), *columns, schema=schema)

    def _rows(self, where: Any, limit: int) -> list[RegistryPerson]:
        statement = select(*(column.label(column.key) for column in self.view.c)).where(where).limit(limit)
        for attempt in (1, 2):
            try:
                with self.engine.connect() as connection:
                    rows = connection.execute(statement).mappings().all()
                break
            except DBAPIError as exc:
                # A pooled connection the server dropped (restart): once more on a new one. No
                # pre-ping: it would double the round trips of every lookup.
                if attempt == 1 and exc.connection_invalidated:
                    continue
                log.warning("registry %s unusable: %s", self.shown_url, type(exc).__name__)
                raise RegistryUnavailableError() from None
            except SQLAlchemyError as exc:
                log.warning("registry %s unusable: %s", self.shown_url, type(exc).__name__)
                raise RegistryUnavailableError() from None
        return [self._person({str(k): v for k, v in row.items()}) for row in rows]

    def _person(self, row: Mapping[str, Any]) -> RegistryPerson:
        try:
            return person_from_row(row, self._label, None)
        except RegistryDataError:
            # The value itself is a resident's: never on the clerk's screen or in the log.
            log.warning("registry view %s: a row with an unreadable item", self._label)
            raise RegistryUnavailableError(
                "住民記録のビューに形式の合わない値があります。システム担当に連絡してください"
                "(madoguchi registry の説明: docs/registry.md)。受付はカードまたは手入力で続けられます。"
            ) from None

    def find(
        self, birth_date: dt.date, names: Collection[str], readings: Collection[str], limit: int
    ) -> list[RegistryPerson]:
        c = self.view.c
        alternatives = []
        if names:
            alternatives.append(_compact(c["氏名"]).in_(sorted(names)))
        if readings:
            alternatives.append(_compact(c["氏名_フリガナ"]).in_(sorted(readings)))
        if not alternatives:
            return []
        return self._rows((c["生年月日"] == birth_date) & or_(*alternatives), limit)

    def by_atena(self, atena_no: str) -> RegistryPerson | None:
        found = self._rows(self.view.c["宛名番号"] == atena_no, 2)
        return found[0] if len(found) == 1 else None

    def household(self, household_no: str, limit: int = MAX_HOUSEHOLD) -> list[RegistryPerson]:
        return self._rows(self.view.c["世帯番号"] == household_no, limit)

    def close(self) -> None:
        self.engine.dispose()
