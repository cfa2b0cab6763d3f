"""Rules of 住民記録システム標準仕様書 (総務省, 第1.0版 第3章) that a hand-off row must follow.

* 1.1.13 宛名番号・世帯番号: the last digit is a check digit, モジュラス11 with weights 2–7
  (M11W2〜7); a remainder of 0 gives 0. The standard says nothing about a remainder of 1 (11 − 1 = 10
  is not a digit): the layout decides (``modulus11_remainder_one``).
* 1.3.3 住所コード: 11 digits — 都道府県 2, 市区町村 3 (JIS X 0401/0402), 大字 3, 小字 3.
* 1.1.18 フリガナ: held in カタカナ.
* 1.1.1 / 1.1.2: a Japanese resident's 生年月日 is managed in 和暦, a foreign resident's in 西暦.
* 1.1.11 続柄: 世帯主, 夫, 妻, 夫(未届), 妻(未届), 子, 父, 母, 兄, 姉, 弟, 妹, chained with 「の」 up to four
  generations (子の子, 妻の父 …), 縁故者 and 同居人; 祖父, 孫 and the like are not used.
* 1.2.2 異動事由: the categories every system maps its own codes to.

Source: the text copy of the standard's chapter 3 (AkihiraYOSHIMOTO/jyuki-stnd, doc/j10, j20, j110,
j130, j180, j210, j250), summarised in docs/handoff.md.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

# ---------------------------------------------------------------- 1.1.13 check digit


def modulus11_digit(body: str, remainder_one: Literal["zero", "invalid"] = "invalid") -> int | None:
    """The check digit of ``body`` (digits): weights 2, 3, 4, 5, 6, 7, 2, … from the rightmost digit,
    remainder r of the sum by 11, digit 11 − r (0 when r is 0). ``None`` when r is 1 and the layout
    treats that as a number never issued."""
    if not body.isascii() or not body.isdigit():
        raise ValueError("digits only")
    total = sum(int(d) * (2 + i % 6) for i, d in enumerate(reversed(body)))
    remainder = total % 11
    if remainder == 0:
        return 0
    if remainder == 1:
        return 0 if remainder_one == "zero" else None
    return 11 - remainder


def modulus11_problem(number: str, remainder_one: Literal["zero", "invalid"] = "invalid") -> str | None:
    """Why ``number`` (body + check digit) is not valid, in Japanese; ``None`` when it is."""
    if not number.isascii() or not number.isdigit() or len(number) < 2:
        return "半角数字2桁以上で書いてください"
    expected = modulus11_digit(number[:-1], remainder_one)
    if expected is None:
        return "チェックデジットを計算できない番号です(モジュラス11の余りが1)"
    if int(number[-1]) != expected:
        return "チェックデジット(末尾の数字)が合いません。番号を確かめてください"
    return None


# ---------------------------------------------------------------- 1.3.3 住所コード


def address_code_problem(code: str) -> str | None:
    if not re.fullmatch(r"[0-9]{11}", code):
        return "住所コードは半角数字11桁です"
    if not 1 <= int(code[:2]) <= 47:
        return "住所コードの先頭2桁(都道府県コード)は01〜47です"
    return None


# ---------------------------------------------------------------- 1.1.18 フリガナ

_HIRAGANA_START, _HIRAGANA_END = 0x3041, 0x3096
_KATAKANA = re.compile(r"[\u30A1-\u30FA\u30FC\u3000 ]+")


def to_katakana(text: str) -> str:
    """Hiragana → katakana (the same sound; ゔ → ヴ); every other character is kept."""
    return "".join(chr(ord(c) + 0x60) if _HIRAGANA_START <= ord(c) <= _HIRAGANA_END else c for c in text)


def katakana_problem(text: str) -> str | None:
    if not _KATAKANA.fullmatch(text):
        return "フリガナは全角カタカナで書いてください(半角カナ・漢字・記号は使えません)"
    return None


# ---------------------------------------------------------------- 和暦 / 西暦

# First day of each era (元号法, 政令): 大正 1912-07-30, 昭和 1926-12-25, 平成 1989-01-08, 令和 2019-05-01.
# 明治 dates are from 1873-01-01 (the solar calendar); a visit's dates start in 1880.
ERAS: tuple[tuple[str, str, dt.date], ...] = (
    ("令和", "R", dt.date(2019, 5, 1)),
    ("平成", "H", dt.date(1989, 1, 8)),
    ("昭和", "S", dt.date(1926, 12, 25)),
    ("大正", "T", dt.date(1912, 7, 30)),
    ("明治", "M", dt.date(1868, 10, 23)),
)


def format_date(
    day: dt.date,
    style: Literal["wareki", "seireki"],
    wareki_format: Literal["kanji", "alpha"] = "kanji",
    seireki_format: Literal["iso", "slash", "compact"] = "iso",
) -> str:
    if style == "seireki":
        if seireki_format == "slash":
            return f"{day.year:04d}/{day.month:02d}/{day.day:02d}"
        if seireki_format == "compact":
            return f"{day.year:04d}{day.month:02d}{day.day:02d}"
        return day.isoformat()
    for name, letter, start in ERAS:
        if day >= start:
            year = day.year - start.year + 1
            if wareki_format == "alpha":
                return f"{letter}{year:02d}.{day.month:02d}.{day.day:02d}"
            shown = "元" if year == 1 else str(year)
            return f"{name}{shown}年{day.month}月{day.day}日"
    raise ValueError("before 明治")


_KANJI = re.compile(r"^(明治|大正|昭和|平成|令和)(元|[0-9]{1,2})年([0-9]{1,2})月([0-9]{1,2})日$")
_ALPHA = re.compile(r"^([MTSHR])([0-9]{2})\.([0-9]{2})\.([0-9]{2})$")
_SEIREKI = re.compile(r"^([0-9]{4})[-/]?([0-9]{2})[-/]?([0-9]{2})$")


def parse_date(text: str) -> dt.date:
    """A date written by :func:`format_date` in any style (for reading a hand-off file back)."""
    if m := _SEIREKI.match(text):
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    era: str | None = None
    if m := _KANJI.match(text):
        era, year = m[1], 1 if m[2] == "元" else int(m[2])
    elif m := _ALPHA.match(text):
        era, year = next(n for n, letter, _ in ERAS if letter == m[1]), int(m[2])
    if era is None or m is None:
        raise ValueError("not a date")
    start = next(s for n, _, s in ERAS if n == era)
    return dt.date(start.year + year - 1, int(m[3]), int(m[4]))


# ---------------------------------------------------------------- 1.1.11 続柄

_RELATION_WORDS = ("夫", "妻", "夫(未届)", "妻(未届)", "子", "父", "母", "兄", "姉", "弟", "妹")
MAX_GENERATIONS = 4


def relationship_label_problem(label: str) -> str | None:
    """Whether ``label`` is a 続柄 the standard allows (1.1.11)."""
    if label in ("世帯主", "縁故者", "同居人"):
        return None
    parts = label.replace("（", "(").replace("）", ")").split("の")
    if len(parts) > MAX_GENERATIONS:
        return f"続柄「{label}」は「の」でつなぐのは{MAX_GENERATIONS}代までです(それより遠い方は縁故者)"
    if all(p in _RELATION_WORDS for p in parts):
        return None
    return (
        f"続柄「{label}」は住民記録システム標準仕様書(1.1.11)の続柄ではありません"
        "(世帯主・夫・妻・子・父・母・兄・姉・弟・妹を「の」でつないだもの、縁故者、同居人)"
    )


# ---------------------------------------------------------------- 1.2.2 異動事由

REASON_CATEGORIES: dict[str, tuple[str, ...]] = {
    "記載": (
        "国内転入",
        "国外転入等",
        "出生",
        "職権記載(帰化等)",
        "職権記載(国籍喪失)",
        "職権記載",
        "改製",
        "再製",
        "異動の取消し(増)",
    ),
    "消除": (
        "国内転出",
        "国外転出",
        "死亡",
        "職権消除(帰化等)",
        "職権消除(国籍喪失)",
        "職権消除",
        "改製",
        "再製",
        "異動の取消し(減)",
    ),
    "修正": (
        "転居",
        "軽微な修正",
        "職権修正",
        "誤記修正",
        "個人番号 変更請求",
        "個人番号 職権修正",
        "個人番号 職権記載",
        "住民票コード 変更請求",
        "住民票コード 職権記載",
        "世帯分離",
        "世帯合併",
        "世帯変更",
        "世帯主変更",
        "旧氏 記載",
        "旧氏 変更",
        "旧氏 削除",
        "通称 記載",
        "通称 削除",
        "異動の取消し(修正)",
    ),
}
REASON_LABELS = frozenset(label for labels in REASON_CATEGORIES.values() for label in labels)
MOVE_OUT_REASONS = frozenset({"国内転出", "国外転出"})
"""異動日 may be later than today only for these (4.0.3: 転出 is notified in advance)."""
