"""``madoguchi handoff …``: the day's hand-off files for the back office (docs/handoff.md).

``export`` writes, for every layout of the catalog (or the one named), one CSV per kind and the list of
rows that were stopped, into a folder. The visits are signed visits as JSON (docs/visit-format.md),
given with ``--visit``; each gets the id ``V<date>-<n>`` in the order given, which the batch and row
ids start with. Files hold personal data: they are written owner-only (0600), atomically, and never
over an existing file.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import click

from counter_app.cli.catalog import catalog_spec
from counter_app.cli.common import parse_date, read_limited, with_clerk_errors

MAX_VISIT_BYTES = 1024 * 1024
KINDS = ("idou", "tenshutsu_shoumei", "shoumei", "card", "application")


@click.group()
def handoff() -> None:
    """基幹システムへの引き渡しデータ(住民記録システム標準仕様書 10.8 の CSV など)"""


def _write_new(path: Path, data: bytes) -> None:
    """Write ``data`` to a new file ``path`` (owner-only), through a temporary file in the same folder."""
    temporary = path.with_name(f".{path.name}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.link(temporary, path)  # fails when the file exists: never overwrite a day's file
    finally:
        temporary.unlink(missing_ok=True)


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
    for target, data in planned.items():
        _write_new(target, data)
        click.echo(f"書き出しました: {target}")
    if stopped:
        click.echo(
            f"止めた行が {stopped} 行あります。理由は「…_保留.csv」を見て、紙の届書から入力してください。",
            err=True,
        )
