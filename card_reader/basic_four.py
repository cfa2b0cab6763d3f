"""The four basic details (基本4情報) of EF 0002 of the 券面事項入力補助AP.

Layout (verified against a JPKI test card, see ``tests/fixtures/README.md``)::

    FF20 L                      outer template; L may be long-form (81 xx / 82 xx xx)
      DF21 08  o1 o2 o3 o4      offsets (from the first byte of the file) of the four objects below
      DF22 L   氏名   UTF-8     family and given name separated by U+3000
      DF23 L   住所   UTF-8     full-width digits and hyphens as printed on the card
      DF24 08  YYYYMMDD         生年月日, ASCII digits
      DF25 01  "1"              性別, one ASCII digit, JIS X 0303 (= ISO/IEC 5218)
    00/FF ...                   filler up to the file size

The offset table is checked against the objects actually found, never used to locate them.
"""

from __future__ import annotations

import datetime as dt
import enum
import unicodedata
from dataclasses import dataclass, field

from card_reader.errors import MalformedCardDataError
from card_reader.tlv import FILLER_BYTES, encode_tlv, iter_tlvs, read_tlv

TAG_TEMPLATE = 0xFF20
TAG_OFFSETS = 0xDF21
TAG_NAME = 0xDF22
TAG_ADDRESS = 0xDF23
TAG_BIRTH_DATE = 0xDF24
TAG_SEX = 0xDF25
FIELD_TAGS = (TAG_NAME, TAG_ADDRESS, TAG_BIRTH_DATE, TAG_SEX)
FIELD_LABELS = {TAG_NAME: "氏名", TAG_ADDRESS: "住所", TAG_BIRTH_DATE: "生年月日", TAG_SEX: "性別"}

# Generous limits: the resident register allows long names and addresses, but nothing near these.
MAX_NAME_CHARS = 100
MAX_ADDRESS_CHARS = 400


class Sex(enum.Enum):
    """Sex codes of ISO/IEC 5218 (JIS X 0303), as stored on the card."""

    NOT_KNOWN = 0
    MALE = 1
    FEMALE = 2
    NOT_APPLICABLE = 9

    @property
    def json_value(self) -> str:
        return self.name.lower()

    @classmethod
    def from_json(cls, value: str) -> Sex:
        try:
            return cls[value.upper()]
        except KeyError:
            raise ValueError(f"unknown sex value {value!r}") from None

    @property
    def label_ja(self) -> str:
        return {
            Sex.NOT_KNOWN: "不明",
            Sex.MALE: "男",
            Sex.FEMALE: "女",
            Sex.NOT_APPLICABLE: "適用不能",
        }[self]


@dataclass(frozen=True)
class BasicFour:
    """氏名・住所・生年月日・性別 as read from a card (``raw`` holds the EF bytes, if any)."""

    name: str
    address: str
    birth_date: dt.date
    sex: Sex
    raw: bytes = field(default=b"", compare=False)

    def to_json(self) -> dict[str, str]:
        return {
            "name": self.name,
            "address": self.address,
            "birth_date": self.birth_date.isoformat(),
            "sex": self.sex.json_value,
        }

    def __repr__(self) -> str:
        # Card-holder data must never reach a log through a repr.
        return f"BasicFour(<redacted>, raw={len(self.raw)} bytes)"

    __str__ = __repr__


def _decode_text(value: bytes, tag: int, offset: int, max_chars: int) -> str:
    label = FIELD_LABELS[tag]
    try:
        text = value.decode("utf-8", errors="strict")
    except UnicodeDecodeError as exc:
        raise MalformedCardDataError(f"{label} is not valid UTF-8 (byte {exc.start})", offset) from None
    if not text:
        raise MalformedCardDataError(f"{label} is empty", offset)
    if len(text) > max_chars:
        raise MalformedCardDataError(f"{label} is longer than {max_chars} characters", offset)
    for ch in text:
        category = unicodedata.category(ch)
        # Control, format, unassigned and surrogate code points have no place in a name or an
        # address. Private-use characters (Co) are kept: they carry 外字 of local systems.
        if category in ("Cc", "Cf", "Cs", "Cn") or ch in "\u2028\u2029":
            raise MalformedCardDataError(f"{label} contains the control character U+{ord(ch):04X}", offset)
    return text


def _decode_date(value: bytes, offset: int) -> dt.date:
    if len(value) != 8 or not all(0x30 <= b <= 0x39 for b in value):
        raise MalformedCardDataError("生年月日 is not 8 ASCII digits", offset)
    text = value.decode("ascii")
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise MalformedCardDataError("生年月日 is not a calendar date", offset) from None


