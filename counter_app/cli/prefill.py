"""``madoguchi prefill …``: the resident's static pre-fill page (docs/qr-format.md)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import click

from counter_app.cli.catalog import catalog_spec
from counter_app.cli.common import with_clerk_errors


@click.group()
def prefill() -> None:
    """住民が自宅で使う事前入力ページ(QRコードを作成する静的なページ)"""


@prefill.command()
@click.option("--catalog", "catalog_dir", metavar="DIR", help="手続カタログのフォルダーか同梱の名前")
@click.option(
    "--out", "out_dir", required=True, metavar="DIR", help="ページを書き出すフォルダー(なければ作成)"
)
@with_clerk_errors
def build(catalog_dir: str | None, out_dir: str) -> None:
    """カタログから事前入力ページ(index.html、ライセンス、担当者向けの説明)を作る。

    ページはサーバーもネットワークも使いません。フォルダーをそのまま自治体のウェブサイトに置けます。
    """
    from procedures.catalog import load_catalog
    from procedures.prefill.page import build_page

    try:
        generator = version("madoguchi")
    except PackageNotFoundError:
        generator = ""
    loaded = load_catalog(catalog_spec(catalog_dir))
    built = build_page(loaded, Path(out_dir), generator)
    click.echo(f"{built.index}  ({built.size // 1024} KiB)")
    click.echo(f"{built.licenses}")
    click.echo(f"{built.readme}")
    click.echo(
        f"手続カタログ {loaded.id} 版 {loaded.meta.version}: 届出 {len(loaded.events)}種類、"
        f"質問 {len(loaded.questions)}件。外部への通信はありません。"
    )
