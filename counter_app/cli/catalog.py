"""``madoguchi catalog …``: check a municipality's procedure catalog, list it for staff."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Literal

import click

from counter_app.cli.common import echo_json, with_clerk_errors
from counter_app.presenters.messages import EXIT_DATA


def catalog_spec(catalog_dir: str | None) -> str | None:
    """The catalog to use: the option, else the configured folder, else ``None`` (the shipped default)."""
    if catalog_dir:
        return catalog_dir
    from counter_app.settings.config import load_settings

    return load_settings().catalog_folder or None


@click.group()
def catalog() -> None:
    """手続カタログ(自治体ごとの手続・質問のデータ)の検査と一覧"""


@catalog.command()
@click.argument("directory", required=False, metavar="[DIR]")
@click.option("--json", "as_json", is_flag=True, help="JSONで出力する")
@with_clerk_errors
def check(directory: str | None, as_json: bool) -> None:
    """カタログを検査する(書き方・id の参照・尋ねられない質問・対象にならない手続・循環)。

    DIR はカタログのフォルダーか同梱カタログの名前(default, sazanami)。省くと同梱の既定カタログ。
    誤りは「ファイル:行: 内容」で1行ずつ表示し、終了コード 6 で終わります。
    """
    from procedures.catalog import check_catalog

    report = check_catalog(directory)
    summary = _summary(report.catalog) if report.catalog is not None else {}
    gaiji_errors, gaiji = _gaiji(Path(report.directory))
    registry_issues, registry_line = _check_registry(report)
    ok = report.ok and not gaiji_errors and not registry_issues
    if as_json:
        echo_json(
            {
                "directory": str(report.directory),
                "ok": ok,
                "summary": summary,
                "issues": [
                    {"file": i.file, "line": i.line, "severity": i.severity.value, "message": i.message}
                    for i in report.issues
                ]
                + [
                    {"file": f, "line": line, "severity": "error", "message": message}
                    for f, line, message in gaiji_errors
                ]
                + [
                    {"file": i.file, "line": i.line, "severity": "error", "message": i.message}
                    for i in registry_issues
                ],
                "gaiji": [{"code": f"U+{c:04X}", "name": n} for c, n in gaiji],
            }
        )
        if not ok:
            sys.exit(EXIT_DATA)
        return
    for issue in report.issues:
        click.echo(str(issue))
    for file, line, message in gaiji_errors:
        click.echo(f"{file}:{line}: {message}" if line else f"{file}: {message}")
    for registry_issue in registry_issues:
        click.echo(str(registry_issue))
    if not ok:
        errors = len(report.errors) + len(gaiji_errors) + len(registry_issues)
        click.echo(f"誤り {errors} 件、警告 {len(report.warnings)} 件: {report.directory}", err=True)
        sys.exit(EXIT_DATA)
    for code, name in gaiji:
        click.echo(f"外字: U+{code:04X} {chr(code)} {name}")
    assert report.catalog is not None
    meta = report.catalog.meta
    warnings = f"、警告 {len(report.warnings)} 件" if report.warnings else ""
    notes = f"、注記 {len(report.notes)} 件" if report.notes else ""
    national = sum(report.catalog.is_national("procedure", p) for p in report.catalog.procedures)
    base = f"(うち国の共通ルール {national})" if report.catalog.base_directory is not None else ""
    click.echo(
        f"OK: {meta.municipality} 手続カタログ {meta.version}({meta.effective_from.isoformat()} から)"
        f" — 届出の種類 {summary['events']}、質問 {summary['questions']}、事実 {summary['facts']}、"
        f"手続 {summary['procedures']}{base}、様式 {summary['forms']}、窓口 {summary['counters']}、"
        f"出典 {summary['sources']}、引き渡しレイアウト {summary['handoff_layouts']}{warnings}{notes}"
    )
    if registry_line:
        click.echo(registry_line)


def _check_registry(report: Any) -> tuple[list[Any], str]:
    """``registry.yaml`` beside the catalog (the resident registry's column names and limits): its
    problems at file:line, and the line printed after OK."""
    from pathlib import Path

    from counter_app.adapters.registry.config import FILE_NAME, check_registry_file

    path = Path(report.directory) / FILE_NAME
    if not path.is_file():
        return [], ""
    config, issues = check_registry_file(path)
    if config is None:
        return issues, ""
    from counter_app.adapters.registry.config import ConfigIssue
    from procedures.positions import load_yaml_file

    if report.catalog is not None:
        document = load_yaml_file(path, str(path))
        for question in config.answers:
            if question not in report.catalog.questions:
                issues.append(
                    ConfigIssue(
                        str(path),
                        document.line_of(("answers", question)),
                        f"質問「{question}」はこのカタログにありません(answers には質問の id を書きます)",
                    )
                )
    renamed = sum(item != column for item, column in config.columns.items())
    where = f"ビュー {config.view}" if config.source == "sql" else "夜間の抽出ファイル(CSV)"
    line = (
        f"住民記録: {FILE_NAME} OK — {where}、区の列名 {renamed} 件、"
        f"照会の上限 {config.lookups_per_window} 件/{config.window_minutes} 分、"
        f"質問への回答 {len(config.answers)}"
    )
    return issues, line if not issues else ""


def _gaiji(folder: Path) -> tuple[list[tuple[str, int, str]], list[tuple[int, str]]]:
    """The municipality's 外字 (``gaiji/`` in the catalog folder): its problems as (file, line,
    message), else the registered characters (code point, name) to list."""
    from forms.gaiji import GAIJI_DIR, GAIJI_MAP, GaijiError, load_gaiji

    where = folder / GAIJI_DIR
    if not where.is_dir():
        return [], []
    try:
        registered = load_gaiji(where)
    except GaijiError as error:
        file = f"{GAIJI_DIR}/{GAIJI_MAP}"
        return [(file, line, problem) for problem, line in zip(error.problems, error.lines, strict=True)], []
    return [], sorted(registered.names.items())


def _summary(catalog: Any) -> dict[str, int]:
    from procedures.handoff import read_handoff

    return {
        "handoff_layouts": len(read_handoff(catalog)[0]),
        "events": len(catalog.events),
        "questions": len(catalog.questions),
        "facts": len(catalog.facts),
        "procedures": len(catalog.procedures),
        "forms": len(catalog.forms),
        "counters": len(catalog.counters),
        "departments": len(catalog.departments),
        "items": len(catalog.items),
        "sources": len(catalog.sources),
    }


@catalog.command(name="list")
@with_clerk_errors
def list_catalogs() -> None:
    """同梱のカタログの一覧"""
    from procedures.catalog import load_catalog, shipped_catalogs

    for name, path in shipped_catalogs().items():
        loaded = load_catalog(path)
        base = f"\t{loaded.meta.extends} を基に" if loaded.meta.extends else ""
        click.echo(f"{name}\t{loaded.meta.municipality}\t{loaded.meta.version}\t{path}{base}")


@catalog.command()
@click.option(
    "--catalog", "catalog_dir", metavar="DIR", help="カタログのフォルダーか同梱の名前(既定: 設定または同梱)"
)
@click.option("--event", "event_id", metavar="EVENT", help="この届出の種類に関係する質問と手続だけを表示する")
@click.option("--lang", type=click.Choice(["ja", "en"]), default="ja", show_default=True, help="表示する言語")
@click.option("--json", "as_json", is_flag=True, help="JSONで出力する")
@with_clerk_errors
def show(catalog_dir: str | None, event_id: str | None, lang: Literal["ja", "en"], as_json: bool) -> None:
    """職員向けに、届出の種類ごとの質問と手続(条件・窓口・期限・持ち物・様式・出典)を一覧にする"""
    from procedures.catalog import load_catalog
    from procedures.errors import UnknownEventError

    loaded = load_catalog(catalog_spec(catalog_dir), allow_base=True)
    if event_id is not None and event_id not in loaded.events:
        raise UnknownEventError(event_id, tuple(loaded.events))
    listing = _listing(loaded, event_id, lang)
    if as_json:
        echo_json(listing)
        return
    _print_listing(listing, lang)


def _listing(loaded: Any, event_id: str | None, lang: Literal["ja", "en"]) -> dict[str, Any]:
    from procedures.conditions import AllOf, AnyMember, EventIs
    from procedures.deadlines import describe_calendar
    from procedures.describe import describe
    from procedures.satisfiability import Solver

    en = lang == "en"
    solver = Solver(loaded)
    meta = loaded.meta
    events = []
    for event in loaded.events.values():
        if event_id is not None and event.id != event_id:
            continue
        only = EventIs((event.id,))
        questions = []
        for q in loaded.questions.values():
            if not solver.satisfiable(AllOf((only, q.ask_when)), q.scope == "member"):
                continue
            questions.append(
                {
                    "id": q.id,
                    "text": q.text_en if en else q.text,
                    "type": q.type,
                    "scope": q.scope,
                    "choices": [c.label_en if en else c.label for c in q.choices],
                    "ask_when": describe(q.ask_when, loaded, lang),
                    "derived_when": [describe(d.when, loaded, lang) for d in q.derive],
                }
            )
        procedures = []
        for p in loaded.procedures.values():
            condition = AllOf((only, p.when))
            if p.members is not None:
                condition = AllOf((only, p.when, AnyMember(p.members)))
            if not solver.satisfiable(condition, p.scope == "member"):
                continue
            department = loaded.departments[p.department]
            counter = loaded.counters[p.counter]
            override = next((o for o in loaded.overrides if (o.kind, o.ident) == ("procedure", p.id)), None)
            procedures.append(
                {
                    "id": p.id,
                    "name": p.name_en if en else p.name,
                    "scope": p.scope,
                    "department": department.name_en if en else department.name,
                    "counter": counter.name_en if en else counter.name,
                    "place": counter.place_en if en else counter.place,
                    "when": describe(p.when, loaded, lang),
                    "members": describe(p.members, loaded, lang) if p.members is not None else None,
                    "reason": p.reason_en if en else p.reason,
                    "deadline": (p.deadline.text_en if en else p.deadline.text) if p.deadline else None,
                    "deadline_basis": p.deadline.basis if p.deadline else None,
                    "national": loaded.is_national("procedure", p.id),
                    "legal_basis": [
                        f"{b.law} {b.article}" + (f"({b.note})" if b.note else "") for b in p.legal_basis
                    ],
                    "changed_by_municipality": (
                        {"keys": list(override.keys), "reason": override.reason} if override else None
                    ),
                    "bring": [loaded.items[i].name_en if en else loaded.items[i].name for i in p.bring],
                    "forms": list(p.forms),
                    "sources": [loaded.sources[s].url for s in p.sources],
                }
            )
        events.append(
            {
                "id": event.id,
                "name": event.name_en if en else event.name,
                "date_label": event.date_label_en if en else event.date_label,
                "questions": questions,
                "procedures": procedures,
            }
        )
    return {
        "catalog": meta.id,
        "municipality": meta.municipality_en if en else meta.municipality,
        "version": meta.version,
        "effective_from": meta.effective_from.isoformat(),
        "office_calendar": describe_calendar(meta.office_calendar, en),
        "forms": list(loaded.form_ids),
        "sources": [
            {"id": s.id, "title": s.title, "publisher": s.publisher, "url": s.url} for s in meta.sources
        ],
        "events": events,
    }


def _print_listing(listing: dict[str, Any], lang: Literal["ja", "en"]) -> None:
    en = lang == "en"
    labels = {
        "scope": {
            "household": "per household" if en else "世帯",
            "member": "per member" if en else "世帯員ごと",
        },
        "questions": "Questions" if en else "質問",
        "procedures": "Procedures" if en else "手続",
        "asked": "asked when" if en else "尋ねる条件",
        "derived": "known without asking when" if en else "尋ねずに分かる条件",
        "when": "when" if en else "条件",
        "members": "for members" if en else "対象の方",
        "reason": "reason" if en else "理由",
        "deadline": "deadline" if en else "期限",
        "deadline_basis": "deadline rule" if en else "期限の根拠",
        "legal_basis": "legal basis" if en else "根拠法令",
        "national": "national rule" if en else "国の共通ルール",
        "changed": "changed by the municipality" if en else "自治体での変更",
        "bring": "bring" if en else "持ち物",
        "forms": "forms" if en else "様式",
        "sources": "sources" if en else "出典",
    }
    sep = ", " if en else "、"
    click.echo(f"{listing['municipality']}  {listing['version']}({listing['effective_from']})")
    click.echo(listing["office_calendar"])
    for event in listing["events"]:
        click.echo("")
        click.echo(f"■ {event['name']} [{event['id']}] — {event['date_label']}")
        click.echo(f"  {labels['questions']} ({len(event['questions'])})")
        for q in event["questions"]:
            choices = f" [{' / '.join(q['choices'])}]" if q["choices"] else ""
            click.echo(f"    {q['id']}: {q['text']}{choices} ({labels['scope'][q['scope']]})")
            click.echo(f"      {labels['asked']}: {q['ask_when']}")
            for derived in q["derived_when"]:
                click.echo(f"      {labels['derived']}: {derived}")
        click.echo(f"  {labels['procedures']} ({len(event['procedures'])})")
        for p in event["procedures"]:
            national = f" — {labels['national']}" if p["national"] else ""
            click.echo(f"    {p['name']} [{p['id']}] ({labels['scope'][p['scope']]}){national}")
            click.echo(f"      {p['department']} / {p['counter']} {p['place']}")
            click.echo(f"      {labels['when']}: {p['when']}")
            if p["members"]:
                click.echo(f"      {labels['members']}: {p['members']}")
            click.echo(f"      {labels['reason']}: {p['reason']}")
            if p["legal_basis"]:
                click.echo(f"      {labels['legal_basis']}: {sep.join(p['legal_basis'])}")
            if p["deadline"]:
                click.echo(f"      {labels['deadline']}: {p['deadline']}")
            if p["deadline_basis"]:
                click.echo(f"      {labels['deadline_basis']}: {p['deadline_basis']}")
            if p["changed_by_municipality"]:
                changed = p["changed_by_municipality"]
                click.echo(f"      {labels['changed']}: {', '.join(changed['keys'])} — {changed['reason']}")
            if p["bring"]:
                click.echo(f"      {labels['bring']}: {sep.join(p['bring'])}")
            if p["forms"]:
                click.echo(f"      {labels['forms']}: {sep.join(p['forms'])}")
            click.echo(f"      {labels['sources']}: {' '.join(p['sources'])}")
