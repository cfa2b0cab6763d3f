"""Shared helpers of the CLI: printing JSON, turning errors into one Japanese line and an exit code."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from counter_app.presenters.messages import EXIT_DATA, clerk_message

log = logging.getLogger("counter_app.cli")


def printable(text: str) -> str:
    """``text`` with control and bidirectional-override characters shown as ``\\u…``: text that came
    from a resident's QR code must not drive the clerk's terminal (escape sequences, reordering)."""
    return "".join(
        f"\\u{ord(c):04x}" if unicodedata.category(c) in ("Cc", "Cf") and c not in "\t" else c for c in text
    )


def echo_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


@contextmanager
def clerk_errors() -> Iterator[None]:
    """Turn any library error into one Japanese line on stderr and the matching exit code."""
    try:
        yield
    except click.exceptions.Exit:
        raise
    except click.ClickException:
        raise
    except (KeyboardInterrupt, click.Abort):
        click.echo("中止しました。", err=True)
        sys.exit(130)
    except Exception as exc:  # the CLI's one boundary: no traceback for the clerk
        message = clerk_message(exc)
        log.debug("command failed", exc_info=True)
        click.echo(message.text, err=True)
        sys.exit(message.exit_code)


def with_clerk_errors(func: Callable[..., None]) -> Callable[..., None]:
    import functools

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        with clerk_errors():
            func(*args, **kwargs)

    return wrapper


# --- click's own errors, in Japanese ---------------------------------------------------------------
_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
_NO_SUCH_COMMAND = re.compile(r"No such command '(.+)'")


def _hint(error: click.UsageError, param: click.Parameter | None) -> str:
    hint = getattr(error, "param_hint", None)
    if isinstance(hint, str) and hint:
        return hint.replace("'", "")
    if param is not None:
        if isinstance(param, click.Option) and param.opts:
            return " / ".join(param.opts)
        return (param.metavar or param.name or "").upper()
    return ""


def _bad_value(error: click.BadParameter) -> str:
    param = error.param
    hint = _hint(error, param)
    if _JAPANESE.search(error.message):
        return f"{hint}: {error.message}" if hint else error.message
    kind = getattr(param, "type", None)
    if isinstance(kind, click.Choice):
        return f"{hint} は次のどれかにしてください: {'、'.join(str(c) for c in kind.choices)}"
    if isinstance(kind, click.IntRange):
        low = "" if kind.min is None else str(kind.min)
        high = "" if kind.max is None else str(kind.max)
        return f"{hint} には {low}〜{high} の整数を指定してください"
    if isinstance(kind, click.types.IntParamType):
        return f"{hint} には整数を指定してください"
    if isinstance(kind, click.Path):
        if "does not exist" in error.message:
            return f"{hint}: ファイルが見つかりません"
        if "is a directory" in error.message:
            return f"{hint}: フォルダーではなくファイルを指定してください"
        if "is a file" in error.message:
            return f"{hint}: ファイルではなくフォルダーを指定してください"
        return f"{hint}: このファイルは使えません(読み書きの権限を確かめてください)"
    return f"{hint} の値が正しくありません"


def japanese_usage_error(error: click.UsageError) -> str:
    """One Japanese line for a click usage error (click's own messages are English)."""
    if isinstance(error, click.NoSuchOption):
        text = f"「{error.option_name}」というオプションはありません"
        if error.possibilities:
            text += f"({'、'.join(error.possibilities)} のことですか)"
    elif isinstance(error, click.MissingParameter):
        text = f"{_hint(error, error.param)} を指定してください"
    elif isinstance(error, click.BadParameter):
        text = _bad_value(error)
    elif isinstance(error, click.BadOptionUsage):
        if "requires an argument" in error.message or "requires" in error.message:
            text = f"{error.option_name} には値が必要です"
        elif "does not take a value" in error.message:
            text = f"{error.option_name} には値を付けません"
        else:
            text = f"{error.option_name} の使い方が正しくありません"
    elif isinstance(error, click.BadArgumentUsage):
        text = "余分な引数があるか、引数が足りません"
    elif (match := _NO_SUCH_COMMAND.search(error.message)) is not None:
        text = f"「{match[1]}」というコマンドはありません"
    elif _JAPANESE.search(error.message):
        text = error.message.rstrip("。")
    else:
        text = "コマンドの使い方が正しくありません"
    where = error.ctx.command_path if error.ctx is not None else "madoguchi"
    return f"{text}。`{where} --help` で使い方を確認できます。"


# --- click's own help text, in Japanese -------------------------------------------------------------
_HELP_WORDS = (
    ("Show this message and exit.", "この説明を表示して終了します。"),
    ("Show the version and exit.", "版を表示して終了します。"),
    ("[default: ", "[既定: "),
    ("[required]", "[必須]"),
    ("; required]", "; 必須]"),
    ("[OPTIONS]", "[オプション]"),
    ("COMMAND [ARGS]...", "コマンド [引数]..."),
)
_HEADINGS = {"Options": "オプション", "Commands": "コマンド", "Arguments": "引数"}


def _japanese(text: str) -> str:
    for english, japanese in _HELP_WORDS:
        text = text.replace(english, japanese)
    return text


class JapaneseHelpFormatter(click.HelpFormatter):
    """``--help`` pages without click's English: 使い方, オプション, [既定: …], the help option's line."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, _japanese(args), "使い方: " if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(_HEADINGS.get(heading, heading))

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        # The terms (option names, metavars such as FILE) stay: click aligns them by character count.
        super().write_dl([(term, _japanese(text)) for term, text in rows], col_max, col_spacing)


class JapaneseContext(click.Context):
    formatter_class = JapaneseHelpFormatter


def use_japanese_help(command: click.Command) -> None:
    """Give ``command`` and every command under it the Japanese help pages."""
    command.context_class = JapaneseContext
    if isinstance(command, click.Group):
        for child in command.commands.values():
            use_japanese_help(child)


class MadoguchiGroup(click.Group):
    """The top-level group: click's errors become one Japanese line (no English "Usage:"/"Error:")."""

    def main(
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as exc:
            log.debug("usage error: %s", exc.format_message())
            click.echo(japanese_usage_error(exc), err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            message = exc.format_message()
            click.echo(message if _JAPANESE.search(message) else "コマンドを実行できませんでした。", err=True)
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("中止しました。", err=True)
            sys.exit(130)
        sys.exit(result if isinstance(result, int) else 0)


# --- dates and input files -------------------------------------------------------------------------
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_date(value: str, *, earliest: dt.date | None = None, latest: dt.date | None = None) -> dt.date:
    """A YYYY-MM-DD date, with a specific Japanese reason when it is malformed, does not exist
    (2025-02-30) or lies outside ``earliest``..``latest``."""
    text = value.strip()
    match = _ISO_DATE.match(text)
    if match is None:
        raise click.BadParameter("日付は YYYY-MM-DD の形で指定してください(例: 2026-04-01)")
    try:
        day = dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise click.BadParameter(f"{text} という日付はありません(月と日を確かめてください)") from None
    if (earliest is not None and day < earliest) or (latest is not None and day > latest):
        low = earliest.isoformat() if earliest else ""
        high = latest.isoformat() if latest else ""
        raise click.BadParameter(f"{text} は指定できる範囲({low}〜{high})の外です")
    return day


class InputTooLargeError(click.ClickException):
    """An input file larger than the command accepts (read no further than the limit)."""

    exit_code = EXIT_DATA


def read_limited(path: str, limit: int, what: str) -> bytes:
    """At most ``limit`` bytes of ``path`` (``-``: standard input); a larger input is refused before
    more is read (``/dev/zero`` and huge files end at once)."""
    if path == "-":
        data = sys.stdin.buffer.read(limit + 1)
    else:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    if len(data) > limit:
        size = f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
        raise InputTooLargeError(f"{what}が大きすぎます({size} まで)。ファイルを確かめてください。")
    return data
