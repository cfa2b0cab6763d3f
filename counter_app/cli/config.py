"""``madoguchi config …``: where the settings file is, what is in effect, a documented file to start from."""

from __future__ import annotations

import click

from counter_app.cli.common import echo_json, with_clerk_errors
from counter_app.settings.config import KEYS, Settings, load_settings, render_settings, save_settings


def _shown(settings: Settings, attr: str) -> object:
    value = getattr(settings, attr)
    if attr in ("database_url", "registry_url") and value:
        from counter_app.adapters.store.engine import redact_url

        return redact_url(str(value))
    return value


@click.group()
def config() -> None:
    """窓口の設定ファイル"""


@config.command()
@click.option("--json", "as_json", is_flag=True, help="JSONで出力する")
@with_clerk_errors
def show(as_json: bool) -> None:
    """有効な設定(設定ファイルと環境変数を反映したもの)を表示する"""
    settings = load_settings()
    values = {key.dotted: _shown(settings, key.attr) for key in KEYS}
    paths = {
        "config_file": str(settings.config_path),
        "data_dir": str(settings.data_dir),
        "database": _shown(settings, "database_url") or settings.effective_database_url,
    }
    if as_json:
        echo_json({"settings": values, **paths})
        return
    click.echo(
        f"設定ファイル: {paths['config_file']}{'' if settings.config_path.exists() else '(なし: 既定値)'}"
    )
    click.echo(f"データフォルダー: {paths['data_dir']}")
    click.echo(f"データベース: {paths['database']}")
    for key in KEYS:
        click.echo(f"{key.dotted} = {values[key.dotted]!r}")


@config.command()
@click.option("--force", is_flag=True, help="既にある設定ファイルを上書きする")
@with_clerk_errors
def init(force: bool) -> None:
    """全項目と説明を書いた設定ファイルを作る(値は現在の設定)"""
    settings = load_settings()
    if settings.config_path.exists() and not force:
        raise click.UsageError(f"{settings.config_path} は既にあります(上書きは --force)。")
    path = save_settings(settings)
    click.echo(f"{path} を作成しました。")


@config.command()
def template() -> None:
    """既定値の設定ファイルを標準出力に書く"""
    click.echo(render_settings(Settings()), nl=False)
