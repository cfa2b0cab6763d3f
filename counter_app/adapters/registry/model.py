"""The resident registry's values: items (基本データリスト names), a resident, statuses, errors, check
digits and the spelling rules of names and readings.

Shared by the port (``counter_app.workflow.registry``, which re-exports all of this) and the adapters
(SQL view, nightly CSV extract), so every source reads a row the same way. Pure Python.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
import re
import unicodedata
from dataclasses import dataclass

from procedures.visit import Relationship, Sex

MAX_RESULTS = 50  # a search shows at most this many residents (identify, never extract)
MAX_HOUSEHOLD = 60  # members fetched for one 世帯番号 (the visit itself takes at most 30)
MAX_NAME_VARIANTS = 32

# ---------------------------------------------------------------------------------------------------
# Items (基本データリスト names). The keys are what the app asks for; each is a column of the view or
# of the nightly extract, under the ward's own name when registry.yaml maps it.
ITEMS: dict[str, str] = {
    "宛名番号": "atena_no",
    "世帯番号": "household_no",
    "住民票コード": "juminhyo_code",
    "氏名": "name",
    "氏名_フリガナ": "kana",
    "生年月日": "birth_date",
    "性別": "sex",
    "続柄": "relationship",
    "住民状態": "status",
    "住民種別": "kind",
    "住所_都道府県": "prefecture",
    "住所_市区郡町村名": "city",
    "住所_町字": "town",
    "住所_番地号表記": "banchi",
    "住所_方書": "katagaki",
    "本籍": "honseki",
    "筆頭者": "hittosha",
}
REQUIRED_ITEMS = ("宛名番号", "世帯番号", "氏名", "生年月日", "性別", "続柄", "住民状態", "住所_町字")
# Never an item, in any spelling: a view or extract that carries one is refused.
FORBIDDEN_ITEMS = ("個人番号", "マイナンバー", "kojin_bango", "my_number", "mynumber")


# ---------------------------------------------------------------------------------------------------
# Errors: each carries the Japanese line the clerk reads (``message``) and a short code for the audit.
class RegistryError(Exception):
    code = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RegistryUnavailableError(RegistryError):
    """The registry cannot be reached (server down, no extract loaded, index unreadable)."""

    code = "unavailable"

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message
            or "住民記録システムに接続できません。受付はこのまま続けられます(カードまたは手入力で"
            "世帯員を入力してください)。続くときはシステム担当に連絡してください。"
        )


class RegistryQueryError(RegistryError):
    """What the clerk typed is not a search the registry answers."""

    code = "bad_query"


class RegistryNoMatchError(RegistryError):
    code = "no_match"


class RegistryAmbiguousError(RegistryError):
    code = "ambiguous"


class RegistryRateLimitedError(RegistryError):
    code = "rate_limited"


class RegistryDataError(RegistryError):
    """A row of the extract or a line of registry.yaml is wrong: ``file:line: message``."""

    code = "bad_data"

    def __init__(self, file: str, line: int | None, problem: str) -> None:
        self.file, self.line, self.problem = file, line, problem
        where = f"{file}:{line}" if line is not None else file
        super().__init__(f"{where}: {problem}")


# ---------------------------------------------------------------------------------------------------
class RegistryStatus(enum.Enum):
    """住民状態 (住民記録システム標準仕様書: 1 住民, 2 転出者, 3 死亡者, 9 その他消除者)."""

    RESIDENT = "1"
    MOVED_OUT = "2"
    DECEASED = "3"
    REMOVED = "9"

    @property
    def badge(self) -> str:
        """The strong badge shown beside a resident who is no longer registered here ("" if resident)."""
        return {
            RegistryStatus.RESIDENT: "",
            RegistryStatus.MOVED_OUT: "転出",
            RegistryStatus.DECEASED: "死亡",
            RegistryStatus.REMOVED: "消除",
        }[self]

    @classmethod
    def parse(cls, value: str) -> RegistryStatus:
        text = unicodedata.normalize("NFKC", value).strip()
        for status in cls:
            if text in (status.value, status.badge, status.badge + "者", f"0{status.value}"):
                return status
        if text in ("住民", "住登", "在住"):
            return cls.RESIDENT
        if text == "その他消除者":
            return cls.REMOVED
        raise ValueError(
            f"住民状態「{value}」は 1(住民)・2(転出者)・3(死亡者)・9(その他消除者)のいずれかです"
        )


def parse_sex(value: str) -> Sex:
    text = unicodedata.normalize("NFKC", value).strip()
    if text in ("1", "男", "男性"):
        return Sex.MALE
    if text in ("2", "女", "女性"):
        return Sex.FEMALE
    raise ValueError(f"性別「{value}」は 1(男)か 2(女)です")


_RELATIONSHIP_WORDS: tuple[tuple[tuple[str, ...], Relationship], ...] = (
    (("世帯主", "本人"), Relationship.SELF),
    (("妻", "夫", "妻(未届)", "夫(未届)", "妻（未届）", "夫（未届）"), Relationship.SPOUSE),
    (("子", "長男", "長女", "二男", "次男", "二女", "次女", "三男", "三女", "養子", "養女",
      "妻の子", "夫の子"), Relationship.CHILD),
    (("父", "母", "養父", "養母"), Relationship.PARENT),
    (("妻の父", "妻の母", "夫の父", "夫の母"), Relationship.SPOUSE_PARENT),
    (("祖父", "祖母", "父の父", "父の母", "母の父", "母の母"), Relationship.GRANDPARENT),
    (("孫", "子の子"), Relationship.GRANDCHILD),
    (("兄", "弟", "姉", "妹"), Relationship.SIBLING),
    (("子の妻", "子の夫"), Relationship.CHILD_SPOUSE),
    (("同居人",), Relationship.UNRELATED),
)  # fmt: skip


def relationship_of(label: str) -> Relationship:
    """The visit's relationship for a 住民票 続柄 (``子``, ``妻``, ``妻の母`` …); any other relative's
    label (``兄の子``, ``縁故者``) is ``other_relative``."""
    text = label.strip().replace(" ", "").replace("　", "")
    for words, relationship in _RELATIONSHIP_WORDS:
        if text in words:
            return relationship
    return Relationship.OTHER_RELATIVE


# ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RegistryPerson:
    """One resident as the registry holds them (only the items the counter needs)."""

    atena_no: str
    household_no: str
    name: str
    birth_date: dt.date
    sex: Sex
    relationship_label: str
    status: RegistryStatus
    town: str
    juminhyo_code: str | None = None
    kana: str | None = None
    foreign: bool = False
    prefecture: str = ""
    city: str = ""
    banchi: str = ""
    katagaki: str = ""
    honseki: str | None = None
    hittosha: str | None = None

    def __repr__(self) -> str:  # personal data must never reach a log through a repr
        return f"RegistryPerson(<redacted>, status={self.status.name})"

    __str__ = __repr__

    @property
    def relationship(self) -> Relationship:
        return relationship_of(self.relationship_label)

    @property
    def address(self) -> str:
        """The full address as printed on a 住民票 (方書 after a space)."""
        main = f"{self.prefecture}{self.city}{self.town}{self.banchi}"
        return f"{main} {self.katagaki}" if self.katagaki else main

    @property
    def furigana(self) -> str | None:
        return self.kana


# ---------------------------------------------------------------------------------------------------
# Check digits: 住民記録システム標準仕様書 (宛名番号・世帯番号) and 住民票コード (住民基本台帳法施行規則 /
# 総務省告示): modulus 11, weights 2, 3, 4, 5, 6, 7, 2, 3 … from the rightmost digit of the body,
# check digit 11 − (sum mod 11), and 0 when that is 10 or 11.
def mod11_check_digit(body: str) -> int:
    if not body.isascii() or not body.isdigit():
        raise ValueError("digits only")
    total = sum(int(digit) * (2 + i % 6) for i, digit in enumerate(reversed(body)))
    check = 11 - total % 11
    return 0 if check >= 10 else check


def valid_check_digit(number: str) -> bool:
    return (
        len(number) >= 2
        and number.isascii()
        and number.isdigit()
        and (mod11_check_digit(number[:-1]) == int(number[-1]))
    )


def valid_juminhyo_code(code: str) -> bool:
    """住民票コード: 11 digits, the last a modulus-11 check digit."""
    return len(code) == 11 and valid_check_digit(code)


# ---------------------------------------------------------------------------------------------------
# Names and readings.
_SPACES = re.compile(r"[\s\u3000]+")
# 異体字 a card and the registry may spell differently (the registry's own 外字 or the card's MJ
# character): compared as equal, and shown to the clerk as a difference. Each tuple is one class.
_VARIANTS: tuple[str, ...] = (
    "高髙", "崎﨑嵜碕", "辺邊邉", "斎齋齊斉", "沢澤", "浜濱", "桜櫻", "広廣", "国國", "竜龍", "島嶋嶌",
    "吉𠮷", "瀬瀨", "徳德", "富冨", "槙槇", "塚塚", "隆隆", "淵渕", "藤籐", "恵惠", "真眞", "実實",
    "条條", "会會", "関關", "栄榮", "礼禮", "琢琢", "朗朗",
)  # fmt: skip
_CLASS_OF: dict[str, str] = {ch: group for group in _VARIANTS for ch in group}
_FOLD: dict[str, str] = {ch: group[0] for group in _VARIANTS for ch in group}


def compact(text: str) -> str:
    """Spaces (half- and full-width) removed; nothing else changed."""
    return _SPACES.sub("", text)


def fold_name(text: str) -> str:
    """Spaces removed, compatibility forms unified (NFKC) and 異体字 folded: equal for the same name."""
    folded = unicodedata.normalize("NFKC", compact(text))
    return "".join(_FOLD.get(ch, ch) for ch in folded)


def name_variants(name: str) -> list[str]:
    """The spellings of ``name`` (spaces removed) the registry may hold: as given, NFKC, and with
    each 異体字 of the table in each form; at most :data:`MAX_NAME_VARIANTS`."""
    base = compact(name)
    seeds = dict.fromkeys([base, unicodedata.normalize("NFKC", base)])
    out: dict[str, None] = {}
    for seed in seeds:
        choices = [_CLASS_OF.get(ch, ch) for ch in seed]
        for combo in itertools.islice(itertools.product(*choices), MAX_NAME_VARIANTS):
            out["".join(combo)] = None
    return list(out)[:MAX_NAME_VARIANTS]


_HIRAGANA = re.compile(r"[\u3041-\u3096]")
_KANA_ONLY = re.compile(r"^[\u3041-\u3096\u30a1-\u30fa\u30fc\u30fb\u309b\u309c]+$")


def to_katakana(text: str) -> str:
    """A reading as the registry keeps it (フリガナ in full-width katakana, no spaces): hiragana and
    half-width katakana accepted."""
    text = unicodedata.normalize("NFKC", compact(text))
    return _HIRAGANA.sub(lambda m: chr(ord(m.group()) + 0x60), text)


def is_reading(text: str) -> bool:
    return bool(_KANA_ONLY.match(unicodedata.normalize("NFKC", compact(text))))
