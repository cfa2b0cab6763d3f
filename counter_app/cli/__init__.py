"""The ``madoguchi`` command line: thin wrappers over the libraries, one module per command group.

Each command's module is imported when that command runs (or its help is shown), not before: the
kiosk's cold start does not pay for the statistics, the registry or the form tools.
"""

from __future__ import annotations

from counter_app.settings.startup import mark

mark("python")  # the interpreter is up and runs the app's first line

import importlib  # noqa: E402 (after the first stage mark, on purpose)

import click  # noqa: E402

from counter_app.cli.common import MadoguchiGroup, use_japanese_help  # noqa: E402
from counter_app.cli.logging_setup import configure_logging  # noqa: E402

# command name -> the module that defines it (as a function of the same name)
COMMANDS = {
    name: f"counter_app.cli.{name}"
    for name in (
        "audit",
        "card",
        "catalog",
        "config",
        "db",
        "forms",
        "guide",
        "handoff",
        "kiosk",
        "prefill",
        "qr",
        "registry",
        "stats",
        "supervisor",
    )
}


class LazyGroup(MadoguchiGroup):
    """The top-level group, importing a command's module only when the command is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            command = getattr(importlib.import_module(COMMANDS[cmd_name]), cmd_name)
            assert isinstance(command, click.Command)
            use_japanese_help(command)
            self.add_command(command)
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="ログを詳しく出力する (-v, -vv)")
@click.version_option(package_name="madoguchi", message="%(prog)s %(version)s")
def cli(verbose: int) -> None:
    """Madoguchi — 書かないワンストップ窓口"""
    configure_logging(verbose)


use_japanese_help(cli)


def main() -> None:
    cli(prog_name="madoguchi")
