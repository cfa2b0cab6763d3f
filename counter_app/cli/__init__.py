"""The ``madoguchi`` command line: thin wrappers over the libraries, one module per command group."""

from __future__ import annotations

import click

from counter_app.cli.audit import audit
from counter_app.cli.card import card
from counter_app.cli.catalog import catalog
from counter_app.cli.common import MadoguchiGroup, use_japanese_help
from counter_app.cli.config import config
from counter_app.cli.db import db
from counter_app.cli.forms import forms
from counter_app.cli.guide import guide
from counter_app.cli.handoff import handoff
from counter_app.cli.kiosk import kiosk
from counter_app.cli.logging_setup import configure_logging
from counter_app.cli.prefill import prefill
from counter_app.cli.qr import qr
from counter_app.cli.registry import registry
from counter_app.cli.stats import stats
from counter_app.cli.supervisor import supervisor


@click.group(cls=MadoguchiGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="ログを詳しく出力する (-v, -vv)")
@click.version_option(package_name="madoguchi", message="%(prog)s %(version)s")
def cli(verbose: int) -> None:
    """Madoguchi — 書かないワンストップ窓口"""
    configure_logging(verbose)


cli.add_command(audit)
cli.add_command(card)
cli.add_command(catalog)
cli.add_command(config)
cli.add_command(db)
cli.add_command(forms)
cli.add_command(guide)
cli.add_command(handoff)
cli.add_command(kiosk)
cli.add_command(prefill)
cli.add_command(qr)
cli.add_command(registry)
cli.add_command(stats)
cli.add_command(supervisor)
use_japanese_help(cli)


def main() -> None:
    cli(prog_name="madoguchi")
