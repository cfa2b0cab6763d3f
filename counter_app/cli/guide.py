"""``madoguchi guide``: the next questions and the procedures for a visit (JSON, docs/visit-format.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import click

from counter_app.cli.catalog import catalog_spec
from counter_app.cli.common import echo_json, parse_date, read_limited, with_clerk_errors

MAX_VISIT_BYTES = 1024 * 1024  # a visit of 30 members with every answer is a few kB


def _read_visit(path: str) -> bytes:
    return read_limited(path, MAX_VISIT_BYTES, "受付のJSON")


def _parse_date(value: str, today: dt.date) -> dt.date:
    from procedures.visit import event_date_range

    earliest, latest = event_date_range(today)
    try:
        return parse_date(value, earliest=earliest, latest=latest)
    except click.BadParameter as exc:
        exc.param_hint = "--date"
        raise


@click.command()
@click.option("--event", "event_id", metavar="EVENT", help="届出の種類の id(visit の event より優先)")
@click.option(
    "--visit",
    "visit_file",
    required=True,
    metavar="FILE",
    help="受付の JSON(docs/visit-format.md)。- で標準入力",
)
@click.option(
    "--catalog",
    "catalog_dir",
    metavar="DIR",
    help="手続カタログのフォルダーか同梱の名前(既定: 設定または同梱)",
)
@click.option(
    "--date",
    "date_text",
    metavar="YYYY-MM-DD",
    help="届出の日付(転入した日など)。visit に event_date がなければ必要(省くと今日)",
)
@click.option("--lang", type=click.Choice(["ja", "en"]), default="ja", show_default=True, help="表示する言語")
@click.option("--json", "as_json", is_flag=True, help="JSONで出力する")
@with_clerk_errors
def guide(
    event_id: str | None,
    visit_file: str,
    catalog_dir: str | None,
    date_text: str | None,
    lang: Literal["ja", "en"],
    as_json: bool,
) -> None:
    """受付の内容から、次に尋ねる質問と、必要な手続(理由・窓口・期限・持ち物・様式)を表示する"""
    from procedures.catalog import load_catalog
    from procedures.engine import guide as run_guide
    from procedures.visit import check_dates, parse_visit

    today = dt.date.today()
    event_date = _parse_date(date_text, today) if date_text is not None else None
    loaded = load_catalog(catalog_spec(catalog_dir))
    visit = parse_visit(_read_visit(visit_file))
    update: dict[str, Any] = {}
    if event_id is not None:
        update["event"] = event_id
    if event_date is not None:
        update["event_date"] = event_date
    elif visit.event_date is None:
        update["event_date"] = today
    if update:
        visit = visit.model_copy(update=update)
    check_dates(visit, today)
    guidance = run_guide(loaded, visit)
    if as_json:
        echo_json(guidance.to_json())
        return
    _print(guidance, visit, lang)


def _member_label(visit: Any, index: int, on: dt.date, lang: str) -> str:
    from procedures.builtin_facts import age_on

    member = visit.members[index]
    age = age_on(member.birth_date, on)
    if lang == "en":
        return f"[{index}] {member.relationship.label_en}, {age}"
    return f"[{index}] {member.relationship.label_ja} {age}歳"


def _print(guidance: Any, visit: Any, lang: str) -> None:
    en = lang == "en"
    event = guidance.event
    date = guidance.event_date
    click.echo(
        f"{event.name_en if en else event.name}: {event.date_label_en if en else event.date_label} "
        f"{date.isoformat()} / {len(visit.members)}" + (" member(s)" if en else "人")
    )
    click.echo("")
    if guidance.questions:
        click.echo(f"{'Next questions' if en else '次の質問'} ({len(guidance.questions)})")
        for number, pending in enumerate(guidance.questions, start=1):
            q = pending.question
            who = (
                ("household" if en else "世帯")
                if pending.member is None
                else _member_label(visit, pending.member, date, lang)
            )
            if q.type == "choice":
                options = " / ".join(f"{c.value}={c.label_en if en else c.label}" for c in q.choices)
            else:
                options = {
                    "yes_no": "true / false",
                    "number": "number" if en else "数",
                    "date": "YYYY-MM-DD",
                    "text": "text" if en else "文字",
                }[q.type]
            click.echo(f"  {number}. [{who}] {q.text_en if en else q.text} ({options})  id={q.id}")
    else:
        click.echo("All questions answered." if en else "質問はすべて済みました。")
    click.echo("")
    click.echo(f"{'Procedures' if en else '手続'} ({len(guidance.procedures)})")
    sep = ", " if en else "、"
    for needed in guidance.procedures:
        p = needed.procedure
        click.echo(f"■ {p.name_en if en else p.name}  [{p.id}]")
        counter = needed.counter
        department = needed.department
        click.echo(
            f"    {'where' if en else '窓口'}: {department.name_en if en else department.name} / "
            f"{counter.name_en if en else counter.name} {counter.place_en if en else counter.place}"
        )
        if needed.members:
            names = " ".join(_member_label(visit, m, date, lang) for m in needed.members)
            click.echo(f"    {'for' if en else '対象'}: {names}")
        click.echo(f"    {'why' if en else '理由'}: {needed.reason_en if en else needed.reason}")
        if needed.deadline is not None:
            text = needed.deadline.text_en if en else needed.deadline.text
            when = needed.deadline.date.isoformat() if needed.deadline.date else ""
            by = (f"by {when} " if en else f"{when}まで ") if when else ""
            click.echo(f"    {'deadline' if en else '期限'}: {by}({text})")
            note = needed.deadline.note_en if en else needed.deadline.note
            if note:
                click.echo(f"      ※ {note}")
        if needed.items:
            names = sep.join(i.name_en if en else i.name for i in needed.items)
            click.echo(f"    {'bring' if en else '持ち物'}: {names}")
        if needed.forms:
            click.echo(f"    {'forms' if en else '様式'}: {sep.join(needed.forms)}")
        note = p.note_en if en else p.note
        if note:
            click.echo(f"    {'note' if en else '注意'}: {note}")
