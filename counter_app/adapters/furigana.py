"""A furigana suggestion for a name read from a card (the card has none).

Only a suggestion: the clerk confirms with the resident and accepts or types it. Readings come from
the UniDic morphological dictionary through fugashi (MeCab); variant characters of the resident
register (髙, 﨑, 𠮷, 邉 …) are mapped to their common forms first, because the dictionary knows names
by those. Returns ``None`` when any part has no reading, rather than a wrong half-suggestion.
"""

from __future__ import annotations

import functools
import logging
import unicodedata
from typing import Any

log = logging.getLogger(__name__)

# 異体字 → 通用字 for reading purposes only (the name itself is never changed).
VARIANTS = str.maketrans(
    {
        "髙": "高",
        "﨑": "崎",
        "𠮷": "吉",
        "邉": "辺",
        "邊": "辺",
        "齋": "斎",
        "齊": "斉",
        "澤": "沢",
        "濱": "浜",
        "廣": "広",
        "嶋": "島",
        "櫻": "桜",
        "德": "徳",
        "惠": "恵",
        "瀨": "瀬",
        "眞": "真",
        "國": "国",
        "冨": "富",
        "槇": "槙",
        "榮": "栄",
        "藏": "蔵",
        "實": "実",
        "曾": "曽",
        "會": "会",
        "圓": "円",
        "當": "当",
        "靜": "静",
        "龜": "亀",
        "壽": "寿",
        "與": "与",
        "禮": "礼",
    }
)


@functools.cache
def _tagger() -> Any | None:
    try:
        import fugashi

        return fugashi.Tagger()
    except Exception as exc:  # the dictionary is optional at run time
        log.warning("furigana suggestions unavailable: %s", type(exc).__name__)
        return None


def prepare() -> bool:
    """Load the dictionary now (start-up's worker, after the window shows) rather than at the first
    name typed or read; whether suggestions are available."""
    return _tagger() is not None


def _to_katakana(text: str) -> str:
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in text)


def suggest_furigana(name: str) -> str | None:
    """Katakana reading of ``name`` with the family/given split kept (U+3000), or None."""
    tagger = _tagger()
    if tagger is None or not name.strip():
        return None
    parts = []
    for part in unicodedata.normalize("NFC", name).translate(VARIANTS).split("\u3000"):
        reading = ""
        for word in tagger(part.strip()):
            kana = getattr(word.feature, "kana", None)
            surface = str(word.surface)
            if kana and kana != "*":
                reading += str(kana)
            elif all("ぁ" <= c <= "ヶ" or c == "ー" for c in surface):
                reading += _to_katakana(surface)
            else:
                return None
        parts.append(_to_katakana(reading))
    return "\u3000".join(parts)
