"""Hostile QR codes and QR images (issue 16, items 3 and 4), made the way an attacker would make them.

Texts are complete, valid pre-fill sets (framing and checksums right) whose content is hostile; images
are PNG files whose header claims a huge size or whose text chunk inflates to 100 MB, written chunk by
chunk without ever holding the pixels.
"""

from __future__ import annotations

import datetime as dt
import json
import struct
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from procedures.prefill.document import compress_document
from procedures.prefill.parts import frame_parts

DEPTH = 120_000
"""Nesting of the deep-JSON code: 240 kB of brackets, within the 256 kB a set may inflate to."""


def member(birth: str = "1980-02-17", **extra: Any) -> dict[str, Any]:
    return {"name": "窓口 太郎", "birth_date": birth, "sex": "male", "relationship": "self", **extra}


def document(visit: dict[str, Any]) -> dict[str, Any]:
    return {"catalog": "midorigawa", "catalog_version": "x", "created": "2026-11-20", "visit": visit}


def set_of(raw_json: str, version: str = "1") -> list[str]:
    """The parts of a set that carries ``raw_json`` exactly (MDP1: zlib of the text)."""
    return frame_parts(zlib.compress(raw_json.encode("utf-8"), 9), version=version)


def hostile_texts() -> dict[str, list[str]]:
    """Name → the parts of a complete, intact set with hostile content."""
    deep = '{"visit":' + "[" * DEPTH + "]" * DEPTH + "}"
    big_number = json.dumps(document({"members": [member()]})).replace(
        '"relationship"', '"x": ' + "9" * 100_000 + ', "relationship"'
    )
    return {
        "deep_json": set_of(deep),
        "deep_object": set_of('{"visit":' + '{"a":' * 60_000 + "1" + "}" * 60_000 + "}"),
        "number_100000_digits": set_of(big_number),
        "nan": set_of('{"visit":{"members":[' + json.dumps(member())[:-1] + ',"x":NaN}]}}'),
        "infinity_birth": set_of('{"visit":{"members":[{"birth_date":Infinity}]}}'),
        "birth_2099": frame_parts(compress_document(document({"members": [member("2099-01-01")]}))),
        "birth_1800": frame_parts(compress_document(document({"members": [member("1800-01-01")]}))),
    }


def visit_with_event_date(day: str) -> list[str]:
    return frame_parts(
        compress_document(document({"event": "tennyu", "event_date": day, "members": [member()]}))
    )


def valid_set(today: dt.date) -> list[str]:
    return visit_with_event_date(today.isoformat())


# ---------------------------------------------------------------- images


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png(ihdr: bytes, *chunks: bytes) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + b"".join(chunks) + _chunk(b"IEND", b"")


def huge_png(path: Path, width: int, height: int) -> Path:
    """A 1-bit PNG of ``width × height`` white pixels: tens of kB on disk, gigabytes decoded."""
    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    path.write_bytes(_png(ihdr, _chunk(b"IDAT", data)))
    return path


def text_bomb_png(path: Path, inflated: int = 100 * 1024 * 1024) -> Path:
    """A 100 × 100 PNG with a zTXt chunk that inflates to ``inflated`` bytes (100 kB on disk)."""
    compressor = zlib.compressobj(9)
    block = b"\x00" * (1024 * 1024)
    text = b"".join(compressor.compress(block) for _ in range(inflated // len(block))) + compressor.flush()
    ihdr = struct.pack(">IIBBBBB", 100, 100, 8, 0, 0, 0, 0)
    pixels = zlib.compress((b"\x00" + b"\xff" * 100) * 100)
    path.write_bytes(_png(ihdr, _chunk(b"zTXt", b"Comment\x00\x00" + text), _chunk(b"IDAT", pixels)))
    return path


def many_text_chunks_png(path: Path, chunks: int = 200) -> Path:
    """200 zTXt chunks of 1 MB each when inflated (Pillow's per-chunk limit, but 200 MB together)."""
    one = zlib.compress(b"\x00" * (1024 * 1024 - 1024), 9)
    ihdr = struct.pack(">IIBBBBB", 100, 100, 8, 0, 0, 0, 0)
    pixels = zlib.compress((b"\x00" + b"\xff" * 100) * 100)
    texts = [_chunk(b"zTXt", f"c{i}".encode() + b"\x00\x00" + one) for i in range(chunks)]
    path.write_bytes(_png(ihdr, *texts, _chunk(b"IDAT", pixels)))
    return path


IMAGES: dict[str, Callable[[Path], Path]] = {
    "png_20000x20000": lambda folder: huge_png(folder / "20000.png", 20_000, 20_000),
    "png_13000x13000": lambda folder: huge_png(folder / "13000.png", 13_000, 13_000),
    "png_text_bomb": lambda folder: text_bomb_png(folder / "textbomb.png"),
    "png_many_text_chunks": lambda folder: many_text_chunks_png(folder / "manytext.png"),
    "png_truncated": lambda folder: _truncated(folder / "truncated.png"),
    "not_an_image": lambda folder: _write(folder / "notimage.png", b"GIF89a" + b"\x00" * 10),
}


def hostile_images(folder: Path) -> dict[str, Path]:
    return {name: make(folder) for name, make in IMAGES.items()}


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _truncated(path: Path) -> Path:
    huge_png(path, 2000, 2000)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path
