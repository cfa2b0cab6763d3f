"""Field values: what callers hand to a form, checked against the vocabulary and formatted for print.

Values are plain data: ``{"applicant_name": "髙﨑　𠮷子", "move_date": date(2025, 4, 1),
"members": [{"name": ..., "birth_date": "1980-02-17"}, ...]}``. Dates may be ``datetime.date`` or
ISO strings, numbers ``int`` or digit strings; ``None`` or a missing key leaves the box empty.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from forms.errors import FieldValueError
from forms.layout import DateFormat
from forms.vocabulary import FIELDS, GROUPS, FieldKind, FieldSpec
from forms.wareki import format_seireki, format_wareki, format_wareki_short, format_wareki_year_month

Scalar = str | int | bool | dt.date | None
Row = Mapping[str, Scalar]
FieldValue = Scalar | Sequence[Row]
FormValues = Mapping[str, FieldValue]

Clean = str | int | bool | dt.date


@dataclass(frozen=True, slots=True)
class CheckedValues:
    """Values after checking: scalars by name, and rows by group name (``None`` values dropped)."""

    scalars: dict[str, Clean] = field(default_factory=dict)
    groups: dict[str, list[dict[str, Clean]]] = field(default_factory=dict)

    def get(self, name: str, group: str | None = None, index: int | None = None) -> Clean | None:
        if group is None:
            return self.scalars.get(name)
        rows = self.groups.get(group, [])
        if index is None or index >= len(rows):
            return None
        return rows[index].get(name)

    def row_count(self, group: str) -> int:
        return len(self.groups.get(group, []))


def _check_text(form_id: str, key: str, value: str) -> str:
    for ch in value:
        if ch != "\n" and unicodedata.category(ch) in ("Cc", "Cs"):
            raise FieldValueError(form_id, key, f"印刷できない文字 U+{ord(ch):04X} が含まれています")
    return value


def check_scalar(form_id: str, key: str, spec: FieldSpec, value: Scalar) -> Clean | None:
    """``value`` checked against ``spec`` (converted: ISO string → date, digits → int)."""
    if value is None:
        return None
    match spec.kind:
        case FieldKind.TEXT:
            if not isinstance(value, str):
                raise FieldValueError(form_id, key, "文字列ではありません")
            return _check_text(form_id, key, value) if value else None
        case FieldKind.DATE:
            if isinstance(value, dt.datetime):
                return value.date()
            if isinstance(value, dt.date):
                return value
            if isinstance(value, str):
                try:
                    return dt.date.fromisoformat(value)
                except ValueError:
                    raise FieldValueError(form_id, key, "日付(YYYY-MM-DD)ではありません") from None
            raise FieldValueError(form_id, key, "日付ではありません")
        case FieldKind.CHOICE:
            if not isinstance(value, str) or value not in spec.options:
                raise FieldValueError(form_id, key, f"選択肢({'・'.join(spec.options)})のどれでもありません")
            return value
        case FieldKind.FLAG:
            if not isinstance(value, bool):
                raise FieldValueError(form_id, key, "真偽値(true/false)ではありません")
            return value
        case FieldKind.NUMBER:
            if isinstance(value, bool):
                raise FieldValueError(form_id, key, "数ではありません")
            if isinstance(value, str) and value.isascii() and value.isdigit():
                return int(value)
            if isinstance(value, int) and value >= 0:
                return value
            raise FieldValueError(form_id, key, "0以上の整数ではありません")
    raise AssertionError(spec.kind)  # pragma: no cover


def check_values(form_id: str, values: FormValues) -> CheckedValues:
    """Check every value against the vocabulary: unknown names and wrong types are errors."""
    checked = CheckedValues()
    for key, value in values.items():
        if key in GROUPS:
            if value is None:
                continue
            if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
                raise FieldValueError(form_id, key, "行(世帯員ごとの値)の一覧ではありません")
            item_specs = GROUPS[key]
            rows: list[dict[str, Clean]] = []
            for index, row in enumerate(value):
                if not isinstance(row, Mapping):
                    raise FieldValueError(form_id, f"{key}[{index}]", "行が辞書ではありません")
                clean_row: dict[str, Clean] = {}
                for item, item_value in row.items():
                    spec = item_specs.get(item)
                    if spec is None:
                        raise FieldValueError(form_id, f"{key}[{index}].{item}", "知らない項目名です")
                    checked_value = check_scalar(form_id, f"{key}[{index}].{item}", spec, item_value)
                    if checked_value is not None:
                        clean_row[item] = checked_value
                rows.append(clean_row)
            checked.groups[key] = rows
            continue
        spec = FIELDS.get(key)
        if spec is None:
            raise FieldValueError(form_id, key, "知らない項目名です")
        if isinstance(value, Sequence) and not isinstance(value, str):
            raise FieldValueError(form_id, key, "1つの値ではありません")
        clean = check_scalar(form_id, key, spec, value)
        if clean is not None:
            checked.scalars[key] = clean
    return checked


def display(spec: FieldSpec, value: Clean, fmt: DateFormat | None = None, suffix: str = "") -> str:
    """The text printed for ``value``: dates in 和暦 by default, numbers with their suffix."""
    if spec.kind is FieldKind.DATE and isinstance(value, dt.date):
        match fmt or DateFormat.WAREKI:
            case DateFormat.WAREKI:
                return format_wareki(value)
            case DateFormat.WAREKI_YM:
                return format_wareki_year_month(value)
            case DateFormat.WAREKI_SHORT:
                return format_wareki_short(value)
            case DateFormat.SEIREKI:
                return format_seireki(value)
            case DateFormat.ISO:
                return value.isoformat()
    if spec.kind is FieldKind.NUMBER:
        return f"{value}{suffix}"
    if isinstance(value, bool):
        return "✓" if value else ""
    return f"{value}{suffix}"


def json_value(value: Clean) -> str | int | bool:
    """A value as it travels in the back-office QR code (dates as ISO strings)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
