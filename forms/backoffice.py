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
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Mapping
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

    def __repr__(self) -> str:  # values hold personal data: keep them out of reprs and logs
        return (
            f"BackofficeRecord(form_id={self.form_id!r}, page={self.page}, pages={self.pages}, "
            "values=<redacted>)"
        )


def encode_payload(form_id: str, values: Mapping[str, Any], page: int = 1, pages: int = 1) -> str:
    document = {"form": form_id, "page": page, "pages": pages, "values": dict(values)}
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
    return BackofficeRecord(form_id, page, pages, values)


def qr_matrix(payload: str) -> list[list[bool]]:
    """The modules of the smallest QR code (error correction M) that holds ``payload``; no quiet zone.

    The mask is fixed: any of the eight is valid (ISO/IEC 18004 §7.8), and choosing the "best" one costs
    eight full encodings for no gain on a laser-printed symbol. The symbol comes from
    :func:`forms.qrfast.qr_rows` (segno's symbol, about ten times faster).
    """
    return [[bool(m) for m in row] for row in qr_rows(payload)]
