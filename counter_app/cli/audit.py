"""``madoguchi audit``: seal the audit log day by day and check that no sealed day was changed."""

from __future__ import annotations

import datetime as dt
import re
import sys

import click

from counter_app.cli.common import echo_json, parse_date, with_clerk_errors
from counter_app.presenters.messages import EXIT_TAMPERED
from counter_app.settings.config import load_settings

_ANCHOR = re.compile(r"^(\d{4}-\d{2}-\d{2})=([0-9a-fA-F]{64})$")


def _anchors(_ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]) -> dict[dt.date, str]:
    anchors: dict[dt.date, str] = {}
    for value in values:
        match = _ANCHOR.match(value.strip())
        if match is None:
            raise click.BadParameter(
                "日付=ダイジェスト(例: 2026-04-01=3f5a…、64桁の16進数)の形で指定してください"
            )
        anchors[parse_date(match[1])] = match[2].lower()
    return anchors


@click.group()
def audit() -> None:
    """監査ログの封印(日ごとのダイジェストの連鎖)と改ざんの確認"""


@audit.command()
@with_clerk_errors
def seal() -> None:
    """終わった日の監査ログを封印する(窓口アプリも自動で行う)"""
    from counter_app.adapters.recording import MainDatabase
    from counter_app.adapters.store.audit_chain import seal as seal_days

    settings = load_settings()
    database = MainDatabase(settings.effective_database_url)
    try:
        database.ensure_ready()
        sealed = seal_days(database.engine, settings.zone)
    finally:
        database.dispose()
    for day in sealed:
        click.echo(f"{day.day.isoformat()}  {day.row_count}件  {day.digest}")
    click.echo(f"{len(sealed)}日分を封印しました。", err=True)


@audit.command()
@click.option(
    "--anchor",
    "anchors",
    multiple=True,
    metavar="DATE=DIGEST",
    callback=_anchors,
    help="データベースの外に控えておいたダイジェスト(何度でも指定可)。連鎖がこの値に至るか確かめる",
)
@click.option("--json", "as_json", is_flag=True, help="JSONで出力する")
@with_clerk_errors
def verify(anchors: dict[dt.date, str], as_json: bool) -> None:
    """封印した日の監査ログが変わっていないか確かめ、最初に壊れている日を示す"""
    from counter_app.adapters.recording import MainDatabase
    from counter_app.adapters.store.audit_chain import verify as verify_chain

    settings = load_settings()
    database = MainDatabase(settings.effective_database_url, migrate=False)
    try:
        database.ensure_ready()
        result = verify_chain(database.engine, settings.zone, anchors)
    finally:
        database.dispose()
    if as_json:
        echo_json(
            {
                "ok": result.ok,
                "days_checked": result.days_checked,
                "first_broken": result.first_broken.isoformat() if result.first_broken else None,
                "reason": result.reason or None,
                "last_sealed": result.last_sealed.isoformat() if result.last_sealed else None,
                "last_digest": result.last_digest or None,
            }
        )
    if result.ok:
        if not as_json:
            if result.last_sealed is None:
                click.echo("封印された日はまだありません(日が終わると封印されます)。")
            else:
                click.echo(
                    f"改ざんは見つかりませんでした: 封印済み {result.days_checked} 日"
                    f"(最終 {result.last_sealed.isoformat()}、ダイジェスト {result.last_digest})。"
                )
        return
    assert result.first_broken is not None
    day = result.first_broken.isoformat()
    if result.reason == "entries":
        message = (
            f"監査ログの {day} の記録が封印後に変更されています(封印時 {result.expected_count} 件、"
            f"現在 {result.found_count} 件)。データベースの管理者とシステム担当に連絡してください。"
        )
    elif result.reason == "chain":
        message = (
            f"監査ログの日次ダイジェストが {day} で途切れているか書き換えられています。"
            "データベースの管理者とシステム担当に連絡してください。"
        )
    else:
        message = (
            f"{day} のダイジェストが、控えておいた値と一致しません(連鎖全体が作り直された可能性があります)。"
            "データベースの管理者とシステム担当に連絡してください。"
        )
    click.echo(message, err=True)
    sys.exit(EXIT_TAMPERED)


@audit.command()
@click.option("--days", type=click.IntRange(1, 3660), default=31, show_default=True, help="表示する日数")
@with_clerk_errors
def digests(days: int) -> None:
    """最近の日次ダイジェストを表示する(データベースの外に控えるため)"""
    from counter_app.adapters.recording import MainDatabase
    from counter_app.adapters.store.audit_chain import digests as list_digests

    settings = load_settings()
    database = MainDatabase(settings.effective_database_url, migrate=False)
    try:
        database.ensure_ready()
        rows = list_digests(database.engine, days)
    finally:
        database.dispose()
    if not rows:
        click.echo("封印された日はまだありません。")
    for row in rows:
        click.echo(f"{row.day.isoformat()}={row.digest}  {row.row_count}件")
