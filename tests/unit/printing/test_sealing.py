"""The one AES-256-GCM sealing routine (printing.spool.seal_with / open_with): the spool, the visit
drafts and the hand-off outbox all seal through it."""

from __future__ import annotations

import pytest

from printing.spool import FORMAT_TAG, NONCE_BYTES, AesGcmCodec, open_with, seal_with

KEY = bytes(range(32))


def test_a_sealed_text_opens_with_its_key_and_context_only() -> None:
    nonce, ciphertext = seal_with(KEY, b"visit draft", b"visit-1|counter")
    assert len(nonce) == NONCE_BYTES and b"visit draft" not in ciphertext
    assert open_with(KEY, nonce, ciphertext, b"visit-1|counter") == b"visit draft"
    for key, context in ((KEY, b"visit-2|counter"), (bytes(32), b"visit-1|counter")):
        with pytest.raises(ValueError):
            open_with(key, nonce, ciphertext, context)
    with pytest.raises(ValueError):
        open_with(KEY, nonce, ciphertext[:-1] + bytes([ciphertext[-1] ^ 1]), b"visit-1|counter")


def test_every_seal_takes_a_fresh_nonce() -> None:
    assert len({seal_with(KEY, b"same", b"ctx")[0] for _ in range(50)}) == 50


def test_a_short_key_is_refused() -> None:
    with pytest.raises(ValueError):
        seal_with(b"short", b"x", b"ctx")


def test_the_spool_format_is_the_routine_behind_its_tag() -> None:
    sealed = AesGcmCodec(KEY).seal(b"form", b"job-1")
    assert sealed.startswith(FORMAT_TAG)
    body = sealed[len(FORMAT_TAG) :]
    assert open_with(KEY, body[:NONCE_BYTES], body[NONCE_BYTES:], b"job-1") == b"form"


def test_no_other_module_calls_aes_gcm_itself() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    callers = sorted(
        str(path.relative_to(root))
        for package in ("card_reader", "procedures", "forms", "printing", "counter_app")
        for path in (root / package).rglob("*.py")
        if "AESGCM(" in path.read_text(encoding="utf-8")
    )
    assert callers == ["printing/spool.py"]
