"""Settings: defaults, the TOML file, environment overrides, validation, a documented file round trip."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_app.settings.config import (
    KEYS,
    ConfigError,
    Settings,
    changed_keys,
    load_settings,
    render_settings,
    save_settings,
)


def _load(tmp_path: Path, text: str | None = None, **env: str) -> Settings:
    path = tmp_path / "madoguchi.toml"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    return load_settings(path=path, environ={"MADOGUCHI_DATA_DIR": str(tmp_path / "data"), **env})


def test_defaults_without_a_file(tmp_path: Path) -> None:
    settings = _load(tmp_path)
    assert settings.idle_timeout_minutes == 5
    assert settings.timezone == "Asia/Tokyo"
    assert settings.printer == "" and settings.reader == "" and settings.catalog_folder == ""
    assert settings.counter_name  # the host name
    assert settings.effective_database_url == f"sqlite:///{tmp_path / 'data' / 'madoguchi.sqlite3'}"
    assert settings.local_store_path == tmp_path / "data" / "counter-local.sqlite3"
    assert settings.purge_time == dt.time(20, 0)


def test_file_values_and_environment_override(tmp_path: Path) -> None:
    text = """
[counter]
name = "3番窓口"
idle_timeout_minutes = 10

[devices]
printer = "EPSON LP-S180"

