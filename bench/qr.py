"""Pre-fill QR codes at the counter: the decoders on degraded camera frames, and the codes a household needs.

Decoders, side by side on the fixed-seed degraded corpus of ``tests/qr_corpus.py`` (1920×1080 frames:
phones tilted 15–30°, blur, JPEG, moiré, glare, dim screens, small codes in clutter, inverted codes,
two codes in a frame, frames without a code): zbar alone, zxing-cpp alone, and the combination the
app uses (:class:`card_reader.qr.FrameDecoder`: zxing-cpp, then zbar when zxing-cpp finds nothing).
For each: frames read (every code in the frame), and the median time per frame with a code and
without one (most frames a counter camera sees have none), from the 8-bit luma plane. Target: ≤ 50 ms.

Also: how many codes (parts) households of 1 … 10 members (and a single person with a long address)
need in format MDP1 (zlib) and MDP2 (raw deflate with the preset dictionary), and their QR versions.

Run: ``.venv/bin/python -m bench.qr [--runs N]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import time

import segno

from card_reader.qr import Engine, FrameDecoder
from procedures.catalog import Catalog, load_catalog
from procedures.prefill import decode_scans, encode_visit
from procedures.prefill.document import compress_document, document_json
from procedures.visit import Member, Relationship, Sex, Visit
from tests.qr_corpus import HEIGHT, WIDTH, corpus

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


DECODERS: tuple[tuple[str, tuple[Engine, ...]], ...] = (
    ("zbar alone", ("zbar",)),
    ("zxing-cpp alone", ("zxing-cpp",)),
    ("zxing-cpp, then zbar", ("zxing-cpp", "zbar")),
)


def _decoders(runs: int) -> float:
    """Prints the decoder table; returns the combined decoder's slowest median (with / without a code)."""
    frames = corpus()
    with_code = [f for f in frames if f.payloads]
    print(
        f"Decoders on {len(frames)} degraded 1920×1080 frames ({len(with_code)} with a code), "
        f"median of {runs} runs per frame"
    )
    print(f"{'decoder':<22} {'read':>9} {'rate':>6} {'ms/frame code':>14} {'ms/frame none':>14}")
    slowest = 0.0
    misses: dict[str, list[str]] = {}
    for label, engines in DECODERS:
        read = 0
        code_ms: list[float] = []
        none_ms: list[float] = []
        with FrameDecoder(engines) as decoder:
            for frame in frames:
                pixels = frame.image.tobytes()
                samples = []
                for _ in range(runs):
                    start = time.perf_counter()
                    found = decoder.decode_grey(pixels, WIDTH, HEIGHT)
                    samples.append((time.perf_counter() - start) * 1000)
                (code_ms if frame.payloads else none_ms).append(statistics.median(samples))
                if frame.payloads:
                    if set(found) == set(frame.payloads):
                        read += 1
                    else:
                        misses.setdefault(label, []).append(frame.label)
        code, none = statistics.median(code_ms), statistics.median(none_ms)
        print(
            f"{label:<22} {read:>4}/{len(with_code):<4} {read / len(with_code):>6.1%}"
            f" {code:>14.1f} {none:>14.1f}"
        )
        if len(engines) == 2:
            slowest = max(code, none)
    for label, missed in misses.items():
        print(f"  missed by {label}: {', '.join(missed)}")
    return slowest


LONG_ADDRESS = "神奈川県横浜市みどり川区中央一丁目2番3号 グランドパレスみどり川レジデンス1205号室"


def single_person_long_address() -> Visit:
    visit = household(1)
    member = visit.members[0].model_copy(update={"address": LONG_ADDRESS})
    return visit.model_copy(
        update={"members": (member,), "answers": {"from_abroad": False, "new_address": LONG_ADDRESS}}
    )


