"""Applying the migrations shipped in the package, without an alembic.ini.

Two script directories live in :mod:`counter_app.adapters.store.migrations`: ``main`` for the main database
(SQLite or the shared PostgreSQL) and ``local`` for the counter's own store. :func:`upgrade` runs in one
transaction: on PostgreSQL under an advisory lock, so twenty counters starting at once migrate once;
on SQLite under ``BEGIN IMMEDIATE``. A database migrated by a newer Madoguchi is refused
(:class:`SchemaTooNewError`) instead of being used with the wrong columns.
"""

from __future__ import annotations

import io
import logging
from importlib import resources
from pathlib import Path
from typing import Literal

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, MetaData, text

from counter_app.adapters.store.errors import SchemaNotReadyError, SchemaTooNewError

log = logging.getLogger(__name__)

Which = Literal["main", "local"]
# pg_advisory_xact_lock key: "MADO" as an integer; any constant works as long as it is shared.
_PG_LOCK_KEY = 0x4D41444F


def script_location(which: Which) -> Path:
    location = resources.files("counter_app.adapters.store.migrations") / which
    return Path(str(location))


def alembic_config(which: Which, connection: Connection | None = None) -> Config:
    config = Config(stdout=io.StringIO())
    config.set_main_option("script_location", str(script_location(which)))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _metadata(which: Which) -> MetaData:
    if which == "main":
        from counter_app.adapters.store.models import Base

        return Base.metadata
    from counter_app.adapters.store.local_models import LocalBase

    return LocalBase.metadata


def run_environment(which: Which) -> None:
    """The body of both ``env.py`` files: migrate over the connection handed in, or emit SQL offline."""
    from alembic import context

    metadata = _metadata(which)
    if context.is_offline_mode():
        context.configure(
            url=context.config.get_main_option("sqlalchemy.url"),
            target_metadata=metadata,
            literal_binds=True,
            dialect_opts={"paramstyle": "named"},
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def head_revision(which: Which) -> str:
    head = ScriptDirectory.from_config(alembic_config(which)).get_current_head()
    assert head is not None, "no migration shipped"
    return head


def known_revisions(which: Which) -> set[str]:
    return {script.revision for script in ScriptDirectory.from_config(alembic_config(which)).walk_revisions()}


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _refuse_newer(which: Which, revision: str | None) -> None:
    if revision is not None and revision not in known_revisions(which):
        raise SchemaTooNewError(revision, head_revision(which))


def upgrade(engine: Engine, which: Which = "main", target: str = "head") -> str:
    """Apply the migrations up to ``target``; returns the revision the database is at afterwards."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        before = current_revision(connection)
        _refuse_newer(which, before)
        command.upgrade(alembic_config(which, connection), target)
        after = current_revision(connection)
    if after != before:
        log.info("%s database migrated from %s to %s", which, before, after)
    assert after is not None
    return after


def upgrade_sql(url: str, which: Which = "main") -> str:
    """The SQL that :func:`upgrade` would run on an empty database of ``url``'s kind (for DBAs)."""
    from counter_app.adapters.store.engine import normalize_url

    buffer = io.StringIO()
    config = Config(output_buffer=buffer, stdout=io.StringIO())
    config.set_main_option("script_location", str(script_location(which)))
    config.set_main_option(
        "sqlalchemy.url", normalize_url(url).render_as_string(hide_password=False).replace("%", "%%")
    )
    command.upgrade(config, "head", sql=True)
    return buffer.getvalue()


def check_schema(engine: Engine, which: Which = "main") -> str:
    """Raise unless the database is exactly at this app's head revision; returns it."""
    with engine.connect() as connection:
        revision = current_revision(connection)
    _refuse_newer(which, revision)
    head = head_revision(which)
    if revision != head:
        raise SchemaNotReadyError(revision, head)
    return head
