"""Migrations shipped inside the package: applied, repeatable, matching the models, refusing the future."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

import counter_app
from counter_app.adapters.store.engine import make_engine
from counter_app.adapters.store.errors import SchemaNotReadyError, SchemaTooNewError
from counter_app.adapters.store.local_models import LocalBase
from counter_app.adapters.store.migrate import (
    check_schema,
    current_revision,
    head_revision,
    script_location,
    upgrade,
    upgrade_sql,
)
from counter_app.adapters.store.models import Base

MAIN_TABLES = {"visits", "visit_procedures", "print_jobs", "audit_events", "supervisors", "stat_counts"}


def test_upgrade_creates_the_tables_and_is_repeatable(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'main.sqlite3'}")
    with pytest.raises(SchemaNotReadyError):
        check_schema(engine)
    assert upgrade(engine) == head_revision("main")
    assert upgrade(engine) == head_revision("main")  # a second run changes nothing
    assert check_schema(engine) == head_revision("main")
    assert set(inspect(engine).get_table_names()) >= MAIN_TABLES


@pytest.mark.parametrize(("which", "metadata"), [("main", Base.metadata), ("local", LocalBase.metadata)])
def test_models_and_migrations_agree(tmp_path: Path, which: str, metadata: object) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    upgrade(engine, which)  # type: ignore[arg-type]
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []  # type: ignore[arg-type]


def test_downgrade_to_nothing_and_up_again(tmp_path: Path) -> None:
    from alembic import command

    from counter_app.adapters.store.migrate import alembic_config

    engine = make_engine(f"sqlite:///{tmp_path / 'main.sqlite3'}")
    upgrade(engine)
    with engine.begin() as connection:
        command.downgrade(alembic_config("main", connection), "base")
    assert not MAIN_TABLES & set(inspect(engine).get_table_names())
    upgrade(engine)
    assert set(inspect(engine).get_table_names()) >= MAIN_TABLES


def test_a_database_from_a_newer_app_is_refused(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'main.sqlite3'}")
    upgrade(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0999_from_the_future'"))
    with pytest.raises(SchemaTooNewError) as caught:
        upgrade(engine)
    assert caught.value.revision == "0999_from_the_future"
    with pytest.raises(SchemaTooNewError):
        check_schema(engine)
    with engine.connect() as connection:  # nothing was touched
        assert current_revision(connection) == "0999_from_the_future"


def test_concurrent_upgrades_migrate_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'main.sqlite3'}"
    errors: list[BaseException] = []

    def run() -> None:
        engine = make_engine(url)
        try:
            upgrade(engine)
        except BaseException as exc:
            errors.append(exc)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert check_schema(make_engine(url)) == head_revision("main")


def test_migrations_ship_inside_the_package() -> None:
    package_dir = Path(counter_app.__file__).parent
    for which in ("main", "local"):
        location = script_location(which)
        assert location.is_relative_to(package_dir)
        assert (location / "env.py").is_file() and (location / "script.py.mako").is_file()
        assert (location / "__init__.py").is_file() and (location / "versions" / "__init__.py").is_file()
        assert list((location / "versions").glob("0001_*.py"))


def test_every_migration_folder_is_a_package() -> None:
    """setuptools' ``packages.find`` (pyproject) installs only folders with ``__init__.py``, and
    package-data adds the ``.mako`` templates: so a wheel carries every migration."""
    import tomllib

    root = Path(counter_app.__file__).parent
    for folder in (root / "store").rglob("*"):
        if folder.is_dir() and folder.name != "__pycache__" and list(folder.glob("*.py")):
            assert (folder / "__init__.py").is_file(), folder
    pyproject = tomllib.loads((root.parent / "pyproject.toml").read_text(encoding="utf-8"))
    assert "counter_app*" in pyproject["tool"]["setuptools"]["packages"]["find"]["include"]
    assert "*.mako" in pyproject["tool"]["setuptools"]["package-data"]["*"]


def test_offline_sql_for_dbas() -> None:
    sql = upgrade_sql("postgresql://madoguchi:secret@db/madoguchi")
    assert "CREATE TABLE visits" in sql and "CREATE TABLE stat_counts" in sql
    assert "UUID" in sql  # PostgreSQL types, not SQLite's
    assert "secret" not in sql
