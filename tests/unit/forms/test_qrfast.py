"""forms.qrfast: the back-office QR symbol, checked against segno and decoded by zbar."""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import segno
from PIL import Image

from card_reader.qr import decode_image
from forms import FormRenderer, decode_payload
from forms.backoffice import PREFIX
from forms.base45 import b45encode
from forms.qrfast import QrTooLargeError, _char_count_bits, qr_rows
from forms.samples import sample_values


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


@pytest.mark.parametrize("form_id", ["jumin_idou", "jidou_teate"])
def test_the_printed_symbol_decodes_in_pdfium_and_poppler(
    renderer: FormRenderer, form_id: str, tmp_path: Path
) -> None:
    """The symbol is an inline 1-bit image mask: both PDF engines the app uses must draw it sharp."""
    form = renderer.render(form_id, sample_values(form_id))
    document = pdfium.PdfDocument(form.pdf)
    try:
        image = document[0].render(scale=200 / 72).to_pil().convert("L")
    finally:
        document.close()
    (payload,) = decode_image(image)
    assert decode_payload(payload).values == form.qr_values
    pdf = tmp_path / "form.pdf"
    pdf.write_bytes(form.pdf)
    subprocess.run(
        ["pdftoppm", "-r", "200", "-gray", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    with Image.open(tmp_path / "p-1.png") as scanned:
        (payload,) = decode_image(scanned)
    assert decode_payload(payload).values == form.qr_values
