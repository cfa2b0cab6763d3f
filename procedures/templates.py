"""Reason templates: ``"中学生以下のお子さん({count}人)がいるため"``.

A placeholder is ``{name}``: ``count`` (how many members the procedure concerns), a fact id or a
question id. ``{{`` and ``}}`` are literal braces. Nothing else is interpreted — no attribute
access, no format specs — so a catalog cannot reach into the program.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

_TOKEN = re.compile(r"\{\{|\}\}|\{([a-z][a-z0-9_]*)\}|[{}]")


class TemplateSyntaxError(ValueError):
    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def placeholders(template: str) -> Iterator[str]:
    """The names used by ``template``; :class:`TemplateSyntaxError` for a stray brace."""
    for match in _TOKEN.finditer(template):
        token = match.group(0)
        if match.group(1):
            yield match.group(1)
        elif token in ("{", "}"):
            raise TemplateSyntaxError(
                "「{」「}」は {名前} の形で使ってください(文字としての括弧は {{ }} と書きます)"
            )


def render(template: str, value_of: Callable[[str], str]) -> str:
    def replace(match: re.Match[str]) -> str:
        piece = match.group(0)
        if match.group(1):
            return value_of(match.group(1))
        return {"{{": "{", "}}": "}"}.get(piece, piece)

    return _TOKEN.sub(replace, template)
