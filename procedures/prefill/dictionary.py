"""The preset compression dictionaries of the pre-fill format ``MDP2:`` (docs/qr-format.md).

A ``MDP2:`` set's content is one byte naming the dictionary, then the document compressed with raw
deflate (RFC 1951) primed with that dictionary: the format's keys, the catalogs' question ids and
choice values, relationships, events, common address words (prefectures, 丁目, 番地, マンション …),
common family names with their readings. A document of a household repeats these; with them already
"seen", deflate refers back into the dictionary instead of spelling them out.

Dictionaries are frozen: a published one never changes (codes made with it must read for years);
a better one gets the next number, and readers keep every earlier one. The bytes are the files in
``procedures/prefill/dictionaries/`` (``mdp2-<n>.txt``, UTF-8), checked against the SHA-256 below.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.resources import files
from typing import Final

CURRENT: Final = 1
"""The dictionary new codes are made with (the resident's page and ``madoguchi qr encode``)."""

SHA256: Final[dict[int, str]] = {
    1: "2f8975147f3296c18c2fceadd9ed21738324fe4a781a61a30bf1b4a465213d0b",
}


@cache
def dictionary(number: int) -> bytes | None:
    """Dictionary ``number``'s bytes, or ``None`` if this Madoguchi does not know it."""
    expected = SHA256.get(number)
    if expected is None:
        return None
    data = files("procedures.prefill").joinpath("dictionaries", f"mdp2-{number}.txt").read_bytes()
    if hashlib.sha256(data).hexdigest() != expected:
        raise RuntimeError(f"pre-fill dictionary {number} differs from the published one")
    return data
