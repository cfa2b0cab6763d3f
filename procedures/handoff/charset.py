"""Characters a receiver's encoding cannot hold: kept, substituted through the configured map (and
flagged), or refused — never changed silently, never written as "?".

A value is split into clusters: one character with the variation selectors that follow it (an IVS
sequence such as 葛 U+845B U+E0100 is one MJ character). A cluster is written as it is when the
encoding holds it exactly — encoded and decoded back to the same code points, so CP932's one-way
mappings (〜 U+301C is read back as ～ U+FF5E) do not count as holding it — and, for private-use
characters, only when the layout keeps them. Otherwise the map is asked for the whole cluster, then
(``variation_selectors: base``) for its base character alone; a cluster with no substitute makes
:class:`Unmappable`, which stops the row.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal


def is_variation_selector(ch: str) -> bool:
    code = ord(ch)
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


def is_private_use(ch: str) -> bool:
    return unicodedata.category(ch) == "Co"


def clusters(text: str) -> list[str]:
    """Characters with the variation selectors that follow them."""
    result: list[str] = []
    for ch in text:
        if result and is_variation_selector(ch):
            result[-1] += ch
        else:
            result.append(ch)
    return result


def code_points(text: str) -> str:
    return " ".join(f"U+{ord(c):04X}" for c in text)


def holds(text: str, encoding: str) -> bool:
    """Whether ``encoding`` writes ``text`` so that it reads back as the same code points."""
    try:
        return text.encode(encoding).decode(encoding) == text
    except UnicodeError:
        return False


@dataclass(frozen=True, slots=True)
class Substitution:
    position: int  # 1-based position of the cluster in the value
    original: str
    substitute: str

    def describe(self) -> str:
        return f"{self.position}:{code_points(self.original)}>{code_points(self.substitute)}"


@dataclass(frozen=True, slots=True)
class Fitted:
    text: str
    substitutions: tuple[Substitution, ...]


class Unmappable(Exception):
    """A character the encoding cannot hold and the map does not substitute (message in Japanese)."""

    def __init__(self, position: int, original: str, message: str) -> None:
        super().__init__(message)
        self.position = position
        self.original = original
        self.message = message


@dataclass(frozen=True)
class Policy:
    encoding: str
    encoding_label: str
    private_use: Literal["keep", "map"]
    substitutes: Mapping[str, str]
    variation_selectors: Literal["base", "map"]


def fit(text: str, policy: Policy) -> Fitted:
    out: list[str] = []
    subs: list[Substitution] = []
    for position, cluster in enumerate(clusters(text), start=1):
        base = cluster[0]
        if unicodedata.category(base) == "Cc" or is_variation_selector(base):
            raise Unmappable(
                position, cluster, f"{position}文字目に制御文字または単独の異体字セレクタがあります"
            )
        private = any(is_private_use(c) for c in cluster)
        if holds(cluster, policy.encoding) and not (private and policy.private_use == "map"):
            out.append(cluster)
            continue
        substitute = policy.substitutes.get(cluster)
        if substitute is None and len(cluster) > 1 and policy.variation_selectors == "base":
            if holds(base, policy.encoding) and not (is_private_use(base) and policy.private_use == "map"):
                substitute = base
            else:
                substitute = policy.substitutes.get(base)
        if substitute is None:
            what = "外字(私用領域の文字)" if private else f"{policy.encoding_label}にない文字"
            raise Unmappable(
                position,
                cluster,
                f"{position}文字目({code_points(cluster)})は{what}で、置き換えの表にもありません。"
                "紙の届書を見て基幹システムで入力してください",
            )
        out.append(substitute)
        subs.append(Substitution(position, cluster, substitute))
    return Fitted("".join(out), tuple(subs))
