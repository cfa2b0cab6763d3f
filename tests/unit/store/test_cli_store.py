"""``madoguchi db``, ``stats``, ``supervisor`` and ``config`` through click, on SQLite in a temp folder."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from counter_app.cli import cli
from counter_app.config import load_settings
from counter_app.messages import EXIT_AUTH, EXIT_CONFIG
from counter_app.services.storage import CounterStorage
from tests.unit.store.factories import TOKYO, visit


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        "MADOGUCHI_CONFIG": str(tmp_path / "config" / "madoguchi.toml"),
        "MADOGUCHI_DATA_DIR": str(tmp_path / "data"),
        "MADOGUCHI_COUNTER_NAME": "1番窓口",
    }


def run(env: dict[str, str], *args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env, input=input, catch_exceptions=False)


def seed_visits(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with CounterStorage(load_settings(), background=False) as storage:
        t0 = dt.datetime(2026, 4, 1, 9, 0, tzinfo=TOKYO)
        storage.recorder.record_visit(visit(t0, minutes=10))
        storage.recorder.record_visit(visit(t0 + dt.timedelta(hours=2), minutes=20, counter="2番窓口"))
        storage.recorder.record_visit(visit(t0 + dt.timedelta(days=1), minutes=30))


def test_db_upgrade_and_status(env: dict[str, str]) -> None:
    result = run(env, "db", "upgrade")
    assert result.exit_code == 0 and "最新です" in result.output
    status = json.loads(run(env, "db", "status", "--json").output)
    assert status["reachable"] and status["revision"] == status["head"] == "0001"
    assert status["pending"] == 0 and status["counter"] == "1番窓口"
    assert "CREATE TABLE visits" in run(env, "db", "upgrade", "--sql").output


def test_stats_text_json_csv(env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seed_visits(env, monkeypatch)
    text = run(env, "stats", "--from", "2026-04-01", "--to", "2026-04-30")
    assert text.exit_code == 0 and "来庁者数" in text.output
    one_day = json.loads(run(env, "stats", "--from", "2026-04-01", "--json").output)
    assert one_day["visits"] == 2 and one_day["to"] == "2026-04-01"
    counter = json.loads(
        run(
            env, "stats", "--from", "2026-04-01", "--to", "2026-04-30", "--counter", "1番窓口", "--json"
        ).output
    )
    assert counter["visits"] == 2 and counter["handling_time"]["mean_s"] == 1200
    target = tmp_path / "april.csv"
    result = run(env, "stats", "--from", "2026-04-01", "--to", "2026-04-30", "--csv", "-o", str(target))
    assert result.exit_code == 0
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    assert ["来庁者数", "3"] in list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_stats_arguments(env: dict[str, str]) -> None:
    run(env, "db", "upgrade")
    assert run(env, "stats", "--from", "2026-04-31").exit_code == 2
    assert run(env, "stats", "--from", "2026-04-02", "--to", "2026-04-01").exit_code == 2
    assert run(env, "stats", "--json", "--csv").exit_code == 2


def test_supervisor_commands(env: dict[str, str]) -> None:
    assert (
        run(env, "supervisor", "add", "sato.k", "--password-stdin", input="合言葉はもっと長めに\n").exit_code
        == 0
    )
    assert (
        run(
            env, "supervisor", "verify", "sato.k", "--password-stdin", input="合言葉はもっと長めに\n"
        ).exit_code
        == 0
    )
    refused = run(env, "supervisor", "verify", "sato.k", "--password-stdin", input="ちがう\n")
    assert refused.exit_code == EXIT_AUTH and "パスワードが違います" in refused.output
    listed = json.loads(run(env, "supervisor", "list", "--json").output)
    assert [a["login"] for a in listed] == ["sato.k"] and listed[0]["last_sign_in_at"]
    assert run(env, "supervisor", "disable", "sato.k").exit_code == 0
    assert (
        run(
            env, "supervisor", "verify", "sato.k", "--password-stdin", input="合言葉はもっと長めに\n"
        ).exit_code
        == EXIT_AUTH
    )
    # the sign-ins were audited and sent
    assert json.loads(run(env, "db", "status", "--json").output)["pending"] == 0


def test_purge_and_rebuild(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    seed_visits(env, monkeypatch)
    assert "0件消去" in run(env, "db", "purge").output
    assert run(env, "db", "purge", "--before", "2026-04-01T18:00").exit_code == 0
    assert run(env, "db", "purge", "--before", "yesterday").exit_code == 2
    rebuilt = run(env, "db", "rebuild-stats")
    assert rebuilt.exit_code == 0 and "作り直しました" in rebuilt.output
    assert (
        json.loads(run(env, "stats", "--from", "2026-04-01", "--to", "2026-04-02", "--json").output)["visits"]
        == 3
    )
    assert "送信: 0件" in run(env, "db", "sync").output


def test_config_commands(env: dict[str, str]) -> None:
    shown = json.loads(run(env, "config", "show", "--json").output)
    assert shown["settings"]["counter.name"] == "1番窓口"
    assert run(env, "config", "init").exit_code == 0
    assert Path(env["MADOGUCHI_CONFIG"]).is_file()
    assert run(env, "config", "init").exit_code == 2  # no silent overwrite
    assert "[database]" in run(env, "config", "template").output
    secret = {**env, "MADOGUCHI_DATABASE_URL": "postgresql://madoguchi:s3cret@db/madoguchi"}
    assert "s3cret" not in run(secret, "config", "show").output


def test_a_broken_config_file_is_one_japanese_line(env: dict[str, str]) -> None:
    path = Path(env["MADOGUCHI_CONFIG"])
    path.parent.mkdir(parents=True)
    path.write_text('[database]\nurl = "oracle://x"\n', encoding="utf-8")
    result = run(env, "db", "status")
    assert result.exit_code == EXIT_CONFIG
    assert "設定ファイルに誤りがあります" in result.output and "database.url" in result.output
