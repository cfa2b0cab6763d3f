"""The card reader through a real pcscd, the vsmartcard-vpcd driver and the virtual card."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from card_reader.mynumber import EF_BASIC_FOUR, EF_PIN
from card_reader.pcsc import PcscContext
from card_reader.virtual import VirtualCardProfile, VirtualMyNumberCard
from tests.conftest import MadoguchiRunner
from tests.integration.conftest import VPCD_READER, InsertCard

pytestmark = pytest.mark.integration

PIN = "8531"
EXPECTED = {
    "name": "黒桐\u3000幹也",
    "address": "東京都清瀬市観布子南１２－７－２０２",
    "birth_date": "1980-02-17",
    "sex": "male",
}


def _card(tries: int = 3, **kwargs: object) -> VirtualMyNumberCard:
    return VirtualMyNumberCard(VirtualCardProfile(pin=PIN, tries_left=tries), **kwargs)  # type: ignore[arg-type]


def _verifies_with_data(card: VirtualMyNumberCard) -> list[bytes]:
    return [apdu for apdu in card.received if apdu[1] == 0x20 and len(apdu) > 4]


def test_status_without_card(madoguchi: MadoguchiRunner, pcscd: object) -> None:
    result = madoguchi("card", "status", "--json")
    assert result.returncode == 0, result.stderr
    status = json.loads(result.stdout)
    assert status == {"reader": VPCD_READER, "card_present": False, "pin_tries_left": None}


def test_status_reports_tries_without_spending_one(
    madoguchi: MadoguchiRunner, insert_card: InsertCard
) -> None:
    card = _card(tries=2)
    insert_card(card)
    result = madoguchi("card", "status", "--json", "--reader", "virtual pcd 00 00")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"reader": VPCD_READER, "card_present": True, "pin_tries_left": 2}
    assert card.tries_left == 2
    assert _verifies_with_data(card) == []


def test_read_returns_the_four_details(madoguchi: MadoguchiRunner, insert_card: InsertCard) -> None:
    card = _card()
    insert_card(card)
    result = madoguchi("card", "read", "--pin-stdin", "--json", input=PIN + "\n")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == EXPECTED
    # Exactly the seven APDUs of a full read, and never EF 0001 (個人番号) or EF 0003.
    assert len(card.received) == 7
    assert card.selected_files() == [EF_PIN, EF_BASIC_FOUR]
    assert not {0x0001, 0x0003} & set(card.selected_files())


def test_wrong_pin_is_reported_and_never_retried(madoguchi: MadoguchiRunner, insert_card: InsertCard) -> None:
    card = _card()
    insert_card(card)
    result = madoguchi("card", "read", "--pin-stdin", "--json", input="0000\n")
    assert result.returncode == 4
    assert result.stderr.strip() == "暗証番号が違います。残り2回です。"
    assert "Traceback" not in result.stderr
    assert len(_verifies_with_data(card)) == 1
    assert card.tries_left == 2


def test_last_try_needs_explicit_confirmation(madoguchi: MadoguchiRunner, insert_card: InsertCard) -> None:
    card = _card(tries=1)
    insert_card(card)
    refused = madoguchi("card", "read", "--pin-stdin", "--json", input=PIN + "\n")
    assert refused.returncode == 4
    assert "残り回数が1回" in refused.stderr
    assert _verifies_with_data(card) == []
    assert card.tries_left == 1

    confirmed = madoguchi("card", "read", "--pin-stdin", "--confirm-last-try", "--json", input=PIN + "\n")
    assert confirmed.returncode == 0, confirmed.stderr
    assert json.loads(confirmed.stdout) == EXPECTED
    assert card.tries_left == 3


def test_wrong_last_try_locks_and_says_who_can_unlock(
    madoguchi: MadoguchiRunner, insert_card: InsertCard
) -> None:
    card = _card(tries=1)
    insert_card(card)
    result = madoguchi("card", "read", "--pin-stdin", "--confirm-last-try", input="0000\n")
    assert result.returncode == 5
    assert "ロックされました" in result.stderr and "市区町村の窓口" in result.stderr
    assert card.tries_left == 0


def test_locked_card_gets_no_pin(madoguchi: MadoguchiRunner, insert_card: InsertCard) -> None:
    card = _card(tries=0)
    insert_card(card)
    result = madoguchi("card", "read", "--pin-stdin", "--confirm-last-try", input=PIN + "\n")
    assert result.returncode == 5
    assert "ロックされています" in result.stderr and "市区町村の窓口" in result.stderr
    assert _verifies_with_data(card) == []


def test_card_removed_mid_read(madoguchi: MadoguchiRunner, insert_card: InsertCard) -> None:
    card = _card()
    client = insert_card(card)

    def pull_on_read(apdu: bytes) -> None:
        if apdu[1] == 0xB0:
            client.remove()

    card.on_apdu = pull_on_read
    result = madoguchi("card", "read", "--pin-stdin", input=PIN + "\n")
    assert result.returncode == 7, result.stderr
    assert result.stderr.strip().startswith("読み取り中にカードが離れました")


def test_no_card(madoguchi: MadoguchiRunner, pcscd: object) -> None:
    result = madoguchi("card", "read", "--pin-stdin", input=PIN + "\n")
    assert result.returncode == 3
    assert "カードが置かれていません" in result.stderr


def test_waits_for_a_card_without_polling(madoguchi: MadoguchiRunner, insert_card: InsertCard) -> None:
    """``--wait`` blocks in SCardGetStatusChange and reads as soon as the card arrives."""
    command = [sys.executable, "-m", "counter_app", "card", "read", "--pin-stdin", "--json", "--wait", "20"]
    with subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        time.sleep(1.0)
        assert process.poll() is None
        insert_card(_card())
        out, err = process.communicate(PIN + "\n", timeout=30)
    assert process.returncode == 0, err
    assert json.loads(out) == EXPECTED


class ForeignCard:
    """A card without the 券面事項入力補助AP (a transit or bank card, say)."""

    atr = bytes.fromhex("3B8F8001804F0CA000000306030001000000006A")

    def __init__(self) -> None:
        self.received: list[bytes] = []

    def reset(self) -> None:
        pass

    def process(self, apdu: bytes) -> bytes:
        self.received.append(apdu)
        return b"\x6a\x82"


def test_not_a_my_number_card(madoguchi: MadoguchiRunner, insert_card: InsertCard) -> None:
    foreign = ForeignCard()
    insert_card(foreign)
    result = madoguchi("card", "read", "--pin-stdin", input=PIN + "\n")
    assert result.returncode == 6
    assert "マイナンバーカードではない" in result.stderr
    assert len(foreign.received) == 1  # the SELECT, and no PIN


def test_broken_card_data(madoguchi: MadoguchiRunner, insert_card: InsertCard) -> None:
    profile = VirtualCardProfile(pin=PIN)
    good = profile.basic_four_bytes()
    profile.basic_four_override = good[:6] + b"\x00\x99" + good[8:]  # corrupt the DF21 offset table
    insert_card(VirtualMyNumberCard(profile))
    result = madoguchi("card", "read", "--pin-stdin", input=PIN + "\n")
    assert result.returncode == 6
    assert "データ形式の異常" in result.stderr


def test_no_pcsc_service(madoguchi: MadoguchiRunner, tmp_path: object) -> None:
    # libpcsclite honours PCSCLITE_CSOCK_NAME: point it at a socket nobody serves.
    result = madoguchi("card", "status", env={"PCSCLITE_CSOCK_NAME": "/nonexistent/pcscd.comm"})
    assert result.returncode == 3
    assert "PC/SC" in result.stderr


def test_unknown_reader_name(madoguchi: MadoguchiRunner, pcscd: object) -> None:
    result = madoguchi("card", "status", "--reader", "Sony RC-S380")
    assert result.returncode == 3
    assert "Sony RC-S380" in result.stderr


def test_pin_never_appears_in_output_or_logs(
    madoguchi: MadoguchiRunner, insert_card: InsertCard, pcscd_log: object
) -> None:
    card = _card()
    insert_card(card)
    wrong = madoguchi("-vv", "card", "read", "--pin-stdin", input="7319\n")
    right = madoguchi("-vv", "card", "read", "--pin-stdin", "--json", input=PIN + "\n")
    assert right.returncode == 0, right.stderr
    texts = [wrong.stdout, wrong.stderr, right.stdout, right.stderr]
    from pathlib import Path

    log_path = Path(str(pcscd_log))
    if log_path.exists():
        texts.append(log_path.read_text(errors="replace"))
    for secret in ("7319", PIN):
        hex_form = secret.encode().hex()
        for text in texts:
            assert secret not in text
            assert hex_form not in text.lower().replace(" ", "")
    # The debug log does show the APDU headers, so the check above looked at real traffic.
    assert "APDU(00 20 00 80" in right.stderr


def test_emulate_command_puts_a_card_on_the_reader(pcscd: object) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    command = [
        sys.executable,
        "-m",
        "counter_app",
        "card",
        "emulate",
        "--name",
        "髙橋\u3000𠮷子",
        "--sex",
        "female",
        "--birth",
        "1990-04-01",
        "--tries",
        "2",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        with PcscContext() as context:
            context.wait_for_card(VPCD_READER, timeout=15)
        status = subprocess.run(
            [sys.executable, "-m", "counter_app", "card", "status", "--json"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert json.loads(status.stdout)["pin_tries_left"] == 2
        read = subprocess.run(
            [sys.executable, "-m", "counter_app", "card", "read", "--pin-stdin", "--json"],
            input="1234\n",
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert read.returncode == 0, read.stderr
        assert json.loads(read.stdout)["name"] == "髙橋\u3000𠮷子"
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=15)
        with PcscContext() as context:
            context.wait_for_removal(VPCD_READER, timeout=10)
    assert process.returncode == 0
