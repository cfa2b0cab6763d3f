"""A postcode at the start of a typed address answer: 「1500001 1-2-3」 → 「東京都渋谷区神宮前1-2-3」.

The questions step's text answers (the new address of a 転居 or 転入) accept the postcode followed by a
space and the 番地, as the member form's address field offers the postcode's town: seven digits and the
番地 instead of the whole address in kana. Only when the postcode names exactly one town; otherwise the
clerk is told to type the town. A text that does not start with a postcode is kept as typed.
"""

from __future__ import annotations

import re
import unicodedata

from counter_app.adapters.postcode import PostcodeDataError, PostcodeNotFoundError
from counter_app.adapters.postcode import lookup as lookup_postcode

_LEADING_POSTCODE = re.compile(r"^〒?\s*(\d{3}-?\d{4})\s+(\S.*)$")


def expand_postcode(text: str) -> tuple[str, str]:
    """``(answer, problem)``: the address with the postcode's town, or the text unchanged; ``problem``
    is the clerk's Japanese line when the postcode cannot be used (then ``answer`` is the text)."""
    typed = unicodedata.normalize("NFKC", text).strip().replace("ー", "-").replace("−", "-")
    match = _LEADING_POSTCODE.match(typed)
    if match is None:
        return text, ""
    try:
        found = lookup_postcode(match[1])
    except (PostcodeNotFoundError, PostcodeDataError) as exc:
        return text, exc.message
    if found is None:
        return text, ""
    if len(found.addresses) != 1:
        towns = len(found.addresses)
        return (
            text,
            f"{found.display} には町域が{towns}つあります。郵便番号の代わりに町域から入力してください",
        )
    return found.addresses[0] + match[2].strip(), ""
