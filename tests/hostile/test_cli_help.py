"""Every ``--help`` page of ``madoguchi`` without click's English (issue 16, item 10): the help option's
own line, the usage prefix, the headings, [default]/[required]."""

from __future__ import annotations

from collections.abc import Iterator

import click
import pytest
from click.testing import CliRunner

from counter_app.cli import cli

ENGLISH = (
    "Show this message",
    "Show the version",
    "Usage:",
    "Options:",
    "Commands:",
    "[default",
    "[required",
)


def command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield prefix
    context = click.Context(group)
    for name in group.list_commands(context):  # the top-level group imports its commands lazily
        command = group.get_command(context, name)
        assert command is not None, name
        if isinstance(command, click.Group):
            yield from command_paths(command, (*prefix, name))
        else:
            yield (*prefix, name)


PATHS = sorted(command_paths(cli))


def test_every_command_is_reached() -> None:
    assert len(PATHS) > 30 and ("qr", "decode") in PATHS and () in PATHS


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "madoguchi")
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_pages_are_japanese(path: tuple[str, ...], flag: str) -> None:
    result = CliRunner().invoke(cli, [*path, flag], prog_name="madoguchi")
    assert result.exit_code == 0, result.output
    assert "使い方: madoguchi" in result.output
    assert "この説明を表示して終了します。" in result.output
    for english in ENGLISH:
        assert english not in result.output, f"{english!r} in the help of {' '.join(path)}"
