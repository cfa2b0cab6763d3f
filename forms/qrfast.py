"""The back-office QR symbol in about a tenth of segno's time.

segno (pure Python) spends most of a form's QR time on work that does not depend on the payload:
laying out the function patterns, walking the zig-zag placement order module by module, and masking
every module; its Reed–Solomon division works byte by byte through log tables. For the one kind of
symbol the forms print — error correction M, mask 2, one alphanumeric segment (the payload is
``MDG1:`` plus Base45, all in the QR alphanumeric set) — this module

* builds, once per version and with segno's own functions, the symbol for an all-zero message (function
  patterns, format and version information, the mask) and the list of data module positions in
  placement order;
* writes the data bit stream itself (ISO/IEC 18004 §7.4: mode, character count, 11 bits per pair,
  terminator, padding) and computes the error correction codewords with integer arithmetic over
  precomputed products of the generator polynomial (§7.5);
* places the message bits with one slice assignment per straight run of data modules (a column
  between function patterns, where placement order and position both advance by a constant step),
  precomputed per version, and combines them with the cached symbol by one integer XOR.

A payload outside the alphanumeric set goes to segno unchanged. The symbol is segno's
``make_qr(payload, error="m", mask=2, boost_error=False)`` module for module, except when the data
stream ends exactly on a codeword boundary: segno then adds a byte of zero padding bits, which
§7.4.10 does not ask for ("if the bit stream … does not end at a codeword boundary"); here the pad
codewords follow at once. The tests compare with segno in the other cases and decode every symbol
with zbar.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass
from typing import Any

import segno
from segno import consts as _segno_consts
from segno import encoder as _segno_encoder

# segno ships no type hints; these are its documented-in-code internals (encoder steps and tables).
_enc: Any = _segno_encoder
consts: Any = _segno_consts

_ERROR = consts.ERROR_LEVEL_M
_MASK = 2
_ALNUM = {ch: i for i, ch in enumerate(consts.ALPHANUMERIC_CHARS.decode("ascii"))}
_ALNUM_SET = frozenset(_ALNUM)
_BITS = bytes.maketrans(b"01", b"\x00\x01")


class QrTooLargeError(Exception):
    """Internal: the payload exceeds the largest QR code (version 40)."""

    def __init__(self, characters: int) -> None:
        self.characters = characters
        super().__init__(f"{characters} characters exceed a version 40 QR code")


@dataclass(frozen=True, slots=True)
class _Version:
    size: int
    template: bytes  # the masked symbol of an all-zero message, row by row
    positions: tuple[int, ...]  # data modules in placement order (index into template)
    runs: tuple[tuple[slice, slice], ...]  # (bits, modules): message bits placed by slice assignment
    blocks: tuple[tuple[int, int], ...]  # (data codewords, error codewords) per block
    data_codewords: int


_versions: dict[int, _Version] = {}
_lock = threading.Lock()


def _char_count_bits(version: int) -> int:
    return 9 if version <= 9 else 11 if version <= 26 else 13


def _build(version: int) -> _Version:
    size = _enc.calc_matrix_size(version)
    matrix = _enc.make_matrix(size, size)
    _enc.add_finder_patterns(matrix, size, size)
    _enc.add_alignment_patterns(matrix, size, size)
    positions: list[int] = []
    # The placement walk of ISO/IEC 18004 §7.7.3 (as segno's add_codewords): two-module columns from
    # the right, alternately upwards and downwards, skipping the vertical timing pattern.
    for column in range(size - 1, 0, -2):
        right = column - 1 if column <= 6 else column
        for vertical in range(size):
            for z in (0, 1):
                j = right - z
                upwards = ((right & 2) == 0) ^ (j < 6)
                i = (size - 1 - vertical) if upwards else vertical
                if matrix[i][j] == 0x2:
                    matrix[i][j] = 0
                    positions.append(i * size + j)
    _, masked = _enc.find_and_apply_best_mask(matrix, size, size, _MASK)
    _enc.add_format_info(masked, version, _ERROR, _MASK)
    _enc.add_version_info(masked, version)
    template = b"".join(bytes(row) for row in masked)
    blocks: list[tuple[int, int]] = []
    for info in consts.ECC[version][_ERROR]:
        blocks += [(info.num_data, info.num_total - info.num_data)] * info.num_blocks
    return _Version(
        size, template, tuple(positions), _runs(positions, size), tuple(blocks), sum(d for d, _ in blocks)
    )


def _runs(positions: list[int], size: int) -> tuple[tuple[slice, slice], ...]:
    """The placement as straight runs: bits k0, k0+dk, … go to modules p0, p0+dp, … (one slice each)."""
    runs: list[tuple[slice, slice]] = []
    order = sorted(range(len(positions)), key=lambda k: (positions[k] % size, k))  # by column
    i = 0
    while i < len(order):
        k0 = order[i]
        p0 = positions[k0]
        count = 1
        dk = dp = 0
        if i + 1 < len(order) and positions[order[i + 1]] % size == p0 % size:
            dk = order[i + 1] - k0
            dp = positions[order[i + 1]] - p0
            while (
                i + count < len(order)
                and order[i + count] - order[i + count - 1] == dk
                and positions[order[i + count]] - positions[order[i + count - 1]] == dp
            ):
                count += 1
        step_k = dk or 1
        step_p = dp or 1
        stop = p0 + count * step_p
        runs.append((slice(k0, k0 + count * step_k, step_k), slice(p0, stop if stop >= 0 else None, step_p)))
        i += count
    return tuple(runs)


def _version(version: int) -> _Version:
    cached = _versions.get(version)
    if cached is None:
        with _lock:
            cached = _versions.get(version)
            if cached is None:
                cached = _versions[version] = _build(version)
    return cached


_GEN: dict[int, tuple[int, ...]] = {}


def _generator_products(ec: int) -> tuple[int, ...]:
    """For each byte value f, f × (generator polynomial without its leading term) as one integer."""
    table = _GEN.get(ec)
    if table is None:
        log, exp = consts.GALIOS_LOG, consts.GALIOS_EXP
        gen = consts.GEN_POLY[ec]  # exponents of the coefficients after the leading 1
        rows = [0]
        for f in range(1, 256):
            products = bytes(exp[(log[f] + g) % 255] for g in gen)
            rows.append(int.from_bytes(products, "big"))
        table = _GEN[ec] = tuple(rows)
    return table


def _error_codewords(data: bytes, ec: int) -> bytes:
    """The remainder of data(x)·x^ec divided by the generator, as ``ec`` bytes (§7.5.2)."""
    table = _generator_products(ec)
    top = 8 * (ec - 1)
    full = (1 << (8 * ec)) - 1
    remainder = 0
    for byte in data:
        factor = (remainder >> top) ^ byte
        remainder = ((remainder << 8) & full) ^ table[factor]
    return remainder.to_bytes(ec, "big")


def _data_codewords(payload: str, version: int, capacity_bits: int) -> bytes:
    values = [_ALNUM[ch] for ch in payload]
    n = len(values)
    count_bits = _char_count_bits(version)
    acc = (0b0010 << count_bits) | n
    length = 4 + count_bits
    for a, b in zip(values[0 : n - 1 : 2], values[1::2], strict=False):
        acc = (acc << 11) | (a * 45 + b)
    length += 11 * (n // 2)
    if n % 2:
        acc = (acc << 6) | values[-1]
        length += 6
    terminator = min(4, capacity_bits - length)
    padding = (-(length + terminator)) % 8
    acc <<= terminator + padding
    length += terminator + padding
    data = acc.to_bytes(length // 8, "big")
    pad = capacity_bits // 8 - len(data)
    return data + (b"\xec\x11" * (pad // 2 + 1))[:pad]


def _fits(n: int, version: int) -> bool:
    bits = 4 + _char_count_bits(version) + 11 * (n // 2) + 6 * (n % 2)
    return bool(bits <= consts.SYMBOL_CAPACITY[version][_ERROR])


def qr_rows(payload: str) -> list[bytes]:
    """The modules (1 dark) of the smallest QR code, error correction M, mask 2, row by row; no quiet zone."""
    if not _ALNUM_SET.issuperset(payload):
        try:
            code = segno.make_qr(payload, error="m", mask=_MASK, boost_error=False)
        except segno.DataOverflowError:
            raise QrTooLargeError(len(payload)) from None
        return [bytes(row) for row in code.matrix]
    version = next((v for v in range(1, 41) if _fits(len(payload), v)), None)
    if version is None:
        raise QrTooLargeError(len(payload))
    layout = _version(version)
    data = _data_codewords(payload, version, consts.SYMBOL_CAPACITY[version][_ERROR])
    data_blocks: list[bytes] = []
    error_blocks: list[bytes] = []
    at = 0
    for length, ec in layout.blocks:
        block = data[at : at + length]
        at += length
        data_blocks.append(block)
        error_blocks.append(_error_codewords(block, ec))
    # Interleave (§7.6): the i-th codeword of every block in turn, data first, then error correction.
    message = bytes(
        cw for column in itertools.zip_longest(*data_blocks) for cw in column if cw is not None
    ) + bytes(cw for column in zip(*error_blocks, strict=True) for cw in column)
    bits = format(int.from_bytes(message, "big"), f"0{8 * len(message)}b").encode("ascii").translate(_BITS)
    bits += bytes(len(layout.positions) - len(bits))  # remainder bits (§7.6): zero
    size = layout.size
    placed = bytearray(size * size)
    for taken, put in layout.runs:
        placed[put] = bits[taken]
    total = len(placed)
    symbol = (int.from_bytes(layout.template, "big") ^ int.from_bytes(placed, "big")).to_bytes(total, "big")
    return [symbol[r * size : (r + 1) * size] for r in range(size)]
