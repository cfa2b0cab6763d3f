"""The ward's resident registry (住民基本台帳) as the counter sees it: the ``RegistrySource`` port.

A registry source answers three narrow questions and nothing else — there is no way to list residents
by a condition (age, area, range), and no 個人番号 anywhere ("identify, never extract", as 芽室町's MADO
hub puts it):

* :meth:`RegistrySource.find` — the residents born on one day whose name or reading is exactly one of
  a few spellings (the card's name and its 異体字 variants, or a reading);
* :meth:`RegistrySource.by_atena` — the resident with one 宛名番号;
* :meth:`RegistrySource.household` — the members of one 世帯番号.

Items follow the names of デジタル庁's 住民基本台帳 基本データリスト / the 住民記録システム標準仕様書
(``ITEMS``); a ward maps its own column names onto them (``registry.yaml`` in its catalog folder).
This module is pure: the adapters (SQL view, nightly CSV extract) live in
``counter_app.adapters.registry``; matching, search parsing and check digits are here so that every
adapter behaves the same.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Protocol

from counter_app.adapters.registry.model import (
    FORBIDDEN_ITEMS,
    ITEMS,
    MAX_HOUSEHOLD,
    MAX_NAME_VARIANTS,
    MAX_RESULTS,
    REQUIRED_ITEMS,
    RegistryAmbiguousError,
    RegistryDataError,
    RegistryError,
    RegistryNoMatchError,
    RegistryPerson,
    RegistryQueryError,
    RegistryRateLimitedError,
    RegistryStatus,
    RegistryUnavailableError,
    compact,
    fold_name,
    is_reading,
    mod11_check_digit,
    name_variants,
    parse_sex,
    relationship_of,
    to_katakana,
    valid_check_digit,
    valid_juminhyo_code,
)
from procedures.visit import Relationship, Sex

__all__ = [
    "FORBIDDEN_ITEMS", "ITEMS", "MAX_HOUSEHOLD", "MAX_NAME_VARIANTS", "MAX_RESULTS", "REQUIRED_ITEMS",
    "AtenaQuery", "Difference", "Identity", "NameQuery", "RegistryAmbiguousError", "RegistryDataError",
    "RegistryError", "RegistryNoMatchError", "RegistryPerson", "RegistryQueryError",
    "RegistryRateLimitedError", "RegistrySource", "RegistryStatus", "RegistryUnavailableError",
    "SearchQuery", "address_agrees", "compact", "differences", "fold_name", "household_order",
    "is_reading", "mod11_check_digit", "name_variants", "normalize_address", "parse_birth_date",
    "parse_search", "parse_sex", "pick_match", "relationship_of", "to_katakana", "valid_check_digit",
    "valid_juminhyo_code",
]  # fmt: skip


class RegistrySource(Protocol):
    """A read-only view of the registry (see the module docstring for what it may answer)."""

    def find(
        self, birth_date: dt.date, names: Collection[str], readings: Collection[str], limit: int
    ) -> list[RegistryPerson]:
        """Residents born on ``birth_date`` whose name (spaces removed) is one of ``names`` or whose
        reading (spaces removed, katakana) is one of ``readings``; at most ``limit``."""
        ...

    def by_atena(self, atena_no: str) -> RegistryPerson | None: ...

    def household(self, household_no: str, limit: int = MAX_HOUSEHOLD) -> list[RegistryPerson]: ...

    def close(self) -> None: ...


# ---------------------------------------------------------------------------------------------------
# Addresses: the card's full address must contain the registry's 町字 and 番地号 (both normalised:
# NFKC, no spaces, 丁目/番地/番/号 and every dash written "-", kanji numerals before them as digits).
_KANJI_DIGITS = str.maketrans("〇一二三四五六七八九", "0123456789")
_DASHES = re.compile(r"[‐‑‒–—―−ー－﹣─━]")


def _kanji_number(match: re.Match[str]) -> str:
    text = match.group(0)
    if "十" not in text:
        return text.translate(_KANJI_DIGITS)
    tens, _, ones = text.partition("十")
    value = (int(tens.translate(_KANJI_DIGITS)) if tens else 1) * 10
    return str(value + (int(ones.translate(_KANJI_DIGITS)) if ones else 0))


def normalize_address(text: str) -> str:
    text = unicodedata.normalize("NFKC", compact(text))
    text = re.sub(r"[〇一二三四五六七八九十]+(?=丁目|番地|番|号|$|-)", _kanji_number, text)
    text = _DASHES.sub("-", text)
    text = re.sub(r"(?<=\d)(丁目|番地の|番地|番|の)(?=\d)", "-", text)
    text = re.sub(r"(?<=\d)(号|番地|番)", "", text)
    return text.strip("-")


def address_agrees(card_address: str, person: RegistryPerson) -> bool:
    """The card's address names the registry's 町字 and 番地号 (prefecture, city and 方書 may be
    missing on either side)."""
    wanted = normalize_address(person.town + person.banchi)
    return bool(wanted) and wanted in normalize_address(card_address)


# ---------------------------------------------------------------------------------------------------
# Dates: 西暦 8 digits (19830412), 和暦 7 digits with the 住基 era code (1 明治 2 大正 3 昭和 4 平成
# 5 令和 + YYMMDD: 3580412), or 1983-04-12 / 1983/4/12.
_ERAS: dict[str, tuple[str, int, dt.date, dt.date]] = {
    "1": ("明治", 1867, dt.date(1868, 1, 25), dt.date(1912, 7, 29)),
    "2": ("大正", 1911, dt.date(1912, 7, 30), dt.date(1926, 12, 24)),
    "3": ("昭和", 1925, dt.date(1926, 12, 25), dt.date(1989, 1, 7)),
    "4": ("平成", 1988, dt.date(1989, 1, 8), dt.date(2019, 4, 30)),
    "5": ("令和", 2018, dt.date(2019, 5, 1), dt.date(9999, 12, 31)),
}


def parse_birth_date(text: str, today: dt.date) -> dt.date:
    """A birth date typed at the counter; :class:`RegistryQueryError` in Japanese when it is none."""
    raw = unicodedata.normalize("NFKC", text).strip()
    try:
        if re.fullmatch(r"\d{8}", raw):
            value = dt.date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
        elif re.fullmatch(r"\d{7}", raw):
            era = _ERAS.get(raw[0])
            if era is None:
                raise RegistryQueryError(
                    f"和暦の生年月日「{raw}」の先頭は元号の番号(1 明治・2 大正・3 昭和・4 平成・5 令和)です。"
                )
            label, base, first, last = era
            value = dt.date(base + int(raw[1:3]), int(raw[3:5]), int(raw[5:]))
            if not first <= value <= last:
                raise RegistryQueryError(
                    f"{label}{int(raw[1:3])}年{int(raw[3:5])}月{int(raw[5:])}日はありません。"
                )
        elif m := re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", raw):
            value = dt.date(int(m[1]), int(m[2]), int(m[3]))
        else:
            raise RegistryQueryError(
                f"生年月日「{raw}」を読めません。西暦8桁(19830412)か和暦7桁(3580412 = 昭和58年4月12日)で"
                "入力してください。"
            )
    except ValueError:
        raise RegistryQueryError(f"生年月日「{raw}」は存在しない日付です。") from None
    if value > today or value.year < 1868:
        raise RegistryQueryError(f"生年月日「{raw}」は範囲外です(明治元年から今日まで)。")
    return value


@dataclass(frozen=True)
class NameQuery:
    """Name (spaces ignored) or reading, and birth date: both required."""

    text: str
    reading: bool
    birth_date: dt.date

    def __repr__(self) -> str:
        return f"NameQuery(<redacted>, reading={self.reading})"


@dataclass(frozen=True)
class AtenaQuery:
    atena_no: str

    def __repr__(self) -> str:
        return "AtenaQuery(<redacted>)"


SearchQuery = NameQuery | AtenaQuery


def parse_search(text: str, today: dt.date) -> SearchQuery:
    """One search box: ``山田 太郎 19830412``, ``やまだたろう 3580412`` or a 宛名番号 alone.

    A number alone is a 宛名番号 (with its check digit); a birth date needs a name or reading with
    it and a name needs a birth date: no search lists residents by one condition.
    """
    raw = unicodedata.normalize("NFKC", text).strip()
    if not raw:
        raise RegistryQueryError("氏名かフリガナと生年月日、または宛名番号を入力してください。")
    if any(ch in raw for ch in "%*?_\\"):
        raise RegistryQueryError("検索に記号(% * ? _)は使えません。氏名は全部を入力してください。")
    tokens = raw.split()
    if len(tokens) == 1 and tokens[0].isdigit():
        number = tokens[0]
        if not 2 <= len(number) <= 15 or not valid_check_digit(number):
            raise RegistryQueryError(
                f"宛名番号「{number}」はチェックデジットが合いません。番号を確かめてください"
                "(生年月日で探すときは氏名かフリガナも入力してください)。"
            )
        return AtenaQuery(number)
    dates = [t for t in tokens if re.fullmatch(r"\d{7,8}|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}", t)]
    words = [t for t in tokens if t not in dates]
    if len(dates) != 1 or not words:
        if not words:
            raise RegistryQueryError("生年月日だけでは探せません。氏名かフリガナも入力してください。")
        raise RegistryQueryError(
            "氏名やフリガナだけでは探せません。生年月日(西暦8桁か和暦7桁)を1つ入力してください。"
        )
    name = "".join(words)
    if any(ch.isdigit() for ch in name):
        raise RegistryQueryError("氏名に数字が入っています。氏名と生年月日の間は空白で区切ってください。")
    return NameQuery(name, is_reading(name), parse_birth_date(dates[0], today))


# ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Difference:
    """A detail the card and the registry write differently; the card's is kept."""

    item: str  # 氏名, 生年月日, 性別, 住所
    card: str
    registry: str

    def __repr__(self) -> str:
        return f"Difference({self.item}, <redacted>)"