_RARE_SURNAMES = (
    ("五十嵐", "いがらし"), ("長谷川", "はせがわ"), ("宇都宮", "うつのみや"), ("小野寺", "おのでら"),
    ("勅使河原", "てしがわら"), ("東海林", "しょうじ"), ("御手洗", "みたらい"), ("百目鬼", "どうめき"),
)  # fmt: skip
_GIVEN = ("蒼", "凛", "樹", "陽葵", "湊", "紬", "律", "結菜", "颯真", "芽依", "朔", "詩織")
_KANA = "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわん"
_TOWNS = ("桜ケ丘", "緑町", "港南台", "若葉", "白金", "旭ヶ丘", "日の出町", "青葉台")
_BUILDINGS = ("サンシャイン桜ケ丘", "グリーンヒルズ若葉", "シティテラス港南台", "ルミエール白金")


def varied_household(rng: random.Random, size: int) -> Visit:
    """A household whose names, readings and address the dictionary has never seen."""
    surname, reading = rng.choice(_RARE_SURNAMES)
    address = (
        f"{rng.choice(('埼玉県', '静岡県', '北海道'))}{rng.choice(('みどり川市', '西区', '北見市'))}"
        f"{rng.choice(_TOWNS)}{rng.randint(1, 9)}丁目{rng.randint(1, 40)}番{rng.randint(1, 30)}号 "
        f"{rng.choice(_BUILDINGS)}{rng.randint(101, 1205)}"
    )
    members = []
    relationships = (Relationship.SELF, Relationship.SPOUSE) + (Relationship.CHILD,) * 8
    for index in range(size):
        kana = "".join(rng.choice(_KANA) for _ in range(rng.randint(2, 4)))
        born = dt.date(rng.randint(1950, 2024), rng.randint(1, 12), rng.randint(1, 28))
        members.append(
            Member(
                name=f"{surname} {rng.choice(_GIVEN)}",
                furigana=f"{reading} {kana}",
                birth_date=born,
                sex=rng.choice((Sex.MALE, Sex.FEMALE)),
                relationship=relationships[index],
                is_householder=index == 0,
                address=address,
                answers={"has_mynumber_card": rng.random() < 0.7},
            )
        )
    return Visit(
        event="tennyu",
        event_date=dt.date(2025, 4, 1),
        members=tuple(members),
        answers={"new_address": address},
    )


def _codes_per_household(catalog: Catalog) -> None:
    print("Codes needed per household (QR version 15-M at most per code), MDP1 (zlib) vs MDP2 (dictionary)")
    print(f"{'household':<30} {'MDP1 codes':>10} {'MDP2 codes':>10} {'MDP2 bytes':>10} {'saved':>6} versions")
    cases = [("1, long address", single_person_long_address())]
    cases += [
        (f"{size} member{'s' if size > 1 else ''}", household(size)) for size in range(1, len(FAMILY) + 1)
    ]
    rng = random.Random(17)
    cases += [(f"{size} varied (seeded)", varied_household(rng, size)) for size in (1, 2, 4, 6, 8, 10)]
    for label, visit in cases:
        row = []
        sizes = []
        for version in ("1", "2"):
            document = document_json(visit, catalog.id, catalog.meta.version, dt.date(2025, 3, 28))
            sizes.append(len(compress_document(document, version)))
            texts = encode_visit(
                visit, catalog.id, catalog.meta.version, dt.date(2025, 3, 28), version=version
            )
            assert decode_scans(texts, catalog).notes == ()
            row.append(texts)
        versions = sorted(
            {segno.make_qr(t, error="m", mode="alphanumeric", boost_error=False).designator for t in row[1]}
        )
        saved = 1 - sizes[1] / sizes[0]
        codes = f"{len(row[0]):>10} {len(row[1]):>10}"
        print(f"{label:<30} {codes} {sizes[1]:>10} {saved:>6.0%} {','.join(versions)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    catalog = load_catalog()

    _codes_per_household(catalog)
    print()

    slowest = _decoders(args.runs)
    verdict = "met" if slowest <= TARGET_MS else "NOT met"
    print(
        f"combined decoder, slowest median {slowest:.1f} ms per frame: target ≤ {TARGET_MS:.0f} ms {verdict}"
    )


if __name__ == "__main__":
    main()
