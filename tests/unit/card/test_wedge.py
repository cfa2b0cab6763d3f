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


def test_a_scanner_at_its_slowest_setting_40_ms_per_key_is_a_scan() -> None:
    detector = WedgeDetector((PREFIX,))
    assert type_text(detector, PREFIX + "ABCDEFGH1234\r", 5.0, 0.040) == [PREFIX + "ABCDEFGH1234"]
    # with jitter up to 70 ms between two keys (USB polling, a busy scanner)
    found = []
    t = 9.0
    for index, char in enumerate(PREFIX + "ABCDEFGH\r"):
        t += 0.070 if index % 5 == 0 else 0.030
        result = detector.feed(char, t)
        if result:
            found.append(result)
    assert found == [PREFIX + "ABCDEFGH"]


def test_a_person_typing_the_prefix_briskly_is_not_a_scan() -> None:
    detector = WedgeDetector((PREFIX,))
    assert type_text(detector, PREFIX + "ABCDEFGH\r", 0.0, 0.09) == []


def test_enter_lf_and_tab_end_a_scan() -> None:
    for terminator in ("\r", "\n", "\t"):
        detector = WedgeDetector((PREFIX,))
        assert type_text(detector, PREFIX + "ABCDEFGH" + terminator, 1.0, 0.01) == [PREFIX + "ABCDEFGH"]
        assert detector.consumed


def test_the_lf_of_a_cr_lf_scanner_belongs_to_the_scan() -> None:
    detector = WedgeDetector((PREFIX,))
    assert type_text(detector, PREFIX + "ABCDEFGH\r", 1.0, 0.01) == [PREFIX + "ABCDEFGH"]
    assert detector.feed("\n", 1.0 + 10 * 0.01) is None
    assert detector.consumed  # swallowed, not typed into the field
    # an Enter pressed later by the clerk is theirs
    assert detector.feed("\r", 5.0) is None
    assert not detector.consumed


def test_keys_of_a_person_are_not_consumed() -> None:
    detector = WedgeDetector((PREFIX,))
    detector.feed("h", 0.0)
    assert not detector.consumed
    detector.feed("M", 1.0)
    assert detector.consumed and detector.capturing  # held back until the burst breaks
    detector.feed("x", 1.01)
    assert not detector.consumed and not detector.capturing
