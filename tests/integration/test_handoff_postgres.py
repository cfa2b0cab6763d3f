"""Hand-off delivery to the shared PostgreSQL (started by the test run, stopped by PID): the server is
killed in the middle of a batch, the counter keeps the rest sealed, and after the restart every entry is
in ``handoff_files`` exactly once with nothing readable left on the counter."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, update

from counter_app.adapters.drafts import DraftKeys
from counter_app.adapters.handoff_outbox import (
    DELIVERED,
    IMPORTED,
    WAITING,
    DatabaseTarget,
    HandoffOutbox,
    HandoffPayload,
    HandoffStatus,
)
from counter_app.adapters.store.engine import make_engine
from counter_app.adapters.store.local import LocalStore
from counter_app.adapters.store.migrate import upgrade
from counter_app.adapters.store.models import HANDOFF_FILES
from counter_app.workflow.handoff import handoff_payloads, handoff_visit_id
from procedures import guide, load_catalog, parse_visit
from procedures.handoff import load_layouts
from tests.services import Postgres
from tests.unit.store.conftest import no_os_key_store  # noqa: F401  (autouse fixture)
from tests.unit.store.test_handoff_outbox import DAY, NAME, VISIT

pytestmark = pytest.mark.integration


@pytest.fixture
def pg_engine(postgres: Postgres) -> Iterator[Engine]:
    name = f"madoguchi_{uuid.uuid4().hex[:12]}"
    engine = make_engine(postgres.create_database(name))
    upgrade(engine, "main")
    yield engine
    engine.dispose()
    if postgres.pid is None:
        postgres.start()
    postgres.drop_database(name)


def visit_payloads(count: int) -> list[HandoffPayload]:
    catalog = load_catalog("default")
    layouts = load_layouts(catalog)
    visit = parse_visit(VISIT)
    guidance = guide(catalog, visit)
    result = []
    for n in range(count):
        visit_id = handoff_visit_id(uuid.UUID(int=n + 1), DAY)
        result += handoff_payloads(
            layouts, visit, guidance, guidance.procedures, visit_id, {"jumin_idou"}, DAY
        )
    return result


class KillsTheServer:
    """The database target, with the server killed (SIGQUIT, like a crash) before delivery number ``at``."""

    name = "database"

    def __init__(self, target: DatabaseTarget, postgres: Postgres, at: int) -> None:
        self.target = target
        self.postgres = postgres
        self.at = at
        self.calls = 0

    def deliver(
        self, entry_id: uuid.UUID, counter: str, payload: HandoffPayload, local_date: dt.date
    ) -> None:
        self.calls += 1
        if self.calls == self.at:
            self.postgres.stop("immediate")
        self.target.deliver(entry_id, counter, payload, local_date)

    def imported(self, statuses: Sequence[HandoffStatus]) -> set[uuid.UUID]:
        return self.target.imported(statuses)

    def reopen(self, entry_id: uuid.UUID) -> bool:
        return self.target.reopen(entry_id)


def test_delivery_survives_the_database_killed_mid_batch(
    postgres: Postgres, pg_engine: Engine, tmp_path: Path
) -> None:
    local = LocalStore(tmp_path / "data" / "local.sqlite3")
    # (A machine id: without one and without a key store no key is derived — issue 16, item 8.)
    machine_id = tmp_path / "machine-id"
    machine_id.write_text("0123456789abcdef0123456789abcdef\n")
    keys = DraftKeys(local, "1番窓口", tmp_path / "config", machine_id_files=[machine_id])
    target = DatabaseTarget(lambda: pg_engine)
    outbox = HandoffOutbox(local, keys, KillsTheServer(target, postgres, at=3))
    payloads = visit_payloads(5)
    entries = [outbox.enqueue(p, DAY) for p in payloads]

    first = outbox.deliver()
    assert (first.delivered, first.waiting) == (2, 3) and first.error is not None
    assert postgres.pid is None  # the server really is gone
    states = [s.state for s in outbox.statuses(DAY, check_imported=False)]
    assert states == [DELIVERED, DELIVERED, WAITING, WAITING, WAITING]
    assert outbox.deliver().delivered == 0  # still down: nothing lost, nothing sent

    postgres.start()
    # the counter also "crashed" once after the server committed entry 3 and before its local mark
    target.deliver(entries[2], "1番窓口", payloads[2], DAY)
    second = outbox.deliver()
    assert (second.delivered, second.waiting) == (3, 0)

    with pg_engine.connect() as connection:
        rows = connection.execute(
            select(HANDOFF_FILES.c.entry_id, HANDOFF_FILES.c.file_name, HANDOFF_FILES.c.content)
        ).all()
    expected = {(e, f.name): f.data for e, p in zip(entries, payloads, strict=True) for f in p.files}
    assert len(rows) == len(expected)  # exactly once each
    assert {(r.entry_id, r.file_name): bytes(r.content) for r in rows} == expected
    assert NAME.encode() in expected[(entries[0], payloads[0].files[0].name)]  # the data did arrive

    # nothing readable left on the counter after delivery
    disk = b"".join(p.read_bytes() for p in sorted((tmp_path / "data").glob("local.sqlite3*")))
    assert NAME.encode() not in disk
    with local.engine.connect() as connection:
        from counter_app.adapters.store.local_models import HANDOFF_OUTBOX

        left = connection.execute(select(func.count()).where(HANDOFF_OUTBOX.c.ciphertext.is_not(None)))
        assert left.scalar_one() == 0

    # the back office's import marks the files: the supervisor sees "imported"
    with pg_engine.begin() as connection:
        connection.execute(
            update(HANDOFF_FILES)
            .where(HANDOFF_FILES.c.entry_id == entries[0])
            .values(imported_at=dt.datetime.now(dt.UTC))
        )
    states = [s.state for s in outbox.statuses(DAY)]
    assert states == [IMPORTED, DELIVERED, DELIVERED, DELIVERED, DELIVERED]

    # the supervisor re-delivers the first batch: the back office's import takes it again
    batch = payloads[0].batch_ids[0]
    assert "もう一度取り込める" in outbox.redeliver(batch)
    assert outbox.statuses(DAY)[0].state == DELIVERED
    with pg_engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(HANDOFF_FILES)).scalar_one() == len(
            expected
        )
    local.close()
