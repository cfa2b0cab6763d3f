"""JSON from outside (a visit file, a resident's QR code) read with limits set before parsing.

Python's :func:`json.loads` has two ways to fail that are not :class:`json.JSONDecodeError`: a
document nested deeper than the interpreter's recursion limit raises :class:`RecursionError`
(``[[[[…`` 120,000 deep fits in a QR set's 256 kB), and an integer of more than 4,300 digits raises
:class:`ValueError` (``sys.set_int_max_str_digits``) after the digits were read. Here the nesting is
counted first, in one pass that skips strings, and numbers are limited in length; every failure is a
:class:`JsonLimitError` or a :class:`json.JSONDecodeError`, both :class:`ValueError`.
"""

from __future__ import annotations

import json
import re
from typing import Any, Final

MAX_DEPTH: Final = 32
"""Nesting of arrays and objects (a visit needs 4: document → visit → members → member → answers)."""
MAX_NUMBER_CHARS: Final = 40
"""Characters of one number literal (a year, a count, a yen amount need far fewer)."""

# A string ends at its closing quote, or (unterminated) at the end of the text: every match consumes
# what it starts, so the scan stays linear whatever the text (no retry from each later quote).
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*+(?:"|\\?\Z)|[\[\]{}]', re.DOTALL)


class JsonLimitError(ValueError):
    """The text is nested too deeply or holds a number too long; ``reason`` says which (English, for
    logs; callers give the Japanese line)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def nesting_depth(text: str) -> int:
    """The deepest nesting of ``[`` / ``{`` outside strings (an unbalanced text is the JSON parser's
    business)."""
    depth = deepest = 0
    for match in _TOKENS.finditer(text):
        found = match.group()
        if found in ("[", "{"):
            depth += 1
            deepest = max(deepest, depth)
        elif found in ("]", "}"):
            depth = max(0, depth - 1)
    return deepest


def _number(parse: type[int] | type[float]) -> Any:
    def convert(literal: str) -> int | float:
        if len(literal) > MAX_NUMBER_CHARS:
            raise JsonLimitError(f"a number of {len(literal)} characters")
        return parse(literal)

    return convert


def _constant(name: str) -> Any:
    raise JsonLimitError(f"{name} is not JSON")


def loads(text: str | bytes, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads`` with the nesting and number limits; ``NaN`` / ``Infinity`` refused. Raises
    :class:`JsonLimitError`, :class:`json.JSONDecodeError` or :class:`UnicodeDecodeError` (bytes that
    are not UTF-8)."""
    if isinstance(text, bytes | bytearray):
        text = bytes(text).decode("utf-8")
    if nesting_depth(text) > max_depth:
        raise JsonLimitError(f"nested more than {max_depth} levels")
    return json.loads(text, parse_int=_number(int), parse_float=_number(float), parse_constant=_constant)
