"""Shared helpers of the CLI: printing JSON, turning errors into one Japanese line and an exit code."""

from __future__ import annotations

import json
import logging
import sys
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from counter_app.messages import clerk_message

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
