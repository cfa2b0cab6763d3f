"""card_reader.qr: raw payload bytes from images (zbar in binary mode), clear errors for bad files."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import segno
from PIL import Image

from card_reader.qr import QrImageError, decode_file, decode_image


def _qr_image(data: bytes, scale: int = 6) -> Image.Image:
    buffer = io.BytesIO()
    segno.make_qr(data, error="m", mode="byte").save(buffer, kind="png", scale=scale, border=4)
    buffer.seek(0)
    return Image.open(buffer)


@pytest.mark.parametrize(
    "data",
    [
        "東京都みどり区".encode("shift_jis"),  # zbar's default would convert this to UTF-8
        "髙﨑　𠮷太郎".encode(),
        bytes(range(256)),
        b"MDG1:ABC $%*+-./:",
    ],
)
def test_payload_bytes_come_back_exactly(data: bytes) -> None:
    assert decode_image(_qr_image(data)) == [data]


def test_several_codes_and_none(tmp_path: Path) -> None:
    canvas = Image.new("L", (800, 400), 255)
    canvas.paste(_qr_image(b"first"), (10, 10))
    canvas.paste(_qr_image(b"second"), (420, 10))
    assert sorted(decode_image(canvas)) == [b"first", b"second"]
    assert decode_image(Image.new("RGB", (200, 200), "white")) == []
    path = tmp_path / "two.png"
    canvas.save(path)
    assert sorted(decode_file(path)) == [b"first", b"second"]


def test_unreadable_files_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(QrImageError, match="file not found"):
        decode_file(tmp_path / "missing.png")
    text = tmp_path / "not-an-image.png"
    text.write_text("hello")
    with pytest.raises(QrImageError, match="not a readable image"):
        decode_file(text)
