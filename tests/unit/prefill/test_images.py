"""Pre-fill codes through real images: PNG, photos made harder, and raw camera frame buffers."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from card_reader.qr import FrameDecoder, QrImageError, decode_file, decode_frame, decode_image
from procedures.prefill import decode_scans, encode_visit
from procedures.visit import Source, Visit
from tests.unit.prefill.samples import harden, qr_image, six_member_visit, visits

SLOW = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _as_qr(visit: Visit) -> Visit:
    return visit.model_copy(
        update={"members": tuple(m.model_copy(update={"source": Source.QR}) for m in visit.members)}
    )


@SLOW
@given(visits(max_members=6))
def test_any_payload_round_trips_through_png(visit: Visit) -> None:
    texts = encode_visit(visit, "midorigawa", "2025.04")
    scans = []
    for text in texts:
        [payload] = decode_image(qr_image(text))
        assert payload == text.encode("ascii")  # alphanumeric mode: exactly the text, no charset guess
        scans.append(payload)
    assert decode_scans(scans, None).visit == _as_qr(visit)


@SLOW
@given(
    visits(max_members=6),
    st.tuples(st.integers(0, 1500), st.integers(0, 500)),
    st.integers(60, 200),
)
def test_photos_made_harder_still_decode(visit: Visit, position: tuple[int, int], background: int) -> None:
    """Scaled to 40 %, rotated 15°, blurred, JPEG quality 30 on a 1920×1080 frame."""
    texts = encode_visit(visit, "midorigawa", "2025.04")
    scans = []
    for text in texts:
        photo = harden(qr_image(text), position, background)
        assert photo.size == (1920, 1080)
        scans += decode_image(photo)
    assert decode_scans(scans, None).visit == _as_qr(visit)


def test_the_six_member_household_from_photos() -> None:
    visit = six_member_visit()
    texts = encode_visit(visit, "midorigawa", "2025.04")
    frames = [harden(qr_image(text), (300 + 400 * i, 200), 128) for i, text in enumerate(texts)]
    scans = [payload for frame in reversed(frames) for payload in decode_image(frame)]
    assert decode_scans(scans, None).visit == _as_qr(visit)


# ---------------------------------------------------------------- raw frames


@pytest.fixture(scope="module")
def frame() -> Image.Image:
    text = encode_visit(six_member_visit(), "midorigawa", "2025.04")[0]
    canvas = Image.new("L", (640, 480), 170)
    code = qr_image(text, scale=5)
    canvas.paste(code, (80, 40))
    return canvas


def _padded(rows: bytes, width: int, height: int, stride: int) -> bytes:
    return b"".join(rows[y * width : (y + 1) * width] + b"\x7f" * (stride - width) for y in range(height))


COLOUR_LAYOUTS = [
    ("RGB", "RGB", "RGB"),
    ("BGR", "RGB", "BGR"),
    ("RGBA", "RGBA", "RGBA"),
    ("BGRA", "RGBA", "BGRA"),
    ("BGRX", "RGB", "BGRX"),
    ("XRGB", "RGB", "XRGB"),
]


@pytest.mark.parametrize(("fmt", "mode", "raw"), COLOUR_LAYOUTS)
def test_colour_frames_with_padded_rows(frame: Image.Image, fmt: str, mode: str, raw: str) -> None:
    expected = decode_image(frame)
    assert len(expected) == 1
    colour = frame.convert(mode)
    packed = colour.tobytes("raw", raw)
    per_pixel = len(packed) // (frame.width * frame.height)
    stride = frame.width * per_pixel + 64
    buffer = _padded(packed, frame.width * per_pixel, frame.height, stride)
    assert decode_frame(buffer, frame.width, frame.height, fmt, stride) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", ["Y800", "NV12", "I420"])
def test_luma_frames(frame: Image.Image, fmt: str) -> None:
    width, height = frame.size
    luma = frame.tobytes()
    stride = width + 32
    buffer = _padded(luma, width, height, stride) + b"\x80" * (stride * height // 2)  # chroma planes follow
    with FrameDecoder() as decoder:
        assert decoder.decode(memoryview(buffer), width, height, fmt, stride) == decode_image(frame)  # type: ignore[arg-type]
        assert decoder.decode(bytes(width * height), width, height) == []  # a blank frame: nothing


def test_bad_frames_and_files_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(QrImageError, match="too small"):
        decode_frame(b"\x00" * 100, 640, 480)
    with pytest.raises(QrImageError, match="stride"):
        decode_frame(b"\x00" * 640 * 480 * 3, 640, 480, "RGB", stride=100)
    with pytest.raises(QrImageError, match="unsupported"):
        decode_frame(b"\x00" * 100, 10, 10, "CMYK")  # type: ignore[arg-type]
    decoder = FrameDecoder()
    decoder.close()
    with pytest.raises(QrImageError, match="closed"):
        decoder.decode(b"\x00" * 100, 10, 10)
    with pytest.raises(QrImageError, match="file not found"):
        decode_file(tmp_path / "missing.png")
