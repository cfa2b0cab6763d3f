"""``madoguchi forms …``: list, check, preview and render the pre-filled forms; decode their QR codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import click

from counter_app.cli.common import echo_json, with_clerk_errors
from counter_app.presenters.messages import EXIT_FORMS

if TYPE_CHECKING:
    from counter_app.workflow.visit_fields import FormJob
    from forms import FormRenderer, TextDoesNotFitError


def _layout_dirs(layouts: tuple[Path, ...]) -> list[Path]:
    """The folders given on the command line, else the municipality's folder from the settings."""
    if layouts:
        return list(layouts)
    from counter_app.settings.config import load_settings

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
    from counter_app.cli.common import read_limited
    from procedures import bounded_json

    try:
        data = bounded_json.loads(read_limited(str(path), 1024 * 1024, "値のファイル"))
    except (ValueError, UnicodeDecodeError):  # JSONDecodeError, JsonLimitError: no value in the message
        raise click.BadParameter(
            "値のファイルを JSON として読めません(UTF-8、入れ子32段まで)", param_hint="--values"
        ) from None
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


def _held_entry(
    title: str, form_id: str, member: int | None, problems: tuple[TextDoesNotFitError, ...]
) -> dict[str, Any]:
    """The manifest entry of a form held back: its fields that do not fit and the clerk's lines."""
    from counter_app.workflow.documents import overflow_message

    return {
        "form": form_id,
        "title": title,
        "member": member,
        "fields": [{"field": p.field, "label": p.label, "smaller_font": p.fits_at} for p in problems],
        "messages": [overflow_message(title, p) for p in problems],
    }


def _report_held(held: list[dict[str, Any]], smaller_font: bool) -> None:
    for entry in held:
        for line in entry["messages"]:
            click.echo(line, err=True)
    if not smaller_font and any(f["smaller_font"] for e in held for f in e["fields"]):
        click.echo("小さい文字で収まる項目は --smaller-font を付けると印字します。", err=True)
    click.echo(f"様式 {len(held)} 件を書き出していません(ほかの書類はすべて書き出しました)。", err=True)
    raise SystemExit(EXIT_FORMS)


