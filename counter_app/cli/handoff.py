"""``madoguchi handoff …``: the day's hand-off files for the back office (docs/handoff.md).

``status``, ``deliver`` and ``redeliver`` show and drive this counter's hand-off outbox (the kiosk
delivers on its own). ``export`` writes, for every layout of the catalog (or the one named), one CSV
per kind and the list of rows that were stopped, into a folder. The visits are signed visits as JSON
(docs/visit-format.md), given with ``--visit``; each gets the id ``V<date>-<n>`` in the order given,
which the batch and row ids start with. Files hold personal data: they are written owner-only (0600),
atomically, and never over an existing file.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from counter_app.cli.catalog import catalog_spec
from counter_app.cli.common import echo_json, parse_date, read_limited, with_clerk_errors
from counter_app.presenters.messages import EXIT_DATABASE

if TYPE_CHECKING:
    from counter_app.adapters.handoff_outbox import HandoffOutbox
    from counter_app.adapters.storage import CounterStorage

MAX_VISIT_BYTES = 1024 * 1024
KINDS = ("idou", "tenshutsu_shoumei", "shoumei", "card", "application")


@click.group()
def handoff() -> None:
    """基幹システムへの引き渡しデータ(住民記録システム標準仕様書 10.8 の CSV など)"""


@handoff.command()
@click.option("--date", "date_text", required=True, metavar="YYYY-MM-DD", help="届出日(この日の分を書き出す)")
@click.option("--kind", type=click.Choice(KINDS), help="この種類だけを書き出す(省くとすべて)")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="書き出すフォルダー",
)
@click.option(
    "--visit", "visit_files", multiple=True, metavar="FILE", help="署名済みの受付の JSON(何度でも指定できる)"
)
@click.option(
    "--layout", "layout_id", metavar="ID", help="このレイアウトだけ(省くとカタログのすべてのレイアウト)"
)
@click.option("--catalog", "catalog_dir", metavar="DIR", help="手続カタログのフォルダーか同梱の名前")
@with_clerk_errors
def export(
    date_text: str,
    kind: str | None,
    out_dir: Path,
    visit_files: tuple[str, ...],
    layout_id: str | None,
    catalog_dir: str | None,
) -> None:
    """その日の引き渡しファイル(種類ごとの CSV と、止めた行の保留一覧)をフォルダーに書き出す"""
    from procedures.catalog import load_catalog
    from procedures.engine import guide
    from procedures.handoff import build_rows, day_files, load_layouts
    from procedures.visit import check_dates, parse_visit

    today = dt.date.today()
    try:
        day = parse_date(date_text, latest=today)
    except click.BadParameter as exc:
        exc.param_hint = "--date"
        raise
    catalog = load_catalog(catalog_spec(catalog_dir))
    layouts = load_layouts(catalog)
    if layout_id is not None:
        if layout_id not in layouts:
            known = "、".join(layouts) or "なし"
            raise click.BadParameter(
                f"レイアウト「{layout_id}」はカタログにありません(あるもの: {known})", param_hint="--layout"
            )
        layouts = {layout_id: layouts[layout_id]}
    if not layouts:
        raise click.UsageError(
            f"カタログ {catalog.directory} に引き渡しのレイアウト(handoff/*.yaml)がありません"
        )
    visits = []
    for number, visit_file in enumerate(visit_files, start=1):
        visit = parse_visit(read_limited(visit_file, MAX_VISIT_BYTES, "受付のJSON"))
        check_dates(visit, today)
        visits.append((f"V{day.strftime('%Y%m%d')}-{number:03d}", visit, guide(catalog, visit)))
    out_dir.mkdir(parents=True, exist_ok=True)
    kinds = None if kind is None else (kind,)
    planned: dict[Path, bytes] = {}
    stopped = 0
    for layout in layouts.values():
        row_sets = [
            build_rows(layout, visit, guidance, visit_id, today, notification_date=day, kinds=kinds)
            for visit_id, visit, guidance in visits
        ]
        stopped += sum(len(r.problems) for r in row_sets)
        for name, data in day_files(layout, row_sets, day, kinds).items():
            planned[out_dir / name] = data
    existing = [p.name for p in planned if p.exists()]
    if existing:
        raise click.UsageError(f"すでにファイルがあります(上書きしません): {'、'.join(existing)}")
    from counter_app.adapters.handoff_outbox import write_new_file

    for target, data in planned.items():
        write_new_file(target, data)
        click.echo(f"書き出しました: {target}")
    if stopped:
        click.echo(
            f"止めた行が {stopped} 行あります。理由は「…_保留.csv」を見て、紙の届書から入力してください。",
            err=True,
        )


def _outbox_storage() -> tuple[CounterStorage, HandoffOutbox]:
    from counter_app.adapters.storage import CounterStorage
    from counter_app.settings.config import load_settings

    storage = CounterStorage(load_settings(), background=False)
    if storage.handoff is None:
        storage.close(flush=False)
        from counter_app.presenters.handoff_list import NOT_CONFIGURED

        raise click.UsageError(NOT_CONFIGURED)
    return storage, storage.handoff


@handoff.command()
@click.option("--date", "date_text", metavar="YYYY-MM-DD", help="この日の引き渡し(省くと今日)")
@click.option("--json", "as_json", is_flag=True, help="JSONで出力する")
@with_clerk_errors
def status(date_text: str | None, as_json: bool) -> None:
    """この窓口の引き渡し(送信待ち・送信済み・取込済み)を一覧にする。氏名などは表示しない"""
    from counter_app.presenters.handoff_list import HEADERS, HandoffListPresenter

    storage, outbox = _outbox_storage()
    try:
        zone = storage.settings.zone
        day = parse_date(date_text) if date_text else dt.datetime.now(zone).date()
        lines = HandoffListPresenter(outbox, zone, today=lambda: day).lines()
    finally:
        storage.close(flush=False)
    if as_json:
        echo_json([dict(zip(HEADERS, line.cells, strict=True)) for line in lines])
        return
    if not lines:
        click.echo(f"{day.isoformat()} の引き渡しはありません")
        return
    click.echo("\t".join(HEADERS))
    for line in lines:
        click.echo("\t".join(line.cells))


@handoff.command()
@with_clerk_errors
def deliver() -> None:
    """送信待ちの引き渡しを今すぐ送る(キオスクは自動で送ります)"""
    storage, outbox = _outbox_storage()
    try:
        result = outbox.deliver()
    finally:
        storage.close(flush=False)
    click.echo(f"送りました: {result.delivered} 件、送信待ち: {result.waiting} 件")
    if result.error is not None:
        click.echo(f"送り先に届けられませんでした({result.error})。あとでもう一度送ります", err=True)
        sys.exit(EXIT_DATABASE)


@handoff.command()
@click.argument("batch_id", metavar="BATCH")
@with_clerk_errors
def redeliver(batch_id: str) -> None:
    """一括番号 BATCH の引き渡しをもう一度送る

    送信待ちなら今すぐ送り、共有データベースに送り済みなら基幹システムがもう一度取り込めるようにする。
    """
    storage, outbox = _outbox_storage()
    try:
        click.echo(outbox.redeliver(batch_id))
    finally:
        storage.close(flush=False)
