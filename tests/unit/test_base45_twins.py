"""The two Base45 codecs (RFC 9285) — one in ``procedures`` for the residents' pre-fill QR, one in
``forms`` for the back-office QR — are the same codec: the RFC's examples, and each other on any bytes.

The libraries are independent by design, so each owns the codec its format needs
(docs/architecture.md, "Code that exists once, and what is deliberately twice"); this test keeps the
two from drifting apart.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forms import base45 as forms_base45
from procedures.prefill import base45 as prefill_base45

# RFC 9285 §4.3 (encoding) and §4.4 (decoding).
RFC_EXAMPLES = [
    (b"AB", "BB8"),
    (b"Hello!!", "%69 VD92EX0"),
    (b"base-45", "UJCLQE7W581"),
    (b"ietf!", "QED8WEX0"),
]


@pytest.mark.parametrize(("data", "text"), RFC_EXAMPLES)
def test_both_follow_the_rfc_examples(data: bytes, text: str) -> None:
    assert prefill_base45.encode(data) == text
    assert forms_base45.b45encode(data) == text
    assert prefill_base45.decode(text) == data
    assert forms_base45.b45decode(text) == data


@given(st.binary(max_size=300))
def test_both_encode_and_decode_alike(data: bytes) -> None:
    text = prefill_base45.encode(data)
    assert forms_base45.b45encode(data) == text
    assert prefill_base45.decode(text) == forms_base45.b45decode(text) == data


@pytest.mark.parametrize("text", ["GGW", "A", "ab", "::::", "BB8A"])
def test_both_refuse_the_same_invalid_text(text: str) -> None:
    """GGW is 65536 (RFC 9285 §4.4: above 65535), "A" a lone character, lowercase is not in the alphabet."""
    with pytest.raises(prefill_base45.Base45Error):
        prefill_base45.decode(text)
    with pytest.raises(forms_base45.Base45Error):
        forms_base45.b45decode(text)
