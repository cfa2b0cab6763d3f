"""Every pre-fill error and image error reads as its own clear Japanese line for the clerk."""

from __future__ import annotations

import pytest

from card_reader.qr import QrImageError
from counter_app.presenters.messages import EXIT_DATA, EXIT_ERROR, clerk_message
from procedures.prefill import (
    ForeignCodeError,
    ForeignKind,
    MissingPartsError,
    MixedSetsError,
    PartChecksumError,
    PartFormatError,
    PrefillContentError,
    PrefillError,
    SetChecksumError,
    UnknownVersionError,
)

GENERIC = (
    "予期しない",
    "手続の判定ができませんでした",
    "カードの読み取りに失敗しました",
    "事前入力のQRコードを読み取れませんでした",
)

CASES: list[tuple[Exception, str]] = [
    (ForeignCodeError(ForeignKind.URL), "URL"),
    (ForeignCodeError(ForeignKind.PAYMENT), "支払い用"),
    (ForeignCodeError(ForeignKind.FORM), "書類の処理用"),
    (ForeignCodeError(ForeignKind.TEXT), "事前入力のQRコードではありません"),
    (ForeignCodeError(ForeignKind.BINARY), "事前入力のQRコードではありません"),
    (UnknownVersionError("2", "1"), "MDP2"),
    (PartFormatError("too short"), "途中で切れている"),
    (PartFormatError("Base45", keyboard_suspect=True), "キーボード配列"),
    (PartChecksumError(2), "2番目のQRコード"),
    (PartChecksumError(None), "検査用の値が一致しません"),
    (PartChecksumError(1, keyboard_suspect=True), "キーボード配列"),
    (MixedSetsError((1, 3), 3, 2, 2), "1/3・3/3 読み取り済み"),
    (MissingPartsError((2, 4), 4), "2/4・4/4 も読み取ってください"),
    (MissingPartsError((), 0), "まだ読み取られていません"),
    (SetChecksumError("zlib"), "内容が壊れています"),
    (PrefillContentError("no usable member"), "世帯の方の情報がありません"),
    (QrImageError("file not found", "/tmp/a.png"), "画像ファイルが見つかりません: /tmp/a.png"),
    (QrImageError("not a readable image (OSError)", "/tmp/b.txt"), "画像ファイルとして読み取れません"),
    (QrImageError("frame buffer of 10 bytes is too small"), "画像からQRコードを読み取れませんでした"),
]


@pytest.mark.parametrize(
    ("error", "expected"), CASES, ids=[f"{type(e).__name__}-{i}" for i, (e, _) in enumerate(CASES)]
)
def test_each_error_has_its_own_line(error: Exception, expected: str) -> None:
    message = clerk_message(error)
    assert expected in message.text
    assert not any(text in message.text for text in GENERIC)
    assert message.exit_code == EXIT_DATA


def test_old_zbar_is_for_the_system_administrator() -> None:
    message = clerk_message(QrImageError("zbar is older than 0.23 and cannot return QR payloads as bytes"))
    assert "zbar" in message.text and message.exit_code == EXIT_ERROR


def test_an_unforeseen_prefill_error_still_gets_a_prefill_line() -> None:
    assert "事前入力のQRコード" in clerk_message(PrefillError("new")).text
