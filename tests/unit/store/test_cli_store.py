"""``madoguchi db``, ``stats``, ``supervisor`` and ``config`` through click, on SQLite in a temp folder."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from counter_app.adapters.storage import CounterStorage
from counter_app.cli import cli
from counter_app.presenters.messages import EXIT_AUTH, EXIT_CONFIG
from counter_app.settings.config import load_settings
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


SATO = "合言葉はもっと長めに"
SUZUKI = "鈴木の長めの合言葉"


def add_supervisors(env: dict[str, str]) -> None:
    """sato.k (the first account, added without sign-in) and suzuki.a (added by sato.k)."""
    assert run(env, "supervisor", "add", "sato.k", "--password-stdin", input=f"{SATO}\n").exit_code == 0
    added = run(
        env,
        "supervisor",
        "add",
        "suzuki.a",
        "--by",
        "sato.k",
        "--password-stdin",
        input=f"{SATO}\n{SUZUKI}\n",
    )
    assert added.exit_code == 0, added.output


def stats(env: dict[str, str], *args: str) -> Result:
    return run(env, "stats", "--by", "sato.k", "--password-stdin", *args, input=f"{SATO}\n")


def seed_visits(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    add_supervisors(env)
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
    assert status["reachable"] and status["revision"] == status["head"] == "0003"  # 0003: handoff_files
    assert status["pending"] == 0 and status["counter"] == "1番窓口"
    assert "CREATE TABLE visits" in run(env, "db", "upgrade", "--sql").output


def test_stats_text_json_csv(env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seed_visits(env, monkeypatch)
    text = stats(env, "--from", "2026-04-01", "--to", "2026-04-30")
    assert text.exit_code == 0 and "来庁者数" in text.output
    one_day = json.loads(stats(env, "--from", "2026-04-01", "--json").output)
    assert one_day["visits"] == 2 and one_day["to"] == "2026-04-01"
    counter = json.loads(
        stats(env, "--from", "2026-04-01", "--to", "2026-04-30", "--counter", "1番窓口", "--json").output
    )
    assert counter["visits"] == 2 and counter["handling_time"]["mean_s"] == 1200
    target = tmp_path / "april.csv"
    result = stats(env, "--from", "2026-04-01", "--to", "2026-04-30", "--csv", "-o", str(target))
    assert result.exit_code == 0
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    assert ["来庁者数", "3"] in list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_stats_arguments(env: dict[str, str]) -> None:
    add_supervisors(env)
    assert stats(env, "--from", "2026-04-31").exit_code == 2
    assert stats(env, "--from", "2026-04-02", "--to", "2026-04-01").exit_code == 2
    assert stats(env, "--json", "--csv").exit_code == 2


def test_stats_need_a_supervisor(env: dict[str, str]) -> None:
    add_supervisors(env)
    anonymous = run(env, "stats", "--from", "2026-04-01")
    assert anonymous.exit_code == EXIT_AUTH and "監督者のサインインが必要" in anonymous.output
    wrong = run(env, "stats", "--by", "sato.k", "--password-stdin", "--from", "2026-04-01", input="ちがう\n")
    assert wrong.exit_code == EXIT_AUTH and "パスワードが違います" in wrong.output
    assert stats(env, "--from", "2026-04-01").exit_code == 0
    exports = [a for a in sent_audits(env) if a["kind"] == "stats_export"]
    assert [(a["clerk_id"], a["detail"]["via"]) for a in exports] == [("sato.k", "cli")]


def sent_audits(env: dict[str, str]) -> list[dict[str, Any]]:
    from sqlalchemy import create_engine, select

    from counter_app.adapters.store.models import AUDIT_EVENTS

    engine = create_engine(f"sqlite:///{env['MADOGUCHI_DATA_DIR']}/madoguchi.sqlite3")
    with engine.connect() as connection:
        rows = connection.execute(select(AUDIT_EVENTS).order_by(AUDIT_EVENTS.c.at)).mappings().all()
    engine.dispose()
    return [
        {**row, "detail": json.loads(row["detail"]) if isinstance(row["detail"], str) else row["detail"]}
        for row in rows
    ]


def test_supervisor_changes_need_a_signed_in_supervisor(env: dict[str, str]) -> None:
    add_supervisors(env)
    # a second "first account" is refused once one exists
    intruder = run(env, "supervisor", "add", "intruder", "--password-stdin", input="侵入者の合言葉です\n")
    assert intruder.exit_code == EXIT_AUTH and "監督者のサインインが必要" in intruder.output
    # passwd of another account needs the acting supervisor's own password, not the target's
    wrong = run(
        env,
        "supervisor",
        "passwd",
        "sato.k",
        "--by",
        "suzuki.a",
        "--password-stdin",
        input=f"{SATO}\n乗っ取りの合言葉です\n",
    )
    assert wrong.exit_code == EXIT_AUTH
    # passwd of oneself needs the old password
    own = run(env, "supervisor", "passwd", "sato.k", "--password-stdin", input="ちがう\n新しい合言葉です\n")
    assert own.exit_code == EXIT_AUTH
    assert run(env, "supervisor", "disable", "suzuki.a").exit_code == EXIT_AUTH
    # lock sato.k, then sato.k cannot clear it, suzuki.a can
    for _ in range(5):
        run(env, "supervisor", "verify", "sato.k", "--password-stdin", input="ちがう\n")
    locked = run(
        env, "supervisor", "passwd", "sato.k", "--password-stdin", input=f"{SATO}\n新しい合言葉です\n"
    )
    assert locked.exit_code == EXIT_AUTH and "ロック" in locked.output
    unlocked = run(
        env, "supervisor", "unlock", "sato.k", "--by", "suzuki.a", "--password-stdin", input=f"{SUZUKI}\n"
    )
    assert unlocked.exit_code == 0, unlocked.output
    changed = run(
        env,
        "supervisor",
        "passwd",
        "sato.k",
        "--by",
        "suzuki.a",
        "--password-stdin",
        input=f"{SUZUKI}\n佐藤の新しい合言葉\n",
    )
    assert changed.exit_code == 0
    accounts = [(a["clerk_id"], a["detail"]) for a in sent_audits(env) if a["kind"] == "supervisor_account"]
    assert accounts == [
        ("sato.k", {"action": "add", "target": "sato.k", "first_account": True}),
        ("sato.k", {"action": "add", "target": "suzuki.a"}),
        ("suzuki.a", {"action": "unlock", "target": "sato.k"}),
        ("suzuki.a", {"action": "password", "target": "sato.k"}),
    ]
    # the password is never an argument
    assert "--password " not in run(env, "supervisor", "passwd", "--help").output


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
    # suzuki.a is added by sato.k (named by MADOGUCHI_SUPERVISOR instead of --by)
    added = run(
        {**env, "MADOGUCHI_SUPERVISOR": "sato.k"},
        "supervisor",
        "add",
        "suzuki.a",
        "--password-stdin",
        input=f"{SATO}\n{SUZUKI}\n",
    )
    assert added.exit_code == 0, added.output
    disabled = run(
        env, "supervisor", "disable", "sato.k", "--by", "suzuki.a", "--password-stdin", input=f"{SUZUKI}\n"
    )
    assert disabled.exit_code == 0
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
        json.loads(stats(env, "--from", "2026-04-01", "--to", "2026-04-02", "--json").output)["visits"] == 3
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
