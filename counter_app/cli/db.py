"""``madoguchi db …``: migrate, show the state, send the outbox, purge drafts, rebuild statistics."""

from __future__ import annotations

import datetime as dt
import re

import click

from counter_app.cli.common import echo_json, parse_date, with_clerk_errors
from counter_app.settings.config import Settings, load_settings


def _settings(url: str | None) -> Settings:
    settings = load_settings()
    return settings.replace(database_url=url) if url else settings


@click.group()
def db() -> None:
    """記録用データベース(SQLite または共有の PostgreSQL)の管理"""


@db.command()
@click.option("--url", metavar="URL", help="設定の database.url の代わりに使うデータベース")
@click.option("--sql", "as_sql", is_flag=True, help="実行せず、適用するSQLを表示する(DBA向け)")
@with_clerk_errors
def upgrade(url: str | None, as_sql: bool) -> None:
    """データベースを最新の構造に更新する(何度実行しても安全)"""
    from counter_app.adapters.store.engine import make_engine, redact_url
    from counter_app.adapters.store.local import LocalStore
    from counter_app.adapters.store.migrate import upgrade as run_upgrade
    from counter_app.adapters.store.migrate import upgrade_sql

    settings = _settings(url)
    target = settings.effective_database_url
    if as_sql:
        click.echo(upgrade_sql(target))
        return
    engine = make_engine(target)
    try:
        revision = run_upgrade(engine, "main")
    except Exception as exc:
        from counter_app.adapters.store.engine import is_unavailable, unavailable

        if is_unavailable(exc):
            raise unavailable(target, exc) from exc
        raise
    finally:
        engine.dispose()
    LocalStore(settings.local_store_path).close()  # migrates the counter's own store too
    click.echo(f"データベース {redact_url(target)} は最新です(リビジョン {revision})。")


@db.command()
@click.option("--json", "as_json", is_flag=True, help="JSONで出力する")
@with_clerk_errors
def status(as_json: bool) -> None:
    """接続先、構造のリビジョン、送信待ちの記録、一時保存の件数を表示する"""
    from counter_app.adapters.storage import CounterStorage
    from counter_app.adapters.store.engine import is_unavailable
    from counter_app.adapters.store.migrate import current_revision, head_revision

    storage = CounterStorage(load_settings(), background=False)
    try:
        revision: str | None = None
        reachable = True
        error = ""
        try:
            with storage.database.engine.connect() as connection:
                revision = current_revision(connection)
        except Exception as exc:
            if not is_unavailable(exc):
                raise
            reachable, error = False, str(getattr(exc, "orig", exc)).splitlines()[0]
        state = storage.status()
        outbox = storage.local.counts()
        result = {
            "database": state.database_url,
            "reachable": reachable,
            "error": error or None,
            "revision": revision,
            "head": head_revision("main"),
            "pending": state.pending,
            "oldest_pending": outbox.oldest_pending.isoformat() if outbox.oldest_pending else None,
            "dead": state.dead,
            "drafts": state.drafts,
            "counter": storage.settings.counter_name,
        }
    finally:
        storage.close(flush=False)
    if as_json:
        echo_json(result)
        return
    click.echo(f"窓口: {result['counter']}")
    click.echo(f"データベース: {result['database']}")
    if reachable:
        up_to_date = "最新" if revision == result["head"] else f"更新が必要(最新は {result['head']})"
        click.echo(f"接続: できます / リビジョン: {revision or 'なし'}({up_to_date})")
    else:
        click.echo(f"接続: できません({error})")
    click.echo(f"送信待ちの記録: {result['pending']}件")
    if result["dead"]:
        click.echo(
            f"データベースが受け付けなかった記録: {result['dead']}件(`madoguchi db sync --retry-dead` で再送)"
        )
    click.echo(f"一時保存中の受付: {result['drafts']}件")


@db.command()
@click.option("--retry-dead", is_flag=True, help="受け付けられなかった記録も再送する")
@with_clerk_errors
def sync(retry_dead: bool) -> None:
    """送信待ちの記録を今すぐデータベースへ送る"""
    from counter_app.adapters.storage import CounterStorage

    storage = CounterStorage(load_settings(), background=False)
    try:
        if retry_dead:
            storage.local.requeue_dead()
        result = storage.sync.flush()
    finally:
        storage.close(flush=False)
    click.echo(f"送信: {result.sent}件 / 送信待ち: {result.remaining}件 / 受付不可: {result.dead}件")
    if result.error is not None:
        raise result.error


def _parse_instant(value: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        day = value.strip()[:10]
        if re.match(r"^\d{4}-\d{2}-\d{2}$", day):
            try:
                parse_date(day)
            except click.BadParameter as exc:  # a day that does not exist (2026-02-30)
                exc.param_hint = "--before"
                raise
        raise click.BadParameter(
            "日時は 2026-04-01T18:00 の形で指定してください", param_hint="--before"
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=load_settings().zone)


@db.command()
@click.option(
    "--before", metavar="DATETIME", help="この日時より前に保存した一時保存を消去する(省略時は日次の規則)"
)
@with_clerk_errors
def purge(before: str | None) -> None:
    """一時保存した受付とPDF保存の印刷物(個人情報を含む)を消去する。省略時は前日以前と、消去時刻を過ぎた当日分"""
    import datetime as dt

    from counter_app.adapters.purge import purge_printed, purge_spool_folder, spool_cutoff
    from counter_app.adapters.storage import CounterStorage

    settings = load_settings()
    storage = CounterStorage(settings, background=False)
    now = dt.datetime.now(dt.UTC)
    try:
        if before:
            instant = _parse_instant(before)
            ids = storage.drafts.purge(before=instant)
            files = purge_printed(settings.printed_folder, instant)
            jobs = purge_spool_folder(settings.data_dir / "spool", instant, now)
        else:
            result = storage.purge_drafts()
            ids, files = list(result.purged), result.files
            cutoff = spool_cutoff(now, settings.zone, settings.purge_time)
            jobs = purge_spool_folder(settings.data_dir / "spool", cutoff, now)
    finally:
        storage.close()
    click.echo(
        f"一時保存を{len(ids)}件、印刷待ちの書類を{jobs}件、PDFとして保存した印刷物を{files}件消去しました。"
    )


@db.command("rebuild-stats")
@with_clerk_errors
def rebuild_stats() -> None:
    """統計の集計表を記録から作り直す(データの移行や復旧の後に)"""
    from counter_app.adapters.recording import MainDatabase
    from counter_app.adapters.store.rollups import rebuild

    database = MainDatabase(load_settings().effective_database_url)
    try:
        database.ensure_ready()
        with database.engine.begin() as connection:
            rows = rebuild(connection)
    finally:
        database.dispose()
    click.echo(f"統計の集計表を作り直しました({rows}行)。")
