"""``madoguchi forms …``: list, check, preview and render the pre-filled forms; decode their QR codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from counter_app.cli.common import echo_json, with_clerk_errors
from counter_app.messages import EXIT_FORMS


def _layout_dirs(layouts: tuple[Path, ...]) -> list[Path]:
    """The folders given on the command line, else the municipality's folder from the settings."""
    if layouts:
        return list(layouts)
    from counter_app.config import load_settings

    folder = load_settings().forms_folder
    return [Path(folder)] if folder else []


_LAYOUTS_OPTION = click.option(
    "--layouts",
    "layouts",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="自治体の様式フォルダー(同梱の様式を同じ id で置き換える。既定: 設定の catalog.forms_folder)",
)


@click.group()
def forms() -> None:
    """記入済みの申請書・届出書(様式)と窓口案内シート"""


@forms.command("list")
@_LAYOUTS_OPTION
@click.option("--json", "as_json", is_flag=True, help="JSONで出力する")
@with_clerk_errors
def list_forms(layouts: tuple[Path, ...], as_json: bool) -> None:
    """様式の一覧と、それぞれに印字される項目"""
    from forms import load_fonts, load_library

    fonts = load_fonts()
    library = load_library(_layout_dirs(layouts))
    result: list[dict[str, Any]] = []
    for layout in library:
        fields = library.fields(layout.id, fonts)
        result.append(
            {
                "id": layout.id,
                "title": layout.title,
                "department": layout.department,
                "size": layout.size.value,
                "file": str(library.files[layout.id]),
                "continuation": layout.continuation is not None,
                "fields": [{"name": s.name, "label": s.label, "kind": s.kind.value} for s in fields.scalars],
                "groups": {
                    group: [{"name": s.name, "label": s.label, "kind": s.kind.value} for s in specs]
                    for group, specs in fields.groups.items()
                },
            }
        )
    if as_json:
        echo_json(result)
        return
    for entry in result:
        click.echo(f"{entry['id']}  {entry['title']}  ({entry['department']}, {entry['size']})")
        click.echo("  項目: " + "、".join(f"{f['label']}[{f['name']}]" for f in entry["fields"]))
        for group, items in entry["groups"].items():
            click.echo(f"  {group}(1人1行): " + "、".join(f"{f['label']}[{f['name']}]" for f in items))


@forms.command("check")
@click.argument("dirs", nargs=-1, type=click.Path(exists=True, file_okay=False, path_type=Path))
@with_clerk_errors
def check_forms(dirs: tuple[Path, ...]) -> None:
    """様式の検査(未知の項目、枠の重なり、収まらない文字)。DIRS を省くと同梱と設定の様式"""
    from forms import LayoutError, load_fonts, load_library

    fonts = load_fonts()
    try:
        library = load_library(_layout_dirs(dirs))
    except LayoutError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        raise SystemExit(EXIT_FORMS) from None
    problems = library.check(fonts)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        click.echo(f"様式 {len(library)} 件のうち問題 {len(problems)} 件", err=True)
        raise SystemExit(EXIT_FORMS)
    click.echo(f"様式 {len(library)} 件: 問題はありません")


def _json_values(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise click.BadParameter("値のファイルは JSON のオブジェクトにしてください", param_hint="--values")
    return data


@forms.command("preview")
@click.argument("form_id")
@click.option(
    "--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="PDFの出力先"
)
@click.option(
    "--values",
    "values_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="印字する値の JSON(省略すると架空の世帯の見本)",
)
@_LAYOUTS_OPTION
@with_clerk_errors
def preview(form_id: str, out: Path, values_file: Path | None, layouts: tuple[Path, ...]) -> None:
    """様式を見本の値(または --values の値)で PDF にする(様式の作成・点検用)"""
    from forms import FormRenderer, load_fonts, load_library
    from forms.samples import sample_values

    fonts = load_fonts()
    library = load_library(_layout_dirs(layouts), fonts=fonts)
    values = _json_values(values_file) if values_file else sample_values(form_id)
    form = FormRenderer(library, fonts).render(form_id, values)
    out.write_bytes(form.pdf)
    click.echo(f"{form.title}: {form.page_count} 枚 → {out}")


@forms.command("decode")
@click.argument("image", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_clerk_errors
def decode(image: Path) -> None:
    """印刷した様式の処理用QRコードを画像(スキャン)から読み、様式 id と値を JSON で出力する"""
    from card_reader.qr import decode_file
    from forms import QrPayloadError, decode_payload

    records = []
    for payload in decode_file(image):
        try:
            record = decode_payload(payload)
        except QrPayloadError:
            continue  # another QR code on the same sheet
        records.append(
            {"form": record.form_id, "page": record.page, "pages": record.pages, "values": record.values}
        )
    if not records:
        raise click.ClickException(
            "処理用QRコードが見つかりません。画像の向きと解像度(200dpi以上)を確認してください。"
        )
    echo_json(records if len(records) > 1 else records[0])
