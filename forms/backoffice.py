"""The back-office QR code: the form id and its field values, for staff to key into the core system.

Format (documented in docs/forms.md), version 1::

    MDG1:<Base45( zlib( JSON ) )>

* ``JSON`` is UTF-8, keys sorted, no spaces: ``{"form": "jumin_idou", "page": 1, "pages": 2,
  "values": {"applicant_name": "…", "move_date": "2025-04-01", "members": [{"name": "…"}]}}``.
  Dates are ISO strings, flags booleans, numbers integers; empty values are left out.
* ``zlib`` (RFC 1950, with its Adler-32 checksum) keeps Japanese text small and detects damage.
* Base45 (RFC 9285) keeps the whole payload inside the QR alphanumeric alphabet, so the symbol is
  encoded in alphanumeric mode and no scanner ever guesses a character set.

Every page of a form carries the whole form's values (a scan of any page is enough); ``page`` tells
which sheet was scanned.

When the visit is handed to the back office as data (docs/handoff.md), the document also has
``"handoff": {"batches": ["V20251204-1a2b3c4d-01"], "rows": ["V20251204-1a2b3c4d-01-01", …]}``: the
batch ids of the 届出 on this form and the ids of their rows, so paper and data can be matched.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from forms.base45 import Base45Error, b45decode, b45encode
from forms.errors import QrPayloadError
from forms.qrfast import qr_rows

PREFIX = "MDG1:"
MAX_JSON_BYTES = 1 << 20  # refuse to inflate more than 1 MiB from a scanned code


@dataclass(frozen=True, slots=True)
class BackofficeRecord:
    form_id: str
    page: int
    pages: int
    values: dict[str, Any]
    batch_ids: tuple[str, ...] = ()
    row_ids: tuple[str, ...] = ()

    def __repr__(self) -> str:  # values hold personal data: keep them out of reprs and logs
        return (
            f"BackofficeRecord(form_id={self.form_id!r}, page={self.page}, pages={self.pages}, "
            "values=<redacted>)"
        )


def encode_payload(
    form_id: str,
    values: Mapping[str, Any],
    page: int = 1,
    pages: int = 1,
    handoff: tuple[Sequence[str], Sequence[str]] | None = None,
) -> str:
    """The payload; ``handoff`` is (batch ids, row ids) of the form's hand-off rows, if any."""
    document: dict[str, Any] = {"form": form_id, "page": page, "pages": pages, "values": dict(values)}
    if handoff is not None:
        document["handoff"] = {"batches": list(handoff[0]), "rows": list(handoff[1])}
    raw = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return PREFIX + b45encode(zlib.compress(raw, 9))


def decode_payload(data: bytes | str) -> BackofficeRecord:
    """Parse a scanned payload (bytes from a QR decoder, or text); :class:`QrPayloadError` if not ours."""
    if isinstance(data, bytes):
        try:
            text = data.decode("ascii")
        except UnicodeDecodeError:
            raise QrPayloadError("not ASCII") from None
    else:
        text = data
    text = text.strip()
    if not text.startswith(PREFIX):
        raise QrPayloadError(f"does not start with {PREFIX}")
    try:
        compressed = b45decode(text[len(PREFIX) :])
    except Base45Error as exc:
        raise QrPayloadError(f"Base45: {exc}") from None
    inflater = zlib.decompressobj()
    try:
        raw = inflater.decompress(compressed, MAX_JSON_BYTES)
    except zlib.error as exc:
        raise QrPayloadError(f"zlib: {exc}") from None
    if inflater.unconsumed_tail or not inflater.eof:
        raise QrPayloadError("truncated or too large")
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        # ValueError: malformed JSON, or an integer beyond Python's digit limit; RecursionError: a
        # document nested deeper than the interpreter's recursion limit (both from a hostile code).
        raise QrPayloadError(f"JSON: {type(exc).__name__}") from None
    if not isinstance(document, dict):
        raise QrPayloadError("not a JSON object")
    form_id, page, pages, values = (document.get(k) for k in ("form", "page", "pages", "values"))
    if not isinstance(form_id, str) or not isinstance(values, dict):
        raise QrPayloadError("missing form or values")
    if not isinstance(page, int) or not isinstance(pages, int) or not 1 <= page <= pages:
        raise QrPayloadError("bad page numbers")
    handoff = document.get("handoff", {"batches": [], "rows": []})
    batches, rows = (handoff.get(k) if isinstance(handoff, dict) else None for k in ("batches", "rows"))
    if not isinstance(batches, list) or not isinstance(rows, list) or not _strings(batches + rows):
        raise QrPayloadError("bad hand-off ids")
    return BackofficeRecord(form_id, page, pages, values, tuple(batches), tuple(rows))


def _strings(values: list[Any]) -> bool:
    return all(isinstance(v, str) for v in values)


def qr_matrix(payload: str) -> list[list[bool]]:
    """The modules of the smallest QR code (error correction M) that holds ``payload``; no quiet zone.

    The mask is fixed: any of the eight is valid (ISO/IEC 18004 §7.8), and choosing the "best" one costs
    eight full encodings for no gain on a laser-printed symbol. The symbol comes from
    :func:`forms.qrfast.qr_rows` (segno's symbol, about ten times faster).
    """
    return [[bool(m) for m in row] for row in qr_rows(payload)]
