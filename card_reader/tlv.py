"""A strict BER-TLV reader for the small, definite-length structures on the My Number card."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from card_reader.errors import MalformedCardDataError

MAX_TAG_BYTES = 3
FILLER_BYTES = frozenset((0x00, 0xFF))


@dataclass(frozen=True, slots=True)
class Tlv:
    """One data object: its tag, where it starts in the buffer, and its value."""

    tag: int
    offset: int
    header_length: int
    value: bytes

    @property
    def end(self) -> int:
        return self.offset + self.header_length + len(self.value)


def read_tag(data: bytes, pos: int) -> tuple[int, int]:
    """Return ``(tag, next position)`` of the BER tag at ``pos``."""
    if pos >= len(data):
        raise MalformedCardDataError("tag expected but the data ended", pos)
    first = data[pos]
    tag = first
    pos += 1
    if first & 0x1F == 0x1F:  # multi-byte tag number
        count = 1
        while True:
            if pos >= len(data):
                raise MalformedCardDataError("multi-byte tag is cut off", pos)
            byte = data[pos]
            tag = (tag << 8) | byte
            pos += 1
            count += 1
            if count > MAX_TAG_BYTES:
                raise MalformedCardDataError("tag longer than 3 bytes", pos)
            if not byte & 0x80:
                break
    return tag, pos


def read_length(data: bytes, pos: int) -> tuple[int, int]:
    """Return ``(length, next position)``: short form, or long form 81 / 82 (definite only)."""
    if pos >= len(data):
        raise MalformedCardDataError("length expected but the data ended", pos)
    first = data[pos]
    if first < 0x80:
        return first, pos + 1
    if first == 0x80:
        raise MalformedCardDataError("indefinite length is not allowed", pos)
    count = first & 0x7F
    if count > 2:
        raise MalformedCardDataError(f"length field of {count} bytes is not allowed", pos)
    if pos + 1 + count > len(data):
        raise MalformedCardDataError("long-form length is cut off", pos)
    length = int.from_bytes(data[pos + 1 : pos + 1 + count], "big")
    return length, pos + 1 + count


def read_tlv(data: bytes, pos: int = 0) -> Tlv:
    """Read one data object starting at ``pos``; its value must lie within ``data``."""
    tag, after_tag = read_tag(data, pos)
    length, value_start = read_length(data, after_tag)
    end = value_start + length
    if end > len(data):
        raise MalformedCardDataError(
            f"object {tag:X} declares {length} bytes but only {len(data) - value_start} follow", pos
        )
    return Tlv(tag, pos, value_start - pos, bytes(data[value_start:end]))


def iter_tlvs(data: bytes, start: int, end: int) -> Iterator[Tlv]:
    """Iterate the objects in ``data[start:end]``, stopping at trailing 00 / FF filler.

    Offsets of the yielded objects are absolute positions in ``data``. Anything after the filler
    starts must be filler too.
    """
    pos = start
    while pos < end:
        if data[pos] in FILLER_BYTES:
            if any(b not in FILLER_BYTES for b in data[pos:end]):
                raise MalformedCardDataError("data after filler bytes", pos)
            return
        tlv = read_tlv(data[:end], pos)
        yield tlv
        pos = tlv.end


def encode_length(length: int) -> bytes:
    if length < 0x80:
        return bytes((length,))
    if length <= 0xFF:
        return bytes((0x81, length))
    if length <= 0xFFFF:
        return bytes((0x82,)) + length.to_bytes(2, "big")
    raise ValueError("length does not fit two bytes")


def encode_tag(tag: int) -> bytes:
    return tag.to_bytes(max(1, (tag.bit_length() + 7) // 8), "big")


def encode_tlv(tag: int, value: bytes, *, force_long_length: int = 0) -> bytes:
    """Encode one object. ``force_long_length`` (1 or 2) uses 81 / 82 even for short values."""
    if force_long_length == 1 and len(value) <= 0xFF:
        length = bytes((0x81, len(value)))
    elif force_long_length == 2 and len(value) <= 0xFFFF:
        length = bytes((0x82,)) + len(value).to_bytes(2, "big")
    else:
        length = encode_length(len(value))
    return encode_tag(tag) + length + value