def _decode_sex(value: bytes, offset: int) -> Sex:
    if len(value) != 1 or value not in (b"0", b"1", b"2", b"9"):
        raise MalformedCardDataError("性別 is not one of the digits 0, 1, 2, 9", offset)
    return Sex(int(value))


def encoded_length(data: bytes) -> int:
    """Total length of the FF20 template at the start of ``data`` (header included).

    Needs only the first 5 bytes; used to know how much of the EF to read.
    """
    if len(data) < 2:
        raise MalformedCardDataError("EF 0002 is shorter than its header", 0)
    if data[0] != 0xFF or len(data) < 3 or data[1] != 0x20:
        raise MalformedCardDataError("EF 0002 does not start with tag FF20", 0)
    first = data[2]
    if first < 0x80:
        return 3 + first
    count = first & 0x7F
    if first == 0x80 or count > 2:
        raise MalformedCardDataError("EF 0002 has an unsupported length form", 2)
    if len(data) < 3 + count:
        raise MalformedCardDataError("EF 0002 header is cut off", 2)
    return 3 + count + int.from_bytes(data[3 : 3 + count], "big")


def decode_basic_four(data: bytes) -> BasicFour:
    """Parse EF 0002. Raises :class:`MalformedCardDataError` for anything else, never another error."""
    data = bytes(data)
    if not data:
        raise MalformedCardDataError("EF 0002 is empty", 0)
    template = read_tlv(data, 0)
    if template.tag != TAG_TEMPLATE:
        raise MalformedCardDataError(f"expected tag FF20, found {template.tag:X}", 0)
    trailing = data[template.end :]
    if any(b not in FILLER_BYTES for b in trailing):
        raise MalformedCardDataError("data after the FF20 template", template.end)

    start = template.offset + template.header_length
    objects = list(iter_tlvs(data, start, template.end))
    tags = [obj.tag for obj in objects]
    expected = [TAG_OFFSETS, *FIELD_TAGS]
    if tags != expected:
        found = " ".join(f"{t:X}" for t in tags) or "nothing"
        raise MalformedCardDataError(f"expected objects DF21..DF25 in order, found {found}", start)

    offsets_obj, name_obj, address_obj, date_obj, sex_obj = objects
    table = offsets_obj.value
    if len(table) != 2 * len(FIELD_TAGS):
        raise MalformedCardDataError("offset table DF21 must hold four 2-byte offsets", offsets_obj.offset)
    declared = [int.from_bytes(table[i : i + 2], "big") for i in range(0, len(table), 2)]
    actual = [obj.offset for obj in objects[1:]]
    if declared != actual:
        raise MalformedCardDataError(
            f"offset table DF21 says {declared} but the objects start at {actual}", offsets_obj.offset
        )

    return BasicFour(
        name=_decode_text(name_obj.value, TAG_NAME, name_obj.offset, MAX_NAME_CHARS),
        address=_decode_text(address_obj.value, TAG_ADDRESS, address_obj.offset, MAX_ADDRESS_CHARS),
        birth_date=_decode_date(date_obj.value, date_obj.offset),
        sex=_decode_sex(sex_obj.value, sex_obj.offset),
        raw=data,
    )


def encode_basic_four(
    name: str,
    address: str,
    birth_date: dt.date,
    sex: Sex,
    *,
    outer_long_form: int = 0,
    filler: int = 0,
) -> bytes:
    """Build EF 0002 bytes as a card stores them (used by the virtual card and the tests).

    ``outer_long_form`` forces the FF20 length into 81 / 82 form; ``filler`` appends that many FF.
    """
    fields = [
        (TAG_NAME, name.encode("utf-8")),
        (TAG_ADDRESS, address.encode("utf-8")),
        (TAG_BIRTH_DATE, f"{birth_date.year:04d}{birth_date.month:02d}{birth_date.day:02d}".encode()),
        (TAG_SEX, str(sex.value).encode()),
    ]
    encoded_fields = [encode_tlv(tag, value) for tag, value in fields]
    offsets_len = len(encode_tlv(TAG_OFFSETS, bytes(8)))
    body_len = offsets_len + sum(len(f) for f in encoded_fields)
    header = encode_tlv(TAG_TEMPLATE, bytes(body_len), force_long_length=outer_long_form)[: -body_len or None]
    position = len(header) + offsets_len
    table = b""
    for encoded in encoded_fields:
        table += position.to_bytes(2, "big")
        position += len(encoded)
    body = encode_tlv(TAG_OFFSETS, table) + b"".join(encoded_fields)
    return header + body + b"\xff" * filler
