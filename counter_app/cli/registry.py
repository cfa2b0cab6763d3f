"""``madoguchi registry …``: the nightly extract of the resident registry; lookups per clerk and day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from counter_app.cli.common import echo_json, parse_date, with_clerk_errors
from counter_app.cli.supervisor import SecretReader, by_option, require_session, stdin_option
from counter_app.settings.config import load_settings


@click.group()
def registry() -> None:
    """住民記録(住民基本台帳)の照会: 夜間の抽出ファイルの取込と照会件数(docs/registry.md)"""


def _catalog_dir(catalog_dir: str | None) -> Path:
    from procedures.catalog import load_catalog

    settings = load_settings()
    return Path(load_catalog(catalog_dir or settings.catalog_folder or None).directory)


@registry.command()
@click.argument("extract", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--catalog", "catalog_dir", metavar="DIR", help="registry.yaml のあるカタログ(省略時は設定のもの)"
)
@click.option("--remove", is_flag=True, help="取り込んだら抽出ファイルを消す")
@with_clerk_errors
def load(extract: Path, catalog_dir: str | None, remove: bool) -> None:
    """夜間の抽出ファイル(CSV)を検査し、この窓口の暗号化した索引に置き換える(1行でも誤りがあれば取り込まない)"""
    from counter_app.adapters.registry.config import FILE_NAME, load_registry_config, registry_file
    from counter_app.adapters.registry.extract import INDEX_FILE_NAME, KEY_PURPOSE, load_extract
    from counter_app.adapters.storage import CounterStorage

    settings = load_settings()
    folder = _catalog_dir(catalog_dir)
    path = registry_file(folder)
    if path is None:
        raise click.UsageError(f"{folder} に {FILE_NAME} がありません(docs/registry.md)。")
    config = load_registry_config(path)
    with CounterStorage(settings, background=False) as storage:
        key = storage.drafts.keys.subkey(KEY_PURPOSE)
        result = load_extract(extract, config, settings.data_dir / INDEX_FILE_NAME, key, remove_source=remove)
    click.echo(f"取り込みました: 住民 {result.residents:,} 人、世帯 {result.households:,}(暗号化した索引)")


@registry.command()
@with_clerk_errors
def purge() -> None:
    """この窓口の住民記録の索引を消す"""
    from counter_app.adapters.registry.extract import INDEX_FILE_NAME, purge_index

    settings = load_settings()
    removed = purge_index(settings.data_dir / INDEX_FILE_NAME)
    click.echo("消去しました。" if removed else "索引はありません。")


def _date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    return parse_date(value, earliest=dt.date(2000, 1, 1), latest=dt.date.today() + dt.timedelta(days=366))


@registry.command()
@click.option("--from", "start", metavar="DATE", callback=_date, help="最初の日 YYYY-MM-DD(省略時は今日)")
@click.option("--to", "end", metavar="DATE", callback=_date, help="最後の日 YYYY-MM-DD(省略時は --from の日)")
@click.option("--counter", metavar="NAME", help="この窓口だけ")
@by_option
@stdin_option
@click.option("--json", "as_json", is_flag=True, help="JSONで出力する")
@with_clerk_errors
def stats(
    start: dt.date | None, end: dt.date | None, counter: str | None, by: str | None, password_stdin: bool,
    as_json: bool,
) -> None:  # fmt: skip
    """職員ごと・日ごとの住民記録の照会件数(監査ログから)。監督者のサインインが必要"""
    from counter_app.adapters.registry.audit_stats import lookups_per_clerk
    from counter_app.adapters.storage import CounterStorage
    from counter_app.adapters.store.records import AuditKind

    settings = load_settings()
    first = start or dt.datetime.now(settings.zone).date()
    last = end or first
    if last < first:
        raise click.BadParameter("--to は --from 以降の日付にしてください", param_hint="--to")
    with CounterStorage(settings, background=False) as storage:
        storage.database.migrate = False
        session = require_session(storage.supervisors, by, SecretReader(password_stdin))
        storage.database.ensure_ready()
        figures = lookups_per_clerk(storage.database.engine, first, last, settings.zone, counter)
        storage.recorder.audit(
            AuditKind.STATS_EXPORT,
            clerk_id=session.login,
            detail={"start": first.isoformat(), "end": last.isoformat(), "counter": counter or "*",
                    "format": "json" if as_json else "text", "via": "cli", "figures": "registry"},
        )  # fmt: skip
    if as_json:
        echo_json([
            {"day": f.day.isoformat(), "clerk": f.clerk_id, "counter": f.counter, "lookups": f.lookups,
             "searches": f.searches, "refused": f.refused}
            for f in figures
        ])  # fmt: skip
        return
    click.echo("日付\t職員\t窓口\t世帯取得\t検索\t拒否")
    for f in figures:
        click.echo(
            f"{f.day.isoformat()}\t{f.clerk_id or '-'}\t{f.counter}\t{f.lookups}\t{f.searches}\t{f.refused}"
        )