[database]
url = "postgresql://madoguchi@db.example.lg.jp/madoguchi"
"""
    settings = _load(
        tmp_path, text, MADOGUCHI_COUNTER_IDLE_TIMEOUT_MINUTES="3", MADOGUCHI_DEVICES_READER="ACS"
    )
    assert settings.counter_name == "3番窓口"
    assert settings.printer == "EPSON LP-S180"
    assert settings.idle_timeout_minutes == 3  # the environment wins over the file
    assert settings.reader == "ACS"
    assert settings.effective_database_url.startswith("postgresql://")


def test_environment_names_follow_sections() -> None:
    names = {key.env for key in KEYS}
    assert {"MADOGUCHI_COUNTER_NAME", "MADOGUCHI_DATABASE_URL", "MADOGUCHI_DEVICES_PRINTER"} <= names
    assert {
        "MADOGUCHI_DEVICES_READER",
        "MADOGUCHI_CATALOG_FOLDER",
        "MADOGUCHI_COUNTER_IDLE_TIMEOUT_MINUTES",
    } <= names


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('[databse]\nurl = "x"\n', "databse.url"),  # a typo must not silently mean "private SQLite"
        ('[counter]\nidle_timeout_minutes = "five"\n', "counter.idle_timeout_minutes"),
        ("[counter]\nidle_timeout_minutes = 0\n", "counter.idle_timeout_minutes"),
        ('[counter]\ntimezone = "Mars/Olympus"\n', "counter.timezone"),
        ('[database]\nurl = "mysql://x@y/z"\n', "database.url"),
        ('[database]\ndraft_purge_time = "25:00"\n', "database.draft_purge_time"),
        ("[counter]\nname = 3\n", "counter.name"),
    ],
)
def test_bad_values_name_the_key(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        _load(tmp_path, text)
    assert caught.value.key == key


def test_unreadable_toml_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        _load(tmp_path, "[counter\nname=")
    assert caught.value.key is None and "TOML" in caught.value.reason


def test_bad_environment_value(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        _load(tmp_path, MADOGUCHI_COUNTER_IDLE_TIMEOUT_MINUTES="soon")
    assert caught.value.source == "MADOGUCHI_COUNTER_IDLE_TIMEOUT_MINUTES"


def test_rendered_file_documents_every_key_with_its_default(tmp_path: Path) -> None:
    settings = _load(tmp_path)
    text = render_settings(settings)
    document = tomllib.loads(text)
    for key in KEYS:
        assert key.name in document[key.section]
        assert f"# {key.doc}  既定値:" in text


def test_save_is_atomic_and_loads_back(tmp_path: Path) -> None:
    settings = _load(tmp_path).replace(counter_name="2番窓口", printer="窓口プリンター")
    path = save_settings(settings)
    assert not list(path.parent.glob("*.tmp"))
    again = load_settings(path=path, environ={"MADOGUCHI_DATA_DIR": str(tmp_path / "data")})
    assert again == settings


_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=40).map(str.strip)


@given(printer=_text | st.just('a\x7f\x00\\"\n窓口'), reader=_text, folder=_text)
def test_any_text_value_round_trips(printer: str, reader: str, folder: str) -> None:
    # Quotes, backslashes, newlines, control characters and Japanese survive the TOML file. (Settings
    # refuse control characters since issue 16; the renderer must still never write a broken file, so
    # the values are set here without validation.)
    base = Settings(
        counter_name="窓口", config_path=Path("/nonexistent/m.toml"), data_dir=Path("/nonexistent")
    )
    settings = dataclasses.replace(base, printer=printer, reader=reader, catalog_folder=folder)
    document = tomllib.loads(render_settings(settings))
    assert document["devices"] == {"printer": printer, "reader": reader, "resident_screen": "auto"}
    assert document["catalog"]["folder"] == folder


def test_changed_keys_for_the_audit(tmp_path: Path) -> None:
    old = _load(tmp_path)
    new = old.replace(printer="B", idle_timeout_minutes=7)
    assert changed_keys(old, new) == [("counter.idle_timeout_minutes", 5, 7), ("devices.printer", "", "B")]


def test_replace_validates(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        _load(tmp_path).replace(idle_timeout_minutes=500)


def test_config_path_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "elsewhere.toml"
    path.write_text('[counter]\nname = "別館窓口"\n', encoding="utf-8")
    monkeypatch.setenv("MADOGUCHI_CONFIG", str(path))
    monkeypatch.setenv("MADOGUCHI_DATA_DIR", str(tmp_path))
    settings = load_settings()
    assert settings.config_path == path and settings.counter_name == "別館窓口"
    assert os.environ["MADOGUCHI_CONFIG"] == str(path)


def test_the_settings_file_is_private(tmp_path: Path) -> None:
    """`config init` with a password in MADOGUCHI_DATABASE_URL: the file is 0600 in a 0700 folder."""
    import stat

    from click.testing import CliRunner

    from counter_app.cli import cli

    config_path = tmp_path / "private" / "madoguchi" / "madoguchi.toml"
    env = {
        "MADOGUCHI_CONFIG": str(config_path),
        "MADOGUCHI_DATA_DIR": str(tmp_path / "data"),
        "MADOGUCHI_DATABASE_URL": "postgresql://madoguchi:s3cret@db-host/madoguchi",
    }
    result = CliRunner().invoke(cli, ["config", "init"], env=env)
    assert result.exit_code == 0, result.output
    assert "s3cret" in config_path.read_text(encoding="utf-8")  # the kiosk needs it …
    assert stat.S_IMODE(config_path.stat().st_mode) == 0o600  # … but only its user can read it
    assert stat.S_IMODE(config_path.parent.stat().st_mode) == 0o700
    assert "s3cret" not in result.output
    # an existing folder open to others is tightened when the file holds a password
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    result = CliRunner().invoke(
        cli, ["config", "init"], env={**env, "MADOGUCHI_CONFIG": str(shared / "m.toml")}
    )
    assert result.exit_code == 0
    assert stat.S_IMODE(shared.stat().st_mode) == 0o700
    assert stat.S_IMODE((shared / "m.toml").stat().st_mode) == 0o600
    shown = CliRunner().invoke(cli, ["config", "show"], env=env)
    assert "s3cret" not in shown.output


def test_postgres_uses_verified_tls_unless_told_otherwise() -> None:
    from sqlalchemy.engine import make_url

    from counter_app.adapters.store.engine import tls_arguments

    assert tls_arguments(make_url("postgresql://db-host/madoguchi"), {}) == {"sslmode": "verify-full"}
    assert tls_arguments(make_url("postgresql://db-host/madoguchi?sslmode=disable"), {}) == {}
    assert tls_arguments(make_url("postgresql://db-host/madoguchi"), {"PGSSLMODE": "require"}) == {}
