"""``madoguchi kiosk``: the counter app itself."""

from __future__ import annotations

import click

from counter_app.cli.common import with_clerk_errors


@click.command()
@click.option("--demo/--no-demo", default=None, help="デモ用カードを使う(既定: リーダーがなければデモ)")
@click.option("--fullscreen", is_flag=True, help="全画面で表示する")
@click.option("--quit-after", type=int, default=None, hidden=True, help="(試験用) ミリ秒後に終了する")
@with_clerk_errors
def kiosk(demo: bool | None, fullscreen: bool, quit_after: int | None) -> None:
    """窓口アプリを起動する"""
    from counter_app.settings.config import load_settings
    from counter_app.ui.app import run_kiosk

    raise SystemExit(run_kiosk(load_settings(), demo=demo, fullscreen=fullscreen, quit_after_ms=quit_after))
