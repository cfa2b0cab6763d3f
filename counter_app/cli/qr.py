"""``madoguchi qr …``: pre-fill QR codes (docs/qr-format.md) to and from images.

``encode`` writes the PNG parts for a visit (as the resident's page would show them); ``decode`` reads
images — and, with ``--typed``, lines typed by a keyboard-wedge scanner — back into the visit JSON
that ``madoguchi guide --visit`` reads.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from counter_app.cli.catalog import catalog_spec
from counter_app.cli.common import echo_json, printable, with_clerk_errors
from counter_app.presenters.messages import EXIT_DATA

MAX_TYPED_CHARS = 8_000
"""One scanned code per line (no QR code holds more characters)."""
MAX_TYPED_LINES = 1_000
PNG_SCALE = 10
"""Pixels per module of the PNG parts: still readable when a photo shrinks them to 40 %."""


@click.group()
def qr() -> None:
    """事前入力のQRコード(住民が事前入力ページで作成するもの)の作成と読み取り"""


@qr.command()
@click.option(
    "--visit",
    "visit_file",
    required=True,
    metavar="FILE",
    help="受付の JSON(docs/visit-format.md)。- で標準入力",
)
@click.option("--out", "out_dir", required=True, metavar="DIR", help="PNG を書き出すフォルダー(なければ作成)")
@click.option("--catalog", "catalog_dir", metavar="DIR", help="手続カタログ(QRコードに id と版を記録します)")
@click.option(
    "--scale", default=PNG_SCALE, show_default=True, type=click.IntRange(2, 40), help="1モジュールの画素数"
)
@with_clerk_errors
def encode(visit_file: str, out_dir: str, catalog_dir: str | None, scale: int) -> None:
    """受付の JSON から事前入力のQRコード(PNG、必要なら複数)を作る"""
    import segno

    from counter_app.cli.guide import _read_visit
    from procedures.catalog import load_catalog
    from procedures.prefill import decode_scans, encode_visit
    from procedures.visit import check_dates, parse_visit

    visit = parse_visit(_read_visit(visit_file))  # at most 1 MB
    check_dates(visit, dt.date.today())
    loaded = load_catalog(catalog_spec(catalog_dir))
    texts = encode_visit(visit, loaded.id, loaded.meta.version, dt.date.today())
    for note in decode_scans(texts, loaded).notes:  # what the counter will not be able to use
        click.echo(f"注意: {printable(note.message)}", err=True)
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    for index, text in enumerate(texts, start=1):
        path = folder / f"madoguchi-qr-{index}-of-{len(texts)}.png"
        symbol = segno.make_qr(text, error="m", mode="alphanumeric", boost_error=False)
        symbol.save(str(path), kind="png", scale=scale, border=4)
        click.echo(f"{path}  (QRコード {index}/{len(texts)}、{symbol.designator}、{len(text)}文字)")


@qr.command()
@click.argument("images", nargs=-1, type=click.Path(dir_okay=False), metavar="IMAGE...")
@click.option(
    "--typed", is_flag=True, help="キーボード入力型スキャナーの読み取り結果も標準入力から1行ずつ読む"
)
@click.option("--catalog", "catalog_dir", metavar="DIR", help="手続カタログのフォルダーか同梱の名前")
@click.option(
    "--json", "as_json", is_flag=True, help="受付の JSON だけを出力する(madoguchi guide --visit - に渡せます)"
)
@with_clerk_errors
def decode(images: tuple[str, ...], typed: bool, catalog_dir: str | None, as_json: bool) -> None:
    """画像(と --typed の入力)から事前入力のQRコードを読み取り、受付の JSON を出力する。

    QRコードが複数に分かれているときは、すべての画像を順不同で指定します。使えなかった内容
    (カタログにない質問への答えなど)は標準エラーに「注意:」として表示します。
    """
    from card_reader.qr import decode_file
    from procedures.catalog import load_catalog
    from procedures.prefill import PartCollector, read_collected

    if not images and not typed:
        raise click.UsageError("画像ファイルを指定するか、--typed を付けてください")
    loaded = load_catalog(catalog_spec(catalog_dir))
    collector = PartCollector()
    for image in images:
        payloads = decode_file(image)
        if not payloads:
            click.echo(f"QRコードが見つかりません: {image}", err=True)
            sys.exit(EXIT_DATA)
        for payload in payloads:
            collector.add(payload)
    if typed:
        for _ in range(MAX_TYPED_LINES):
            line = sys.stdin.readline(MAX_TYPED_CHARS + 2)
            text = line.rstrip("\r\n")
            if not text:
                break
            if len(text) > MAX_TYPED_CHARS:
                raise click.UsageError(
                    f"1行が長すぎます({MAX_TYPED_CHARS}文字まで)。QRコード1つの読み取り結果を1行ずつ入力してください"
                )
            collector.add(text)
        else:
            raise click.UsageError(f"読み取り結果は{MAX_TYPED_LINES}行までにしてください")
    prefill = read_collected(collector, loaded)
    for note in prefill.notes:
        click.echo(f"注意: {printable(note.message)}", err=True)
    if as_json:
        echo_json(prefill.visit.to_json())
        return
    visit = prefill.visit
    answers = len(visit.answers) + sum(len(m.answers) for m in visit.members)
    chosen = loaded.events.get(visit.event) if visit.event is not None else None
    event = chosen.name if chosen is not None else "(未選択)"
    click.echo(f"QRコード {prefill.parts}個を読み取りました。")
    click.echo(
        f"手続カタログ {prefill.catalog_id} 版 {prefill.catalog_version}(作成日 {prefill.created or '不明'})"
    )
    click.echo(f"届出 {event} {visit.event_date.isoformat() if visit.event_date else ''}")
    click.echo(f"世帯 {len(visit.members)}人 / 答え {answers}件 / 注意 {len(prefill.notes)}件")
    echo_json(visit.to_json())