def _render_forms(
    renderer: FormRenderer, jobs: list[FormJob], out_dir: Path, smaller_font: bool
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Write each form's PDF; a form with a value that does not fit is held back, the others written."""
    from forms import TextDoesNotFitError

    documents: list[dict[str, Any]] = []
    held: list[dict[str, Any]] = []
    for job in jobs:
        try:
            form = renderer.render(job.form_id, job.values)
        except TextDoesNotFitError:
            problems = renderer.overflows(job.form_id, job.values)
            accepted = {p.field for p in problems if p.fits_at is not None} if smaller_font else set()
            problems = tuple(p for p in problems if p.field not in accepted)
            if problems:
                title = renderer.library.get(job.form_id).title
                held.append(_held_entry(title, job.form_id, job.member, problems))
                continue
            form = renderer.render(job.form_id, job.values, smaller_font=accepted)
        path = out_dir / f"{job.file_stem}.pdf"
        path.write_bytes(form.pdf)
        documents.append(
            {
                "kind": "form",
                "form": job.form_id,
                "title": form.title,
                "member": job.member,
                "procedures": list(job.procedures),
                "path": str(path),
                "pages": form.page_count,
            }
        )
    return documents, held


def _bilingual_sheet(
    visit: Any,
    guidance: Any,
    catalog: Any,
    language: str,
    fonts: Any,
    out_dir: Path,
    sheet_args: dict[str, Any],
) -> dict[str, Any]:
    """The guide sheet in the resident's language beside the Japanese, written as guide_sheet_<lang>.pdf."""
    from counter_app.workflow.resident_guide import bilingual_guide
    from forms import render_bilingual_guide

    japanese, resident = bilingual_guide(visit, guidance, catalog, language, **sheet_args)
    rendered = render_bilingual_guide(japanese, resident, fonts)
    path = out_dir / f"guide_sheet_{language}.pdf"
    path.write_bytes(rendered.pdf)
    return {"kind": "guide_sheet", "language": language, "path": str(path), "pages": rendered.page_count}


@forms.command("render")
@click.option(
    "--visit",
    "visit_file",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="受付の JSON(docs/visit-format.md)",
)
@click.option("--catalog", "catalog_dir", default=None, help="手続カタログのフォルダー(既定: 設定または同梱)")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="出力先フォルダー",
)
@click.option(
    "--language",
    type=click.Choice(["ja", "en", "both", "ja-easy", "zh-Hans", "ko", "vi", "pt-BR", "ne", "fil", "id"]),
    default="ja",
    show_default=True,
    help="案内シートの言語(様式は日本語)。ja・en・both 以外は、その言語と日本語を並べた案内シート",
)
@click.option(
    "--counter", "here", default=None, help="この窓口の id: ここで受け付ける手続を「本日済み」にする"
)
@click.option("--done", multiple=True, help="本日済みにする手続の id(繰り返し可)")
@click.option("--date", "today_text", default=None, help="届出日 YYYY-MM-DD(既定: 今日)")
@click.option("--allow-incomplete", is_flag=True, help="未回答の質問があっても印刷する")
@click.option(
    "--smaller-font",
    is_flag=True,
    help="枠に収まらない値を、読める最小の大きさ(5ポイント)までの小さい文字で印字する",
)
@_LAYOUTS_OPTION
@with_clerk_errors
def render(
    visit_file: Path,
    catalog_dir: str | None,
    out_dir: Path,
    language: str,
    here: str | None,
    done: tuple[str, ...],
    today_text: str | None,
    allow_incomplete: bool,
    smaller_font: bool,
    layouts: tuple[Path, ...],
) -> None:
    """受付の内容から、必要な様式を1つずつ PDF にし、窓口案内シートと manifest.json を書き出す

    枠に収まらない値のある様式だけは書き出さず(どの様式のどの項目かを表示し manifest の held に記録)、
    ほかの様式と案内シートはすべて書き出します。そのときの終了コードは 12 です。
    """
    import datetime as dt

    from counter_app.cli.guide import _parse_date, _read_visit
    from counter_app.workflow.visit_fields import form_jobs, guide_sheet, municipal_gaiji
    from forms import FormRenderer, load_fonts, load_library, render_guide_sheet
    from procedures.catalog import load_catalog
    from procedures.engine import guide
    from procedures.visit import check_dates, parse_visit

    today = _parse_date(today_text, dt.date.today()) if today_text else dt.date.today()
    if catalog_dir is None:
        from counter_app.settings.config import load_settings

        catalog_dir = load_settings().catalog_folder or None
    catalog = load_catalog(catalog_dir)
    visit = parse_visit(_read_visit(str(visit_file)))  # at most 1 MB, answers at most 1,000 characters
    check_dates(visit, dt.date.today())
    guidance = guide(catalog, visit)
    if not guidance.complete and not allow_incomplete:
        pending = "、".join(q.id for q in guidance.questions[:5])
        raise click.ClickException(
            f"未回答の質問が {len(guidance.questions)} 件あります({pending} …)。"
            "`madoguchi guide` で確認するか、--allow-incomplete を付けてください。"
        )
    dirs = _layout_dirs(layouts)
    municipal_forms = catalog.directory / "forms"
    if not layouts and municipal_forms.is_dir():
        dirs.append(municipal_forms)
    fonts = load_fonts(gaiji=municipal_gaiji(catalog.directory))
    library = load_library(dirs, fonts=fonts)
    renderer = FormRenderer(library, fonts)
    out_dir.mkdir(parents=True, exist_ok=True)
    documents, held = _render_forms(renderer, form_jobs(visit, guidance, today=today), out_dir, smaller_font)
    titles = {layout.id: layout.title for layout in library}
    languages: tuple[Literal["ja", "en"], ...] = ("ja",)
    if language == "both":
        languages = ("ja", "en")
    elif language == "en":
        languages = ("en",)
    elif language != "ja":  # the resident's language beside the Japanese
        languages = ()
        sheet_args = {"today": today, "here": here, "done": done, "form_titles": titles}
        documents.append(_bilingual_sheet(visit, guidance, catalog, language, fonts, out_dir, sheet_args))
    for lang in languages:
        sheet = guide_sheet(
            visit,
            guidance,
            catalog,
            today=today,
            language=lang,
            here=here,
            done=done,
            form_titles=titles,
        )
        guide_pdf = render_guide_sheet(sheet, fonts)
        path = out_dir / f"guide_sheet_{lang}.pdf"
        path.write_bytes(guide_pdf.pdf)
        documents.append(
            {"kind": "guide_sheet", "language": lang, "path": str(path), "pages": guide_pdf.page_count}
        )
    manifest = {
        "format": "madoguchi-forms-manifest/1",
        "catalog": catalog.meta.id,
        "event": guidance.event.id,
        "date": today.isoformat(),
        "complete": guidance.complete,
        "procedures": [p.key for p in guidance.procedures],
        "documents": documents,
        "held": held,
        "pages": sum(d["pages"] for d in documents),
    }
    (out_dir / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    echo_json(manifest)
    if held:
        _report_held(held, smaller_font)
