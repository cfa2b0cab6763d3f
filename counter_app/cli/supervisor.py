"""``madoguchi supervisor …``: supervisor accounts (add, sign-in check, list, password, disable)."""

from __future__ import annotations

import getpass
import sys
from typing import TYPE_CHECKING

import click

from counter_app.adapters.store.errors import SupervisorRequiredError
from counter_app.cli.common import echo_json, with_clerk_errors
from counter_app.settings.config import load_settings

if TYPE_CHECKING:  # imported lazily: the module hashes a dummy password when it is loaded
    from counter_app.adapters.supervisors import SupervisorAccounts, SupervisorSession


class SecretReader:
    """Passwords from the terminal (never echoed) or, with ``--password-stdin``, one per line of
    standard input in the order they are asked. Never from an argument (it would sit in the shell
    history and in every user's process list)."""

    def __init__(self, from_stdin: bool) -> None:
        self.from_stdin = from_stdin

    def read(self, prompt: str, *, confirm: bool = False) -> str:
        if self.from_stdin:
            line = sys.stdin.readline(MAX_PASSWORD_LINE)
            if not line:
                raise click.UsageError("標準入力にパスワードの行が足りません(1行に1つずつ渡してください)。")
            return line.rstrip("\r\n")
        if not sys.stdin.isatty():
            raise click.UsageError("パスワードは端末で入力するか --password-stdin で渡してください。")
        first = getpass.getpass(f"{prompt}: ")
        if confirm and getpass.getpass(f"{prompt}(確認): ") != first:
            raise click.UsageError("確認のパスワードが一致しません。")
        return first


MAX_PASSWORD_LINE = 1024


def sign_in_acting(accounts: SupervisorAccounts, login: str, secrets: SecretReader) -> SupervisorSession:
    """The acting supervisor signs in (audited); refused or locked: the clerk error stops the command."""
    return accounts.sign_in(login, secrets.read(f"監督者「{login}」のパスワード"))


by_option = click.option(
    "--by",
    "by",
    metavar="LOGIN",
    envvar="MADOGUCHI_SUPERVISOR",
    help="操作する監督者(自分)のログイン名。そのパスワードを尋ねる(環境変数 MADOGUCHI_SUPERVISOR でも可)",
)
stdin_option = click.option(
    "--password-stdin",
    is_flag=True,
    help="パスワードを標準入力から1行ずつ読む(操作する監督者のパスワード、次に新しいパスワード)",
)


@click.group()
def supervisor() -> None:
    """監督者アカウント(統計と設定の画面へのサインイン)

    \b
    add・passwd・disable・unlock には監督者のサインインが必要です(--by LOGIN とそのパスワード)。
    最初の1人だけは、監督者がまだいないため、サインインなしで登録できます。
    """


@supervisor.command()
@click.argument("login")
@by_option
@stdin_option
@with_clerk_errors
def add(login: str, by: str | None, password_stdin: bool) -> None:
    """監督者を登録する(最初の1人以外は --by の監督者のサインインが必要)"""
    from counter_app.adapters.storage import CounterStorage

    secrets = SecretReader(password_stdin)
    with CounterStorage(load_settings(), background=False) as storage:
        accounts = storage.supervisors
        session = sign_in_acting(accounts, by, secrets) if by else None
        password = secrets.read(f"「{login}」の新しいパスワード", confirm=True)
        accounts.add(login, password, by=session)
    click.echo(f"監督者「{login}」を登録しました。")


@supervisor.command()
@click.argument("login")
@click.option("--password-stdin", is_flag=True, help="パスワードを標準入力の1行目から読む")
@with_clerk_errors
def verify(login: str, password_stdin: bool) -> None:
    """パスワードを確かめる(サインインとして監査ログに記録される)"""
    from counter_app.adapters.storage import CounterStorage

    password = SecretReader(password_stdin).read("パスワード")
    with CounterStorage(load_settings(), background=False) as storage:
        storage.supervisors.sign_in(login, password)
    click.echo(f"監督者「{login}」のパスワードを確認しました。")


@supervisor.command()
@click.argument("login")
@by_option
@stdin_option
@with_clerk_errors
def passwd(login: str, by: str | None, password_stdin: bool) -> None:
    """監督者のパスワードを変更する

    \b
    自分のパスワード: 今のパスワードを入力する。
    他の監督者のパスワード: --by に自分のログイン名を指定し、自分のパスワードを入力する(ロックも解除される)。
    """
    from counter_app.adapters.storage import CounterStorage

    secrets = SecretReader(password_stdin)
    with CounterStorage(load_settings(), background=False) as storage:
        accounts = storage.supervisors
        session = sign_in_acting(accounts, by or login, secrets)
        password = secrets.read(f"「{login}」の新しいパスワード", confirm=True)
        accounts.set_password(login, password, by=session)
    click.echo(f"監督者「{login}」のパスワードを変更しました。")


@supervisor.command()
@click.argument("login")
@click.option("--enable", is_flag=True, help="無効にしたアカウントを有効に戻す")
@by_option
@stdin_option
@with_clerk_errors
def disable(login: str, enable: bool, by: str | None, password_stdin: bool) -> None:
    """監督者アカウントを無効にする(--enable で戻す。--by の監督者のサインインが必要)"""
    from counter_app.adapters.storage import CounterStorage

    secrets = SecretReader(password_stdin)
    with CounterStorage(load_settings(), background=False) as storage:
        accounts = storage.supervisors
        session = require_session(accounts, by, secrets)
        accounts.set_disabled(login, not enable, by=session)
    click.echo(f"監督者「{login}」を{'有効' if enable else '無効'}にしました。")


@supervisor.command()
@click.argument("login")
@by_option
@stdin_option
@with_clerk_errors
def unlock(login: str, by: str | None, password_stdin: bool) -> None:
    """パスワードの誤りでロックされた監督者を解除する(別の監督者が --by でサインインして行う)"""
    from counter_app.adapters.storage import CounterStorage

    secrets = SecretReader(password_stdin)
    with CounterStorage(load_settings(), background=False) as storage:
        accounts = storage.supervisors
        session = require_session(accounts, by, secrets)
        accounts.unlock(login, by=session)
    click.echo(f"監督者「{login}」のロックを解除しました。")


def require_session(accounts: SupervisorAccounts, by: str | None, secrets: SecretReader) -> SupervisorSession:
    """Sign in the ``--by`` supervisor; without ``--by``, refused (audit needs to name who acted)."""
    if not by:
        raise SupervisorRequiredError()
    return sign_in_acting(accounts, by, secrets)


@supervisor.command("list")
@click.option("--json", "as_json", is_flag=True, help="JSONで出力する")
@with_clerk_errors
def list_(as_json: bool) -> None:
    """登録されている監督者を表示する"""
    from counter_app.adapters.storage import CounterStorage

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
