"""``madoguchi card decode`` on dumps: hex text, binary, broken input."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from click.testing import CliRunner

from card_reader.basic_four import Sex, encode_basic_four
from counter_app.cli import cli

EXPECTED = {
    "name": "黒桐\u3000幹也",
    "address": "東京都清瀬市観布子南１２－７－２０２",
    "birth_date": "1980-02-17",
    "sex": "male",
}


def test_decode_hex_fixture(fixtures_dir: Path) -> None:
    result = CliRunner().invoke(
        cli, ["card", "decode", str(fixtures_dir / "mynumber_ef0002_testcard.hex"), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == EXPECTED


def test_decode_binary_dump(tmp_path: Path, testcard_ef0002: bytes) -> None:
    dump = tmp_path / "ef0002.bin"
    dump.write_bytes(testcard_ef0002 + b"\xff" * 20)
    result = CliRunner().invoke(cli, ["card", "decode", str(dump), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == EXPECTED


def test_decode_human_output(tmp_path: Path) -> None:
    dump = tmp_path / "ef0002.hex"
    data = encode_basic_four(
        "髙﨑\u3000𠮷子", "京都府京都市", dt.date(2019, 5, 1), Sex.FEMALE, outer_long_form=1
    )
    dump.write_text(" ".join(f"{b:02X}" for b in data) + "\n")
    result = CliRunner().invoke(cli, ["card", "decode", str(dump)])
    assert result.exit_code == 0, result.output
    assert "髙﨑\u3000𠮷子" in result.output and "女" in result.output and "2019-05-01" in result.output


def test_broken_dump_gives_one_japanese_line(tmp_path: Path, testcard_ef0002: bytes) -> None:
    dump = tmp_path / "broken.bin"
    dump.write_bytes(testcard_ef0002[:40])
    result = CliRunner().invoke(cli, ["card", "decode", str(dump)])
    assert result.exit_code == 6
    assert result.output.strip() == (
        "カードの基本4情報を正しく読み取れませんでした(データ形式の異常)。手入力で受付を続けてください。"
    )
    assert "Traceback" not in result.output


def test_odd_hex_is_malformed(tmp_path: Path) -> None:
    dump = tmp_path / "odd.hex"
    dump.write_text("ff2")
    result = CliRunner().invoke(cli, ["card", "decode", str(dump)])
    assert result.exit_code == 6
