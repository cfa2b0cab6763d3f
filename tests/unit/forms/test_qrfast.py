"""forms.qrfast: the back-office QR symbol, checked against segno and decoded by zbar."""

from __future__ import annotations

import random

import pytest
import segno
from PIL import Image

from card_reader.qr import decode_image
from forms.backoffice import PREFIX
from forms.base45 import b45encode
from forms.qrfast import QrTooLargeError, _char_count_bits, qr_rows


def _payload(rng: random.Random, raw_bytes: int) -> str:
    return PREFIX + b45encode(bytes(rng.randrange(256) for _ in range(raw_bytes)))


def _aligned(payload: str, version: int) -> bool:
    """The data stream plus its 4-bit terminator ends on a codeword boundary (segno pads a zero byte)."""
    n = len(payload)
    bits = 4 + _char_count_bits(version) + 11 * (n // 2) + 6 * (n % 2)
    return (bits + 4) % 8 == 0


def _image(rows: list[bytes], scale: int = 4) -> Image.Image:
    n = len(rows)
    image = Image.new("L", ((n + 8) * scale, (n + 8) * scale), 255)
    dark = Image.new("L", (scale, scale), 0)
    for r, row in enumerate(rows):
        for c, module in enumerate(row):
            if module:
                image.paste(dark, ((c + 4) * scale, (r + 4) * scale))
    return image


def test_same_symbol_as_segno_for_every_version() -> None:
    rng = random.Random(14)
    versions_seen: set[int] = set()
    compared = 0
    for raw in [*range(1, 40), *range(40, 3000, 11)]:
        payload = _payload(rng, raw)
        try:
            reference = segno.make_qr(payload, error="m", mask=2, boost_error=False)
        except segno.DataOverflowError:
            with pytest.raises(QrTooLargeError):
                qr_rows(payload)
            continue
        version = int(reference.version)
        versions_seen.add(version)
        if _aligned(payload, version):
            continue
        assert qr_rows(payload) == [bytes(row) for row in reference.matrix], (len(payload), version)
        compared += 1
    assert versions_seen == set(range(1, 41))
    assert compared > 200


@pytest.mark.parametrize("raw", [1, 7, 40, 330, 700, 1400])
def test_every_symbol_decodes_to_its_payload(raw: int) -> None:
    rng = random.Random(raw)
    for extra in range(4):  # consecutive lengths: aligned and unaligned streams alike
        payload = _payload(rng, raw + extra)
        assert decode_image(_image(qr_rows(payload))) == [payload.encode("ascii")]


def test_other_text_goes_to_segno() -> None:
    payload = "窓口 madoguchi"
    expected = [bytes(row) for row in segno.make_qr(payload, error="m", mask=2, boost_error=False).matrix]
    assert qr_rows(payload) == expected
