"""Hostile and mistaken input through the real ``madoguchi`` command line (issue 16, items 4 and 10):
each one is refused with exactly one Japanese line that says what to do, a non-zero exit, no traceback,
no catch-all message, no English from click, in bounded time."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from counter_app.adapters.store.records import ALL_COUNTERS
from counter_app.cli import cli
from counter_app.settings.config import ConfigError, load_settings
from procedures.errors import VisitFormatError
from procedures.visit import check_dates, event_date_range, parse_visit

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
TODAY = dt.date.today()


def visit_json(birth: str = "1980-02-17", event_date: str | None = None) -> str:
    data: dict[str, object] = {
        "event": "tennyu",
        "members": [{"name": "窓口　太郎", "birth_date": birth, "sex": "male", "relationship": "self"}],
    }
    if event_date is not None:
        data["event_date"] = event_date
    return json.dumps(data, ensure_ascii=False)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    paths = {
        "future_birth": visit_json(birth=(TODAY + dt.timedelta(days=30)).isoformat()),
        "birth_2099": visit_json(birth="2099-01-01"),
        "birth_after_event": visit_json(
            birth=(TODAY - dt.timedelta(days=3)).isoformat(),
            event_date=(TODAY - dt.timedelta(days=10)).isoformat(),
        ),
        "birth_1800": visit_json(birth="1800-01-01"),
        "event_9999": visit_json(event_date="9999-12-31"),
        "event_0001": visit_json(event_date="0001-01-01"),
        "ok": visit_json(event_date=TODAY.isoformat()),
    }
    out: dict[str, str] = {}
    for name, text in paths.items():
        path = tmp_path / f"{name}.json"
        path.write_text(text, encoding="utf-8")
        out[name] = str(path)
    out["dir"] = str(tmp_path)
    return out


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        "MADOGUCHI_CONFIG": str(tmp_path / "config" / "madoguchi.toml"),
        "MADOGUCHI_DATA_DIR": str(tmp_path / "data"),
        "MADOGUCHI_COUNTER_NAME": "1番窓口",
    }


CASES: dict[str, tuple[list[str], dict[str, str]]] = {
    # name: (arguments, with {file} placeholders filled from the fixture; extra environment)
    "guide_impossible_date": (["guide", "--visit", "{ok}", "--date", "2025-02-30"], {}),
    "guide_date_9999": (["guide", "--visit", "{ok}", "--date", "9999-12-31"], {}),
    "guide_date_0001": (["guide", "--visit", "{ok}", "--date", "0001-01-01"], {}),
    "guide_date_words": (["guide", "--visit", "{ok}", "--date", "yesterday"], {}),
    "guide_future_birth": (["guide", "--visit", "{future_birth}"], {}),
    "guide_birth_2099": (["guide", "--visit", "{birth_2099}"], {}),
    "guide_birth_after_event": (["guide", "--visit", "{birth_after_event}"], {}),
    "guide_birth_1800": (["guide", "--visit", "{birth_1800}"], {}),
    "guide_event_9999_in_file": (["guide", "--visit", "{event_9999}"], {}),
    "guide_event_0001_in_file": (["guide", "--visit", "{event_0001}"], {}),
    "guide_dev_zero": (["guide", "--visit", "/dev/zero"], {}),
    "guide_missing_visit": (["guide"], {}),
    "guide_bad_lang": (["guide", "--visit", "{ok}", "--lang", "fr"], {}),
    "card_decode_dev_zero": (["card", "decode", "/dev/zero"], {}),
    "card_decode_folder": (["card", "decode", "{dir}"], {}),
    "card_decode_missing": (["card", "decode", "{dir}/nowhere.bin"], {}),
    "stats_impossible_date": (["stats", "--from", "2025-02-30"], {}),
    "stats_date_9999": (["stats", "--from", "9999-12-31"], {}),
    "stats_to_before_from": (["stats", "--from", "2026-04-02", "--to", "2026-04-01"], {}),
    "stats_unknown_option": (["stats", "--frm", "2026-04-01"], {}),
    "stats_option_without_value": (["stats", "--counter"], {}),
    "unknown_command": (["nosuchcommand"], {}),
    "extra_argument": (["config", "show", "extra"], {}),
    "audit_anchor_bad_date": (["audit", "verify", "--anchor", "2026-02-30=" + "0" * 64], {}),
    "audit_days_zero": (["audit", "digests", "--days", "0"], {}),
    "db_purge_impossible_day": (["db", "purge", "--before", "2026-02-30T00:00"], {}),
    "db_purge_words": (["db", "purge", "--before", "yesterday"], {}),
    "config_purge_time_with_offset": (
        ["config", "show"],
        {"MADOGUCHI_DATABASE_DRAFT_PURGE_TIME": "20:00+09:00"},
    ),
    "config_purge_time_25h": (["config", "show"], {"MADOGUCHI_DATABASE_DRAFT_PURGE_TIME": "25:00"}),
    "config_counter_star": (["config", "show"], {"MADOGUCHI_COUNTER_NAME": "*"}),
    "config_counter_newline": (["config", "show"], {"MADOGUCHI_COUNTER_NAME": "1番\n窓口"}),
    "config_printer_escape": (["config", "show"], {"MADOGUCHI_DEVICES_PRINTER": "\x1b[31mLP"}),
    "config_idle_zero": (["config", "show"], {"MADOGUCHI_COUNTER_SUPERVISOR_IDLE_MINUTES": "0"}),
    "config_timezone_path": (["config", "show"], {"MADOGUCHI_COUNTER_TIMEZONE": "../../etc/passwd"}),
    "supervisor_add_without_sign_in": (["supervisor", "disable", "sato.k"], {}),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_input_is_refused_in_one_japanese_line(
    name: str, files: dict[str, str], env: dict[str, str]
) -> None:
    arguments, extra = CASES[name]
    args = [a.format(**files) for a in arguments]
    started = time.monotonic()
    result = CliRunner().invoke(cli, args, env={**env, **extra})
    elapsed = time.monotonic() - started
    assert elapsed < 20, f"{name}: {elapsed:.1f} s"
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), (
        f"{name}: {result.exception!r}"
    )
    assert result.exit_code not in (0, None), name
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, f"{name}: {result.stderr!r}"
    [line] = lines
    assert JAPANESE.search(line), line
    for forbidden in ("Traceback", "予期しないエラー", "Usage:", "Error:", "Invalid value", "Try '"):
        assert forbidden not in line, f"{name}: {line}"
    assert result.stdout == "", f"{name}: {result.stdout!r}"


def test_a_specific_reason_for_dates(files: dict[str, str], env: dict[str, str]) -> None:
    def stderr(*args: str) -> str:
        return CliRunner().invoke(cli, list(args), env=env).stderr

    assert "2025-02-30 という日付はありません" in stderr(
        "guide", "--visit", files["ok"], "--date", "2025-02-30"
    )
    assert "範囲" in stderr("stats", "--from", "9999-12-31")
    assert "生年月日が今日より後" in stderr("guide", "--visit", files["birth_2099"])
    assert "生年月日が届出の日付より後" in stderr("guide", "--visit", files["birth_after_event"])
    assert "届出の日付は10年前から1年後まで" in stderr("guide", "--visit", files["event_9999"])
    assert "大きすぎます" in stderr("card", "decode", "/dev/zero")


def test_usable_dates_still_work(files: dict[str, str], env: dict[str, str]) -> None:
    result = CliRunner().invoke(cli, ["guide", "--visit", files["ok"], "--json"], env=env)
    assert result.exit_code == 0, result.stderr
    earliest, latest = event_date_range(TODAY)
    for day in (earliest, latest, TODAY):
        check_dates(parse_visit(visit_json(event_date=day.isoformat())), TODAY)
    for day in (earliest - dt.timedelta(days=1), latest + dt.timedelta(days=1)):
        with pytest.raises(VisitFormatError):
            check_dates(parse_visit(visit_json(event_date=day.isoformat())), TODAY)
    # a newborn on the day of the birth registration is fine
    check_dates(parse_visit(visit_json(birth=TODAY.isoformat(), event_date=TODAY.isoformat())), TODAY)


def test_config_bounds_match_the_records() -> None:
    from counter_app.settings import config

    assert config.ALL_COUNTERS == ALL_COUNTERS
    with pytest.raises(ConfigError):
        load_settings(
            environ={"MADOGUCHI_COUNTER_NAME": ALL_COUNTERS, "MADOGUCHI_CONFIG": "/nonexistent.toml"}
        )
    assert load_settings(
        environ={"MADOGUCHI_DATABASE_DRAFT_PURGE_TIME": "23:59", "MADOGUCHI_CONFIG": "/nonexistent.toml"}
    ).purge_time == dt.time(23, 59)


def test_an_existing_file_as_output_folder_gets_its_own_message(tmp_path: Path, env: dict[str, str]) -> None:
    """`--out` naming an existing file used to end with 「予期しないエラー(FileExistsError)」."""
    import errno

    from counter_app.presenters.messages import clerk_message

    visit = tmp_path / "visit.json"
    visit.write_text(visit_json(event_date=TODAY.isoformat()), encoding="utf-8")
    existing = tmp_path / "already-here"
    existing.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(cli, ["qr", "encode", "--visit", str(visit), "--out", str(existing)], env=env)
    assert result.exit_code != 0
    [line] = result.stderr.splitlines()
    assert "予期しないエラー" not in line and "すでにあります" in line
    for error in (
        FileExistsError(errno.EEXIST, "File exists", "/x"),
        IsADirectoryError(errno.EISDIR, "Is a directory", "/x"),
        NotADirectoryError(errno.ENOTDIR, "Not a directory", "/x"),
        PermissionError(errno.EACCES, "Permission denied", "/x"),
        OSError(errno.ENOSPC, "No space left on device"),
        OSError(errno.EROFS, "Read-only file system", "/x"),
        OSError(errno.EIO, "Input/output error", "/x"),
    ):
        message = clerk_message(error).text
        assert JAPANESE.search(message) and "予期しない" not in message, message
        assert not re.search(r"[A-Za-z]{4,}", message.replace("/x", "")), message  # no English from the OS