@dataclass(frozen=True)
class Identity:
    """Who the card (or QR, or the clerk) says the resident is: the four basic details."""

    name: str
    birth_date: dt.date
    address: str | None
    sex: Sex | None = None

    def __repr__(self) -> str:
        return "Identity(<redacted>)"


def differences(identity: Identity, person: RegistryPerson) -> tuple[Difference, ...]:
    out: list[Difference] = []
    if compact(identity.name) != compact(person.name):
        out.append(Difference("氏名", identity.name, person.name))
    if identity.birth_date != person.birth_date:
        out.append(Difference("生年月日", identity.birth_date.isoformat(), person.birth_date.isoformat()))
    if identity.sex is not None and identity.sex is not person.sex:
        out.append(Difference("性別", identity.sex.label_ja, person.sex.label_ja))
    if identity.address is not None and normalize_address(identity.address) != normalize_address(
        person.address
    ):
        out.append(Difference("住所", identity.address, person.address))
    return tuple(out)


def pick_match(identity: Identity, candidates: Sequence[RegistryPerson]) -> RegistryPerson:
    """The one resident the card names: name (異体字 folded) and birth date agree, and the address.

    Refuses (never guesses) when nobody agrees, when the address does not, or when more than one does.
    """
    if identity.address is None or not identity.address.strip():
        raise RegistryNoMatchError("住民記録との照合には住所が必要です。住所を入力してから照会してください。")
    wanted = fold_name(identity.name)
    named = [p for p in candidates if p.birth_date == identity.birth_date and fold_name(p.name) == wanted]
    if not named:
        raise RegistryNoMatchError(
            "住民記録に、氏名と生年月日が一致する方がいません。転入の方は記録がありません。"
            "カードまたは手入力で続けてください。"
        )
    placed = [p for p in named if address_agrees(identity.address, p)]
    if not placed:
        raise RegistryNoMatchError(
            "氏名と生年月日は一致しますが、住所が住民記録と一致しません。別の方の可能性があるため"
            "世帯を取得しません。住所を確かめてください。"
        )
    current = [p for p in placed if p.status is RegistryStatus.RESIDENT] or placed
    if len(current) > 1:
        raise RegistryAmbiguousError(
            f"氏名・生年月日・住所が一致する方が{len(current)}人います。取り違えを防ぐため世帯を取得しません。"
            "宛名番号で照会してください。"
        )
    return current[0]


def household_order(members: Sequence[RegistryPerson]) -> list[RegistryPerson]:
    """世帯主 first, then current residents by birth date, then those no longer registered."""
    return sorted(
        members,
        key=lambda p: (
            p.status is not RegistryStatus.RESIDENT,
            p.relationship is not Relationship.SELF,
            p.birth_date,
            p.atena_no,
        ),
    )
