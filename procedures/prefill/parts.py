"""The pre-fill QR parts: framing, reading one scan, and collecting a set in any order.

One part is the text ``MDP2:`` (or ``MDP1:``: the versions differ only in how the content is
compressed, see :mod:`procedures.prefill.document`) followed by the Base45 form of::

    set id   4 bytes  CRC-32 of the whole compressed content (big-endian): names the set
    part     1 byte   1 … total
    total    1 byte   1 … 99
    chunk    n bytes  the part's slice of the compressed content
    check    4 bytes  CRC-32 of the 6 header bytes and the chunk (big-endian)

The compressed content is cut into ``total`` chunks of nearly equal size, so every code of a set has
about the same size. The parts can be scanned in any order; a part of another set is refused (its set
id or total differs); a missing part is named; a damaged part fails its own check, and the assembled
content is checked against the set id before it is inflated (see docs/qr-format.md).

Scans arrive as bytes (camera, image file: zbar in binary mode) or as text (a keyboard-wedge
scanner). :func:`normalize_scan` undoes what a wedge scanner can do to the text — Caps Lock, and a
scanner whose keyboard layout (US / JIS) differs from the computer's — before the part is read.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from typing import Final

from procedures.prefill import base45
from procedures.prefill.errors import (
    ForeignCodeError,
    ForeignKind,
    MissingPartsError,
    MixedSetsError,
    PartChecksumError,
    PartFormatError,
    SetChecksumError,
    UnknownVersionError,
)

VERSION: Final = "2"
"""The version new codes are made with."""
READ_VERSIONS: Final = ("1", "2")
"""The versions this Madoguchi reads (MDP1: zlib; MDP2: raw deflate with a preset dictionary)."""
PREFIX: Final = f"MDP{VERSION}:"
"""The text every part of the current version starts with (the forms' back-office code uses ``MDG1:``)."""
PREFIX_LENGTH: Final = len(PREFIX)
WEDGE_PREFIXES: Final = ("MDP", "mdp")
"""What a keyboard-wedge detector should listen for: any version, Caps Lock on or off."""

HEADER_BYTES: Final = 6
CHECK_BYTES: Final = 4
MAX_PARTS: Final = 99
MAX_PART_BYTES: Final = 396
"""Bytes of one part before Base45: 599 characters with the prefix, a version 15-M QR code (77 modules):
one code for most households of up to four, two for six (bench/qr.py)."""
MAX_CHUNK: Final = MAX_PART_BYTES - HEADER_BYTES - CHECK_BYTES

_FAMILY = re.compile(r"^MDP([0-9A-Z]{1,3})([:+'])")
_OTHER_LAYOUT: Final = {
    # A US-layout scanner on a JIS-layout computer: the keys for ':', '*', '+' print '+', '(', '~'.
    "+": str.maketrans({"+": ":", "(": "*", "~": "+"}),
    # A JIS-layout scanner on a US-layout computer: ':', '*', '+' print "'", '"', ':'.
    "'": str.maketrans({"'": ":", '"': "*", ":": "+"}),
}
_NOT_BASE45_BUT_TYPED = frozenset("()~'\"=^&_;!#@`[]{}|\\<>?,")


@dataclass(frozen=True, slots=True)
class Part:
    set_id: int
    index: int
    total: int
    chunk: bytes = field(repr=False)
    version: str = VERSION

    @property
    def set_label(self) -> str:
        return f"{self.set_id:08X}"


# ---------------------------------------------------------------- writing


def split_content(content: bytes, max_chunk: int = MAX_CHUNK) -> list[bytes]:
    """``content`` cut into the fewest chunks of at most ``max_chunk`` bytes, of nearly equal size."""
    if not content:
        raise ValueError("nothing to split")
    total = -(-len(content) // max_chunk)
    if total > MAX_PARTS:
        raise ValueError(f"content needs {total} parts (at most {MAX_PARTS})")
    size, extra = divmod(len(content), total)
    chunks, start = [], 0
    for index in range(total):
        end = start + size + (1 if index < extra else 0)
        chunks.append(content[start:end])
        start = end
    return chunks


def frame_parts(content: bytes, max_chunk: int = MAX_CHUNK, version: str = VERSION) -> list[str]:
    """The texts of the QR codes that carry ``content`` (already compressed for ``version``), in order
    1 … total."""
    if version not in READ_VERSIONS:
        raise ValueError(f"unknown pre-fill format version {version!r}")
    chunks = split_content(content, max_chunk)
    set_id = zlib.crc32(content)
    texts = []
    for index, chunk in enumerate(chunks, start=1):
        body = set_id.to_bytes(4, "big") + bytes((index, len(chunks))) + chunk
        texts.append(f"MDP{version}:" + base45.encode(body + zlib.crc32(body).to_bytes(4, "big")))
    return texts


# ---------------------------------------------------------------- reading one scan


def classify_foreign(text: str) -> ForeignKind:
    """What a code that is not ours looks like, so the clerk can tell the resident what was scanned."""
    stripped = text.strip()
    lowered = stripped.lower()
    if not stripped:
        return ForeignKind.EMPTY
    if lowered.startswith(("http://", "https://", "www.")) or re.match(r"^[a-z][a-z0-9+.-]*://", lowered):
        return ForeignKind.URL
    # EMVCo merchant-presented codes (JPQR and most QR payments) start with "000201";
    # EMV consumer-presented codes are Base64 of tag 85 "CPV01…" ("hQVDUFYw…").
    if stripped.startswith(("000201", "hQVDUFYw")):
        return ForeignKind.PAYMENT
    if stripped.upper().startswith("MDG"):
        return ForeignKind.FORM
    return ForeignKind.TEXT


def normalize_scan(scanned: bytes | str) -> str:
    """The text of a scan with a wedge scanner's distortions undone; errors for codes that are not ours.

    Raises :class:`ForeignCodeError` (not a pre-fill code), :class:`UnknownVersionError` (``MDP2:`` …).
    """
    if isinstance(scanned, bytes):
        try:
            text = scanned.decode("ascii")
        except UnicodeDecodeError:
            try:
                kind = classify_foreign(scanned.decode("utf-8"))
            except UnicodeDecodeError:
                kind = ForeignKind.BINARY
            raise ForeignCodeError(kind if kind is not ForeignKind.TEXT else ForeignKind.BINARY) from None
    else:
        text = scanned
    # Line ends and NULs come from scanners and files; spaces are Base45 and stay.
    text = text.strip("\r\n\t\x00\ufeff")
    found = _FAMILY.match(text.upper())
    if found is None:
        raise ForeignCodeError(classify_foreign(text))
    version, separator = found.groups()
    if version not in READ_VERSIONS:
        raise UnknownVersionError(version, VERSION)
    upper = text.upper()  # Caps Lock: Base45 has no lower-case letters, so this is lossless
    if separator != ":":
        upper = upper.translate(_OTHER_LAYOUT[separator])
    return upper


def parse_part(scanned: bytes | str) -> Part:
    """One scanned part, checked. Raises the errors of :func:`normalize_scan` and
    :class:`PartFormatError` / :class:`PartChecksumError`."""
    original = scanned.decode("ascii", "replace") if isinstance(scanned, bytes) else scanned
    text = normalize_scan(scanned)
    suspect = any(ch in _NOT_BASE45_BUT_TYPED for ch in text) or original[4:5] not in (":", "")
    try:
        body = base45.decode(text[PREFIX_LENGTH:])
    except base45.Base45Error as exc:
        raise PartFormatError(f"Base45: {exc.reason}", keyboard_suspect=suspect) from None
    if len(body) < HEADER_BYTES + 1 + CHECK_BYTES:
        raise PartFormatError("too short", keyboard_suspect=suspect)
    content, check = body[:-CHECK_BYTES], body[-CHECK_BYTES:]
    index, total = content[4], content[5]
    if zlib.crc32(content) != int.from_bytes(check, "big"):
        plausible = 1 <= index <= total <= MAX_PARTS
        raise PartChecksumError(index if plausible else None, keyboard_suspect=suspect)
    if not 1 <= index <= total <= MAX_PARTS:
        raise PartFormatError(f"part {index} of {total}")
    return Part(int.from_bytes(content[:4], "big"), index, total, content[HEADER_BYTES:], text[3:4])


# ---------------------------------------------------------------- collecting a set


@dataclass(frozen=True, slots=True)
class Progress:
    """Where a set stands after a scan: which parts are in, which are missing."""

    set_id: str
    total: int
    received: tuple[int, ...]
    added: int  # the part this scan brought
    duplicate: bool  # that part had already been scanned

    @property
    def missing(self) -> tuple[int, ...]:
        return tuple(i for i in range(1, self.total + 1) if i not in self.received)

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def text_ja(self) -> str:
        """A short status line for the clerk ("QRコード 2/3 を読み取りました。残り: 1")."""
        if self.total == 1:
            return "QRコードを読み取りました。"
        got = (
            f"QRコード {self.added}/{self.total} を"
            + ("もう一度" if self.duplicate else "")
            + "読み取りました。"
        )
        if self.complete:
            return got + "すべてそろいました。"
        return got + "残り: " + "、".join(f"{i}/{self.total}" for i in self.missing)


class PartCollector:
    """Collects the parts of one set, scanned in any order (camera, wedge and files alike).

    Not thread-safe: feed it from one thread (the kiosk's UI thread).
    """

    def __init__(self) -> None:
        self._parts: dict[int, Part] = {}

    def __repr__(self) -> str:
        return f"PartCollector(received={sorted(self._parts)}, total={self.total})"

    @property
    def total(self) -> int | None:
        first = next(iter(self._parts.values()), None)
        return first.total if first else None

    @property
    def version(self) -> str | None:
        """The format version of the set being collected (``"1"``, ``"2"``)."""
        first = next(iter(self._parts.values()), None)
        return first.version if first else None

    @property
    def started(self) -> bool:
        return bool(self._parts)

    def reset(self) -> None:
        self._parts.clear()

    def add(self, scanned: bytes | str | Part) -> Progress:
        """Add one scan. Raises the errors of :func:`parse_part`, and :class:`MixedSetsError` for a part
        of another set (the parts collected so far are kept; :meth:`reset` starts over)."""
        part = scanned if isinstance(scanned, Part) else parse_part(scanned)
        current = next(iter(self._parts.values()), None)
        if current is not None and (
            current.set_id != part.set_id or current.total != part.total or current.version != part.version
        ):
            raise MixedSetsError(sorted(self._parts), current.total, part.index, part.total)
        duplicate = part.index in self._parts
        self._parts[part.index] = part
        return Progress(part.set_label, part.total, tuple(sorted(self._parts)), part.index, duplicate)

    @property
    def progress(self) -> Progress | None:
        if not self._parts:
            return None
        last = max(self._parts)
        first = self._parts[last]
        return Progress(first.set_label, first.total, tuple(sorted(self._parts)), last, False)

    def content(self) -> bytes:
        """The compressed content of the complete set; :class:`MissingPartsError` names what is missing."""
        total = self.total
        if total is None:
            raise MissingPartsError((), 0)
        missing = [i for i in range(1, total + 1) if i not in self._parts]
        if missing:
            raise MissingPartsError(missing, total)
        content = b"".join(self._parts[i].chunk for i in range(1, total + 1))
        if zlib.crc32(content) != self._parts[1].set_id:
            raise SetChecksumError("the set's checksum does not match")
        return content
