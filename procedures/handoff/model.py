"""The typed schema of hand-off layouts and substitution maps (pydantic v2), as a municipality writes them.

A catalog folder may hold ``handoff/*.yaml``: each file is one **layout** — what one receiving system
(the 住民記録 vendor's CSV import, a welfare system …) reads — and ``handoff/maps/*.yaml`` the
**substitution maps** a layout names. 住民記録システム標準仕様書 10.8 lists the four kinds of CSV a
standard 住民記録 system imports but fixes no column layout, so every column, header, code table, date
style, encoding and the handling of characters the encoding lacks is data here, never code.

Cross-references (procedure and question ids of the catalog, the map file, a flag's column) are checked
by :mod:`procedures.handoff.load`, not here.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from procedures.schema import Ident

LAYOUT_FORMAT = "madoguchi-handoff/1"
MAP_FORMAT = "madoguchi-substitutes/1"

KindId = Literal["tenshutsu_shoumei", "idou", "shoumei", "card", "application"]
"""The four CSV kinds of 住民記録システム標準仕様書 10.8 and the generic ``application`` kind."""

KIND_LABELS: dict[str, str] = {
    "tenshutsu_shoumei": "転出証明書データ",
    "idou": "住民異動届データ",
    "shoumei": "証明書交付申請書データ",
    "card": "個人番号カード券面事項",
    "application": "申請書データ(その他の手続)",
}

Encoding = Literal["utf-8", "cp932", "shift_jis_2004"]
ENCODING_LABELS: dict[str, str] = {
    "utf-8": "UTF-8",
    "cp932": "Shift_JIS(CP932)",
    "shift_jis_2004": "Shift_JIS-2004(JIS X 0213)",
}

# What a column can take its value from. ``answer:<question id>`` (a household answer) and
# ``member_answer:<question id>`` (the person's answer) name questions of the catalog.
SOURCES: dict[str, str] = {
    "batch.id": "一括番号(届出ごと)",
    "batch.procedures": "この届出の手続 id",
    "batch.procedure_names": "この届出の手続名",
    "batch.forms": "この届出の様式 id",
    "visit.id": "来庁の番号",
    "visit.procedures": "来庁で必要になったすべての手続 id",
    "row.id": "行番号",
    "row.number": "届出の中での行の順番",
    "row.out_of_range": "置き換えた文字があるか(1/0)",
    "row.substitutions": "置き換えた文字の一覧(U+コード)",
    "notification.date": "届出日",
    "notification.event_date": "異動日",
    "notification.reason": "異動事由",
    "notification.event": "届出の種類(カタログの id)",
    "person.number": "世帯員の番号(来庁データの順)",
    "person.name": "氏名",
    "person.furigana": "氏名フリガナ",
    "person.birth_date": "生年月日",
    "person.sex": "性別",
    "person.relationship": "続柄",
    "person.is_householder": "世帯主か(1/0)",
    "person.address": "住所(カード・入力のとおり)",
    "person.source": "4情報の読み取り元(card/qr/typed)",
    "person.atena_number": "宛名番号",
    "person.setai_number": "世帯番号",
    "person.address_code": "住所コード",
    "householder.name": "世帯主の氏名",
    "applicant.name": "届出人の氏名",
    "applicant.relationship": "届出人の続柄",
}
DATE_SOURCES = frozenset({"notification.date", "notification.event_date", "person.birth_date"})
TEXT_SOURCES = frozenset(
    {
        "batch.procedure_names",
        "person.name",
        "person.furigana",
        "person.address",
        "householder.name",
        "applicant.name",
    }
)
CHECKS: dict[str, str] = {
    "modulus11": "末尾がチェックデジット(モジュラス11・ウェイト2〜7)の番号",
    "address_code": "住所コード(数字11桁)",
    "katakana": "全角カタカナ",
    "digits": "数字だけ",
}

_ANSWER = re.compile(r"^(answer|member_answer):[a-z][a-z0-9_]*$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Column(_Model):
    id: Ident
    header: str = Field(min_length=1, max_length=100)
    source: str | None = None
    value: str | None = None
    """A fixed text written in every row (a vendor's record type, a municipality code …)."""
    flag_of: Ident | None = None
    """The id of another column of this kind: ``1`` when a character of that column was substituted."""
    codes: Ident | None = None
    """A code table of the layout that turns the label (続柄, 異動事由, 性別) into the receiver's code."""
    date: Literal["wareki", "seireki"] | None = None
    check: Literal["modulus11", "address_code", "katakana", "digits"] | None = None
    required: bool = False
    """An empty value stops the row (with a message for the back office) instead of an empty cell."""

    @field_validator("source")
    @classmethod
    def _source(cls, source: str | None) -> str | None:
        if source is None or source in SOURCES or _ANSWER.match(source):
            return source
        raise ValueError(
            f"source「{source}」は使えません(使える値: {', '.join(SOURCES)}、"
            "answer:質問id、member_answer:質問id)"
        )

    @model_validator(mode="after")
    def _one_origin(self) -> Column:
        given = [k for k in ("source", "value", "flag_of") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("source・value・flag_of のどれか1つだけを書いてください")
        if self.date is not None and self.source not in DATE_SOURCES and not self._is_answer():
            raise ValueError("date は日付の項目(届出日・異動日・生年月日・日付の質問)にだけ書けます")
        return self

    def _is_answer(self) -> bool:
        return self.source is not None and self.source.startswith(("answer:", "member_answer:"))


class Kind(_Model):
    kind: KindId
    file: str = Field(min_length=1, max_length=120, pattern=r"^[A-Za-z0-9_.{}\-]+\.csv$")
    """File name of the day's CSV; ``{date}`` becomes YYYYMMDD, ``{layout}`` the layout id."""
    procedures: list[Ident] | Literal["*"]
    """Procedures of the catalog whose printed form makes rows of this kind; ``"*"`` (application kind
    only): every other procedure whose form was printed and that no other kind of this layout takes."""
    columns: list[Column] = Field(min_length=1, max_length=300)
    staying: list[Ident] = []
    """Household procedures of this kind whose persons are the members the event does *not* concern
    (世帯主変更 after a death or a move out: the household that stays)."""


class ReasonRule(_Model):
    """異動事由 of a batch: the first rule whose procedure, event and yes/no household answer match."""

    procedure: Ident | None = None
    event: Ident | None = None
    answer: Ident | None = None
    label: str = Field(min_length=1)

    @model_validator(mode="after")
    def _something(self) -> ReasonRule:
        if self.procedure is None and self.event is None:
            raise ValueError("procedure か event を書いてください")
        return self


class Layout(_Model):
    format: Literal["madoguchi-handoff/1"]
    id: Ident
    name: str = Field(min_length=1)
    receiver: str = Field(min_length=1)
    encoding: Encoding
    bom: bool = False
    line_ending: Literal["lf", "crlf"] = "crlf"
    header: bool = True
    quoting: Literal["minimal", "all"] = "minimal"
    date_style: Literal["wareki", "seireki"] = "wareki"
    wareki_format: Literal["kanji", "alpha"] = "kanji"
    seireki_format: Literal["iso", "slash", "compact"] = "iso"
    private_use: Literal["keep", "map"] = "map"
    """Private-use characters (a municipality's 外字, MJ+ GJ characters): written as they are
    (``keep``: the receiver shares the 外字 registry) or only through the substitution map (``map``)."""
    substitution_map: str | None = Field(default=None, pattern=r"^maps/[A-Za-z0-9_\-]+\.yaml$")
    modulus11_remainder_one: Literal["zero", "invalid"] = "invalid"
    """What the check digit is when the weighted sum leaves 1 (the standard says only that 0 gives 0)."""
    code_tables: dict[Ident, dict[str, str]] = {}
    reasons: list[ReasonRule] = []
    kinds: list[Kind] = Field(min_length=1)


def _code_point_text(raw: str) -> str:
    """``U+845B U+E0100`` → the characters; any other text is taken as it is."""
    parts = raw.split()
    if parts and all(re.fullmatch(r"U\+[0-9A-Fa-f]{4,6}", p) for p in parts):
        try:
            return "".join(chr(int(p[2:], 16)) for p in parts)
        except (ValueError, OverflowError):
            raise ValueError(f"「{raw}」は文字のコードとして正しくありません") from None
    return raw


class Substitute(_Model):
    from_: Annotated[str, Field(alias="from", min_length=1, max_length=40)]
    to: str = Field(min_length=1, max_length=10)
    note: str = ""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @field_validator("from_", "to", mode="after")
    @classmethod
    def _chars(cls, raw: str) -> str:
        return _code_point_text(raw)


class SubstitutionMap(_Model):
    format: Literal["madoguchi-substitutes/1"]
    name: str = Field(min_length=1)
    basis: str = Field(min_length=1)
    """Where the substitutes come from (文字情報基盤 縮退マップ, the municipality's 外字 register …)."""
    variation_selectors: Literal["base", "map"] = "map"
    """An IVS sequence (MJ variant) whose base character fits the encoding: written as its base
    character and flagged (``base``), or only through an entry of this map (``map``)."""
    characters: list[Substitute] = []
