"""A keyboard-wedge scanner's burst is recognised; a person typing is not."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from card_reader.wedge import WedgeDetector

PREFIX = "MDG1:"


def type_text(detector: WedgeDetector, text: str, start: float, gap: float) -> list[str]:
    found = []
    for index, char in enumerate(text):
        result = detector.feed(char, start + index * gap)
        if result is not None:
            found.append(result)
    return found


def test_fast_burst_with_prefix_and_enter_is_a_scan() -> None:
    detector = WedgeDetector((PREFIX,))
    assert type_text(detector, PREFIX + "ABC123$%*+-./: XYZ\r", 0.0, 0.005) == [PREFIX + "ABC123$%*+-./: XYZ"]


def test_slow_typing_is_not_a_scan() -> None:
    detector = WedgeDetector((PREFIX,))
    assert type_text(detector, PREFIX + "ABCDEFGH\r", 0.0, 0.12) == []


def test_other_text_is_not_captured() -> None:
    detector = WedgeDetector((PREFIX,))
    assert type_text(detector, "https://example.jp/\r", 0.0, 0.005) == []
    detector.feed("h", 1.0)
    assert not detector.capturing


def test_a_pause_mid_scan_drops_the_fragment() -> None:
    detector = WedgeDetector((PREFIX,))
    assert type_text(detector, PREFIX + "ABCD", 0.0, 0.005) == []
    assert type_text(detector, "EFGH\r", 1.0, 0.005) == []
    assert type_text(detector, PREFIX + "ABCDEFGH\r", 2.0, 0.005) == [PREFIX + "ABCDEFGH"]


@given(st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:", min_size=4, max_size=400))
def test_any_base45_payload_is_recovered(body: str) -> None:
    detector = WedgeDetector((PREFIX,))
    assert type_text(detector, PREFIX + body + "\r", 10.0, 0.004) == [PREFIX + body]
