"""``madoguchi stats``: the supervisor statistics for a date range, as text, JSON or Excel-ready CSV."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from counter_app.cli.common import echo_json, parse_date, with_clerk_errors
from counter_app.cli.supervisor import SecretReader, by_option, require_session, stdin_option
from counter_app.settings.config import load_settings

STATS_EARLIEST = dt.date(2000, 1, 1)  # before any counter could have recorded a visit


def _date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    latest = dt.date.today() + dt.timedelta(days=366)
    return parse_date(value, earliest=STATS_EARLIEST, latest=latest)


@click.command()
@click.option("--from", "start", metavar="DATE", callback=_date, help="最初の日 YYYY-MM-DD(省略時は今日)")
@click.option(
    "--to",
    "end",
    metavar="DATE",
    callback=_date,
    help="最後の日 YYYY-MM-DD(この日を含む。省略時は --from の日)",
)
@click.option("--counter", metavar="NAME", help="この窓口だけを集計する")
@by_option
@stdin_option
@click.option("--json", "as_json", is_flag=True, help="JSONで出力する")
@click.option("--csv", "as_csv", is_flag=True, help="CSV(Excel用: UTF-8 BOM付き、CRLF)で出力する")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="標準出力の代わりにこのファイルへ書く",
)
@with_clerk_errors
def stats(
    start: dt.date | None,
    end: dt.date | None,
    counter: str | None,
    as_json: bool,
    as_csv: bool,
    output: Path | None,
    by: str | None,
    password_stdin: bool,
) -> None:
    """来庁者数・手続・印刷・処理時間の統計(日・週・月など任意の期間、窓口別)。監督者のサインインが必要"""
    import json

    from counter_app.adapters.stats import StatsQuery, render_text
    from counter_app.adapters.storage import CounterStorage
    from counter_app.adapters.store.records import AuditKind

    if as_json and as_csv:
        raise click.UsageError("--json と --csv はどちらか一方を指定してください。")
    settings = load_settings()
    first = start or dt.datetime.now(settings.zone).date()
    last = end or first
    if last < first:
        raise click.BadParameter("--to は --from 以降の日付にしてください", param_hint="--to")
    secrets = SecretReader(password_stdin)
    with CounterStorage(settings, background=False) as storage:
        storage.database.migrate = False  # a read: an old schema is reported, not upgraded
        session = require_session(storage.supervisors, by, secrets)
        report = storage.stats(StatsQuery(first, last, counter))
        storage.recorder.audit(
            AuditKind.STATS_EXPORT,
            clerk_id=session.login,
            detail={
                "start": first.isoformat(),
                "end": last.isoformat(),
                "counter": counter or "*",
                "format": "csv" if as_csv else "json" if as_json else "text",
                "via": "cli",
            },
        )
    if as_csv:
        data = report.to_csv()
    elif as_json:
        data = (json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    else:
        data = render_text(report).encode("utf-8")
    if output is not None:
        output.write_bytes(data)
        click.echo(f"{output} に書き出しました。", err=True)
    elif as_csv:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    elif as_json:
        echo_json(report.to_json())
    else:
        click.echo(data.decode("utf-8"), nl=False)
