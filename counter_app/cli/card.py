"""``madoguchi card …``: status, read, decode, emulate."""

from __future__ import annotations

import datetime as dt
import getpass
import signal
import sys
import threading
from pathlib import Path

import click

from card_reader.basic_four import BasicFour, Sex, decode_basic_four
from card_reader.errors import (
    LastTryConfirmationRequired,
    MalformedCardDataError,
    NotMyNumberCardError,
    PinLockedError,
)
from card_reader.pin import Pin
from card_reader.virtual import VPCD_DEFAULT_PORT, VirtualCardProfile, VirtualMyNumberCard, VpcdCardClient
from counter_app.adapters.card_source import card_session
from counter_app.cli.common import echo_json, read_limited, with_clerk_errors


@click.group()
def card() -> None:
    """マイナンバーカード(券面事項入力補助AP)の読み取り"""


def _print_details(details: BasicFour, as_json: bool) -> None:
    if as_json:
        echo_json(details.to_json())
        return
    click.echo(f"氏名      {details.name}")
    click.echo(f"住所      {details.address}")
    click.echo(f"生年月日  {details.birth_date.isoformat()}")
    click.echo(f"性別      {details.sex.label_ja}")


@card.command()
@click.option("--reader", "reader_name", metavar="NAME", help="使うカードリーダーの名前(一部でも可)")
@click.option("--json", "as_json", is_flag=True, help="JSONで出力する")
@with_clerk_errors
def status(reader_name: str | None, as_json: bool) -> None:
    """リーダーとカードの状態、暗証番号の残り回数を表示する(回数は消費しない)"""
    from card_reader.pcsc import PcscContext

    result: dict[str, object] = {"reader": None, "card_present": False, "pin_tries_left": None}
    note = ""
    with PcscContext() as context:
        if context.readers() or reader_name:
            state = context.pick_reader(reader_name)
            result["reader"] = state.name
            result["card_present"] = state.card_present
            if state.card_present:
                with card_session(context, state.name, exclusive=False) as (_, session):
                    try:
                        pin = session.pin_status()
                        result["pin_tries_left"] = pin.tries_left
                        if pin.blocked:
                            note = "暗証番号はロックされています(解除は市区町村の窓口のみ)。"
                        elif pin.needs_last_try_confirmation:
                            note = "暗証番号の残りは1回です。入力前に本人に確認してください。"
                    except NotMyNumberCardError:
                        note = "マイナンバーカードではありません。"
    if as_json:
        echo_json(result)
        return
    click.echo(f"カードリーダー: {result['reader'] or 'なし(接続されていません)'}")
    click.echo(f"カード: {'あり' if result['card_present'] else 'なし'}")
    if result["pin_tries_left"] is not None:
        click.echo(f"暗証番号の残り回数: {result['pin_tries_left']}回")
    if note:
        click.echo(note)
    if result["reader"] is None:
        click.echo("練習用の仮想カードは `madoguchi card emulate` で使えます。")


def _read_pin(from_stdin: bool, tries_left: int | None) -> Pin:
    if from_stdin:
        line = sys.stdin.readline()
        return Pin(line.strip())
    if not sys.stdin.isatty():
        raise click.UsageError("暗証番号は端末で入力するか --pin-stdin で渡してください。")
    prompt = "券面事項入力補助用暗証番号(数字4桁)"
    if tries_left is not None:
        prompt += f" [残り{tries_left}回]"
    return Pin(getpass.getpass(prompt + ": "))


