"""``madoguchi supervisor …``: supervisor accounts (add, sign-in check, list, password, disable)."""

from __future__ import annotations

import getpass
import sys

import click

from counter_app.cli.common import echo_json, with_clerk_errors
from counter_app.config import load_settings


def _password(from_stdin: bool, confirm: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise click.UsageError("パスワードは端末で入力するか --password-stdin で渡してください。")
    first = getpass.getpass("パスワード: ")
    if confirm and getpass.getpass("パスワード(確認): ") != first:
        raise click.UsageError("確認のパスワードが一致しません。")
    return first


@click.group()
def supervisor() -> None:
    """監督者アカウント(統計と設定の画面へのサインイン)"""


@supervisor.command()
@click.argument("login")
@click.option("--password-stdin", is_flag=True, help="パスワードを標準入力の1行目から読む")
@with_clerk_errors
def add(login: str, password_stdin: bool) -> None:
    """監督者を登録する"""
    from counter_app.services.storage import CounterStorage

    password = _password(password_stdin, confirm=True)
    with CounterStorage(load_settings(), background=False) as storage:
        storage.supervisors.add(login, password)
    click.echo(f"監督者「{login}」を登録しました。")


@supervisor.command()
@click.argument("login")
@click.option("--password-stdin", is_flag=True, help="パスワードを標準入力の1行目から読む")
@with_clerk_errors
def verify(login: str, password_stdin: bool) -> None:
    """パスワードを確かめる(サインインとして監査ログに記録される)"""
    from counter_app.services.storage import CounterStorage

    password = _password(password_stdin, confirm=False)
    with CounterStorage(load_settings(), background=False) as storage:
        storage.supervisors.sign_in(login, password)
    click.echo(f"監督者「{login}」のパスワードを確認しました。")


@supervisor.command()
@click.argument("login")
@click.option("--password-stdin", is_flag=True, help="新しいパスワードを標準入力の1行目から読む")
@with_clerk_errors
def passwd(login: str, password_stdin: bool) -> None:
    """監督者のパスワードを変更する(ロックも解除される)"""
    from counter_app.services.storage import CounterStorage

    password = _password(password_stdin, confirm=True)
    with CounterStorage(load_settings(), background=False) as storage:
        storage.supervisors.set_password(login, password)
    click.echo(f"監督者「{login}」のパスワードを変更しました。")


@supervisor.command()
@click.argument("login")
@click.option("--enable", is_flag=True, help="無効にしたアカウントを有効に戻す")
@with_clerk_errors
def disable(login: str, enable: bool) -> None:
    """監督者アカウントを無効にする(--enable で戻す)"""
    from counter_app.services.storage import CounterStorage

    with CounterStorage(load_settings(), background=False) as storage:
        storage.supervisors.set_disabled(login, not enable)
    click.echo(f"監督者「{login}」を{'有効' if enable else '無効'}にしました。")


@supervisor.command("list")
@click.option("--json", "as_json", is_flag=True, help="JSONで出力する")
@with_clerk_errors
def list_(as_json: bool) -> None:
    """登録されている監督者を表示する"""
    from counter_app.services.storage import CounterStorage

    with CounterStorage(load_settings(), background=False) as storage:
        accounts = storage.supervisors.list()
    rows = [
        {
            "login": a.login,
            "disabled": a.disabled,
            "locked_until": a.locked_until.isoformat() if a.locked_until else None,
            "created_at": a.created_at.isoformat(),
            "last_sign_in_at": a.last_sign_in_at.isoformat() if a.last_sign_in_at else None,
        }
        for a in accounts
    ]
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo("監督者は登録されていません。`madoguchi supervisor add LOGIN` で登録します。")
    for row in rows:
        state = "無効" if row["disabled"] else ("ロック中" if row["locked_until"] else "有効")
        click.echo(f"{row['login']}  {state}  最終サインイン: {row['last_sign_in_at'] or 'なし'}")
