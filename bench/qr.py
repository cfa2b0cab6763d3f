"""Pre-fill QR codes at the counter: decode time per 1920×1080 camera frame, and the codes a household needs.

Prints figures (median of runs) and ratios against a baseline measured in the same run:
* baseline: pyzbar's own ``pyzbar.decode`` on the same frame (a new scanner per call, zbar's
  character-set guessing left on, PIL conversion inside) — what a naive camera loop would do;
* ours: :class:`card_reader.qr.FrameDecoder` (one scanner kept for the stream, binary mode) on the
  8-bit luma plane the camera delivers (NV12 etc.), on an RGB frame (converted first), and on a frame
  without any code (most frames a counter camera sees).
The frames hold one part of a six-member household's pre-fill, as a phone held ~25 cm from a 1080p
webcam shows it, and as a photo made harder (40 %, 15°, blur, JPEG 30). Target: ≤ 50 ms per frame.

Also: how many codes (parts) households of 1 … 10 members need, and their QR versions.

Run: ``.venv/bin/python -m bench.qr [--runs N]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import time
from collections.abc import Callable
from functools import partial

import segno
from PIL import Image, ImageFilter
from pyzbar import pyzbar

from card_reader.qr import FrameDecoder
from procedures.catalog import load_catalog
from procedures.prefill import decode_scans, encode_visit
from procedures.visit import Member, Relationship, Sex, Visit

TARGET_MS = 50.0
FAMILY = (
    ("山田 太郎", "やまだ たろう", dt.date(1980, 5, 1), Sex.MALE, Relationship.SELF),
    ("山田 花子", "やまだ はなこ", dt.date(1982, 7, 12), Sex.FEMALE, Relationship.SPOUSE),
    ("山田 一郎", "やまだ いちろう", dt.date(2010, 4, 2), Sex.MALE, Relationship.CHILD),
    ("山田 二郎", "やまだ じろう", dt.date(2013, 11, 30), Sex.MALE, Relationship.CHILD),
    ("山田 さくら", "やまだ さくら", dt.date(2018, 3, 3), Sex.FEMALE, Relationship.CHILD),
    ("佐藤 ハル", "さとう はる", dt.date(1948, 1, 15), Sex.FEMALE, Relationship.SPOUSE_PARENT),
    ("山田 健", "やまだ けん", dt.date(1955, 9, 9), Sex.MALE, Relationship.PARENT),
    ("山田 和子", "やまだ かずこ", dt.date(1957, 2, 2), Sex.FEMALE, Relationship.PARENT),
    ("鈴木 次郎", "すずき じろう", dt.date(1990, 6, 6), Sex.MALE, Relationship.SIBLING),
    ("山田 みく", "やまだ みく", dt.date(2021, 12, 24), Sex.FEMALE, Relationship.CHILD),
)
ADDRESS = "東京都みどり川区中央一丁目2番3号 みどりハイツ405"


def household(size: int) -> Visit:
    """A move-in of ``size`` members with the answers the page typically collects for them."""
    members = []
    for index, (name, furigana, born, sex, relationship) in enumerate(FAMILY[:size]):
        answers: dict[str, bool | int | str] = {"has_mynumber_card": index % 3 != 2}
        if born.year > 1950:
            answers["insurance"] = "kokuho" if index < 2 else "employee"
        if born.year <= 2010:
            answers["inkan_register"] = index == 0
        members.append(
            Member(
                name=name,
                furigana=furigana,
                birth_date=born,
                sex=sex,
                relationship=relationship,
                is_householder=relationship is Relationship.SELF,
                address=ADDRESS,
                answers=answers,
            )
        )
    return Visit(
        event="tennyu",
        event_date=dt.date(2025, 4, 1),
        members=tuple(members),
        answers={"from_abroad": False, "new_address": ADDRESS},
    )


def _median_ms(run: Callable[[], object], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def _frames(text: str) -> dict[str, Image.Image]:
    symbol = segno.make_qr(text, error="m", mode="alphanumeric", boost_error=False)
    buffer = io.BytesIO()
    symbol.save(buffer, kind="png", scale=6, border=4)  # ~460 px: a phone screen at ~25 cm
    buffer.seek(0)
    code = Image.open(buffer).convert("L")
    # A camera-like background: a gradient with some texture, not a flat colour.
    background = Image.linear_gradient("L").resize((1920, 1080)).filter(ImageFilter.GaussianBlur(3))
    phone = background.copy()
    phone.paste(code, (700, 300))
    harder = background.copy()
    small = code.resize((round(code.width * 0.6), round(code.height * 0.6)), Image.Resampling.LANCZOS)
    turned = small.rotate(15, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC)
    harder.paste(turned.filter(ImageFilter.GaussianBlur(1.0)), (900, 400))
    jpeg = io.BytesIO()
    harder.save(jpeg, "JPEG", quality=30)
    jpeg.seek(0)
    return {"phone screen": phone, "photo made harder": Image.open(jpeg).convert("L"), "no code": background}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=31)
    args = parser.parse_args()
    catalog = load_catalog()

    print("Codes needed (QR version 15-M at most per code, error correction M)")
    print(f"{'members':>8} {'codes':>6} {'chars/code':>11} {'versions':>14}")
    for size in range(1, len(FAMILY) + 1):
        texts = encode_visit(household(size), catalog.id, catalog.meta.version, dt.date(2025, 3, 28))
        assert decode_scans(texts, catalog).notes == ()
        versions = sorted(
            {segno.make_qr(t, error="m", mode="alphanumeric", boost_error=False).designator for t in texts}
        )
        print(f"{size:>8} {len(texts):>6} {max(map(len, texts)):>11} {','.join(versions):>14}")
    six = encode_visit(household(6), catalog.id, catalog.meta.version, dt.date(2025, 3, 28))
    print(f"six-member household: {len(six)} codes")
    print()

    print(f"Decode time per 1920×1080 frame, median of {args.runs} runs (target ≤ {TARGET_MS:.0f} ms)")
    decoder = FrameDecoder()
    worst = 0.0
    for label, frame in _frames(six[0]).items():
        luma = frame.tobytes()
        rgb = frame.convert("RGB")
        rgb_bytes = rgb.tobytes()
        expected = 0 if label == "no code" else 1
        assert len(decoder.decode(luma, 1920, 1080)) == expected, label
        assert len(pyzbar.decode(rgb, symbols=[pyzbar.ZBarSymbol.QRCODE])) == expected, label
        baseline = _median_ms(partial(pyzbar.decode, rgb, symbols=[pyzbar.ZBarSymbol.QRCODE]), args.runs)
        ours_luma = _median_ms(partial(decoder.decode, luma, 1920, 1080), args.runs)
        ours_rgb = _median_ms(partial(decoder.decode, rgb_bytes, 1920, 1080, "RGB"), args.runs)
        worst = max(worst, ours_luma, ours_rgb)
        print(f"  {label}:")
        print(f"    baseline pyzbar.decode (RGB image)  {baseline:7.1f} ms")
        print(
            f"    FrameDecoder, luma plane (NV12 …)   {ours_luma:7.1f} ms  ratio {ours_luma / baseline:4.2f}"
        )
        print(f"    FrameDecoder, RGB frame             {ours_rgb:7.1f} ms  ratio {ours_rgb / baseline:4.2f}")
    decoder.close()
    verdict = "met" if worst <= TARGET_MS else "NOT met"
    print(f"slowest median {worst:.1f} ms per frame: target ≤ {TARGET_MS:.0f} ms {verdict}")


if __name__ == "__main__":
    main()