@card.command()
@click.option("--reader", "reader_name", metavar="NAME", help="使うカードリーダーの名前(一部でも可)")
@click.option("--pin-stdin", is_flag=True, help="暗証番号を標準入力の1行目から読む")
@click.option("--confirm-last-try", is_flag=True, help="残り1回でも暗証番号を送ることを承認する")
@click.option(
    "--wait", "wait_seconds", type=float, default=0.0, show_default=True, help="カードが置かれるまで待つ秒数"
)
@click.option("--json", "as_json", is_flag=True, help="JSONで出力する")
@with_clerk_errors
def read(
    reader_name: str | None, pin_stdin: bool, confirm_last_try: bool, wait_seconds: float, as_json: bool
) -> None:
    """暗証番号を1回だけ照合し、基本4情報(氏名・住所・生年月日・性別)を読み取る"""
    from card_reader.pcsc import PcscContext

    with (
        PcscContext() as context,
        card_session(context, reader_name, wait_seconds=wait_seconds) as (_, session),
    ):
        interactive = not pin_stdin and sys.stdin.isatty()
        tries_left: int | None = None
        if interactive:
            # Show the tries left before the first digit, and ask before the last try.
            pin_status = session.pin_status()
            if pin_status.blocked:
                raise PinLockedError()
            tries_left = pin_status.tries_left
            if pin_status.needs_last_try_confirmation and not confirm_last_try:
                click.echo("暗証番号の残り回数は1回です。間違えるとカードがロックされます。", err=True)
                if not click.confirm("本人に確認しました。最後の1回を入力しますか", default=False, err=True):
                    raise LastTryConfirmationRequired()
                confirm_last_try = True
        pin = _read_pin(pin_stdin, tries_left)
        # verify_pin reads the retry counter again right before VERIFY and refuses a locked card
        # or an unconfirmed last try without sending the PIN.
        session.verify_pin(pin, confirm_last_try=confirm_last_try)
        details = session.read_basic_four()
    _print_details(details, as_json)


MAX_DUMP_BYTES = 1024 * 1024  # EF 0002 is a few hundred bytes; its hex text a few times that


def _load_dump(path: Path) -> bytes:
    raw = read_limited(str(path), MAX_DUMP_BYTES, "カードのダンプ")
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError:
        return raw
    cleaned = "".join(text.split())
    if cleaned and all(c in "0123456789abcdefABCDEF" for c in cleaned):
        if len(cleaned) % 2:
            raise MalformedCardDataError("hex dump has an odd number of digits")
        return bytes.fromhex(cleaned)
    return raw


@card.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="JSONで出力する")
@with_clerk_errors
def decode(file: Path, as_json: bool) -> None:
    """EF 0002 のダンプ(バイナリまたは16進テキスト)を基本4情報に変換する"""
    _print_details(decode_basic_four(_load_dump(file)), as_json)


def _parse_birth(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if "-" in value else dt.datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        raise click.BadParameter("生年月日は YYYY-MM-DD か YYYYMMDD で指定してください") from None


@card.command()
@click.option("--port", type=int, default=VPCD_DEFAULT_PORT, show_default=True, help="vpcd のポート")
@click.option("--host", default="127.0.0.1", show_default=True, help="vpcd (pcscd) のホスト")
@click.option("--name", default=VirtualCardProfile.name, show_default=True, help="氏名")
@click.option("--address", default=VirtualCardProfile.address, show_default=True, help="住所")
@click.option("--birth", default="1980-02-17", show_default=True, help="生年月日 (YYYY-MM-DD)")
@click.option("--sex", type=click.Choice([s.json_value for s in Sex]), default="male", show_default=True)
@click.option("--pin", default="1234", show_default=True, help="暗証番号(練習用)")
@click.option("--tries", type=click.IntRange(0, 3), default=3, show_default=True, help="暗証番号の残り回数")
@with_clerk_errors
def emulate(
    port: int, host: str, name: str, address: str, birth: str, sex: str, pin: str, tries: int
) -> None:
    """練習用の仮想マイナンバーカードを vpcd (pcscd) のリーダーに置く。Ctrl-C で取り外す"""
    Pin(pin)  # validates the format without echoing it
    profile = VirtualCardProfile(
        name=name,
        address=address,
        birth_date=_parse_birth(birth),
        sex=Sex.from_json(sex),
        pin=pin,
        tries_left=tries,
    )
    virtual_card = VirtualMyNumberCard(profile)
    client = VpcdCardClient(virtual_card, host=host, port=port)
    client.insert()
    click.echo(f"仮想カードを {host}:{port} のリーダーに置きました。Ctrl-C で取り外します。", err=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        while client.connected.is_set() and not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        client.remove()
    click.echo("仮想カードを取り外しました。", err=True)
