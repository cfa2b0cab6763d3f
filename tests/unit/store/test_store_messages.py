"""Every storage and settings error has its own clear Japanese line for the clerk."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from counter_app.adapters.store import errors
from counter_app.presenters.messages import EXIT_AUTH, EXIT_DATABASE, clerk_message
from counter_app.settings.config import ConfigError

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")

CASES: list[BaseException] = [
    errors.DatabaseUnavailableError("postgresql://db/madoguchi", "connection refused"),
    errors.DatabaseTlsError("postgresql://db/madoguchi", "certificate verify failed"),
    errors.SchemaTooNewError("0009", "0001"),
    errors.SchemaNotReadyError(None, "0001"),
    errors.SignInRefusedError("x"),
    errors.SupervisorLockedError(dt.datetime(2026, 4, 1, 9, 15, tzinfo=dt.UTC)),
    errors.SupervisorExistsError("sato"),
    errors.UnknownSupervisorError("sato"),
    errors.SupervisorRequiredError(),
    errors.SelfUnlockError("sato"),
    errors.WeakPasswordError(8),
    errors.DraftKeyUnavailableError("locked"),
    errors.DraftError("x"),
    errors.RecordError("x"),
    errors.StoreError("x"),
    ConfigError("/etc/madoguchi.toml", "database.url", "形式が正しくありません"),
    ConfigError("/etc/madoguchi.toml", None, "TOMLとして読めません"),
]


@pytest.mark.parametrize("error", CASES, ids=lambda e: type(e).__name__)
def test_each_error_has_a_japanese_line(error: BaseException) -> None:
    message = clerk_message(error)
    assert JAPANESE.search(message.text)
    assert "\n" not in message.text and message.exit_code != 0
    assert "予期しないエラー" not in message.text


def test_messages_are_specific() -> None:
    assert len({clerk_message(e).text for e in CASES}) == len(CASES)


def test_database_down_tells_the_clerk_to_carry_on() -> None:
    message = clerk_message(CASES[0])
    assert message.exit_code == EXIT_DATABASE
    assert "続けられます" in message.text and "自動で送ります" in message.text


def test_lockout_names_the_time_and_no_password_leaks() -> None:
    [locked] = [case for case in CASES if isinstance(case, errors.SupervisorLockedError)]
    message = clerk_message(locked)
    assert message.exit_code == EXIT_AUTH and "ロック" in message.text and "分まで" in message.text
