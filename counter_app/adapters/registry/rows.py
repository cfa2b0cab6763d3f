"""One row of the registry (a view's row or a line of the extract) as a :class:`RegistryPerson`.

Every item is checked; a wrong one is a :class:`RegistryDataError` naming the file (or view), the line
(or 宛名番号) and the item in Japanese, so the ward's IT can fix the export.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping

from counter_app.adapters.registry.model import (
    REQUIRED_ITEMS,
    RegistryDataError,
    RegistryPerson,
    RegistryStatus,
    compact,
    parse_sex,
    to_katakana,
    valid_check_digit,
    valid_juminhyo_code,
)

MAX_TEXT = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_KANA = re.compile(r"[\u30a1-\u30fa\u30fc\u30fb\s\u3000A-Za-z.,'\-]+")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return unicodedata.normalize("NFC", str(value)).strip()


def parse_date_item(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = unicodedata.normalize("NFKC", _text(value))
    match = re.fullmatch(r"(\d{4})[-/]?(\d{1,2})[-/]?(\d{1,2})", text)
    if match is None:
        raise ValueError(f"生年月日「{text}」は YYYY-MM-DD か YYYYMMDD で書いてください")
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise ValueError(f"生年月日「{text}」は存在しない日付です") from None


def _number(value: str, item: str, *, check: bool) -> str:
    text = unicodedata.normalize("NFKC", value)
    if not text.isascii() or not text.isdigit() or not 2 <= len(text) <= 15:
        raise ValueError(f"{item}「{text}」は2〜15桁の数字です")
    if check and not valid_check_digit(text):
        raise ValueError(f"{item}「{text}」のチェックデジット(末尾の1桁)が合いません")
    return text


def person_from_row(values: Mapping[str, object], file: str, line: int | None) -> RegistryPerson:
    """The resident of one row (keys: 基本データリストの項目名)."""
    item = ""
    texts = {key: _text(value) for key, value in values.items()}
    get = texts.get
    try:
        for item in REQUIRED_ITEMS:
            if not get(item):
                raise ValueError(f"必須の項目「{item}」が空です")
        for item, text in texts.items():
            if len(text) > MAX_TEXT or _CONTROL.search(text):
                raise ValueError(f"「{item}」が長すぎるか、改行などの制御文字を含みます")
        item = "宛名番号"
        atena = _number(texts[item], item, check=True)
        item = "世帯番号"
        household = _number(texts[item], item, check=True)
        item = "住民票コード"
        code = unicodedata.normalize("NFKC", get(item, "")) or None
        if code is not None and not valid_juminhyo_code(code):
            raise ValueError(f"住民票コード「{code}」は11桁で、末尾のチェックデジットが合う番号です")
        item = "生年月日"
        birth = parse_date_item(values[item])
        item = "性別"
        sex = parse_sex(texts[item])
        item = "住民状態"
        status = RegistryStatus.parse(texts[item])
        item = "住民種別"
        kind = unicodedata.normalize("NFKC", get(item, "")) or "1"
        if kind not in ("1", "2", "日本人", "外国人"):
            raise ValueError(f"住民種別「{kind}」は 1(日本人)か 2(外国人)です")
        item = "氏名_フリガナ"
        kana = get(item) or None
        if kana is not None and not _KANA.fullmatch(to_katakana(kana)):
            raise ValueError(f"フリガナ「{kana}」はカタカナで書いてください")
    except (ValueError, KeyError) as exc:
        problem = str(exc) if isinstance(exc, ValueError) else f"必須の項目「{item}」がありません"
        raise RegistryDataError(file, line, problem) from None
    return RegistryPerson(
        atena_no=atena,
        household_no=household,
        name=texts["氏名"],
        birth_date=birth,
        sex=sex,
        relationship_label=compact(texts["続柄"]),
        status=status,
        town=texts["住所_町字"],
        juminhyo_code=code,
        kana=kana,
        foreign=kind in ("2", "外国人"),
        prefecture=get("住所_都道府県", ""),
        city=get("住所_市区郡町村名", ""),
        banchi=get("住所_番地号表記", ""),
        katagaki=get("住所_方書", ""),
        honseki=get("本籍") or None,
        hittosha=get("筆頭者") or None,
    )
