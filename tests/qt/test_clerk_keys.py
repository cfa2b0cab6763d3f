"""Whole visits with key events only (issue 18): a family of 4 moving in (転入) and an おくやみ visit,
driven through the real window by ``bench.clerk_keys``; the keys are counted against the issue's
baseline (229 keys without QR, 20 with QR). Each visit ends with its papers printed."""

from __future__ import annotations

from pathlib import Path

from bench import clerk_keys
from counter_app.ui.main_window import MainWindow
from counter_app.wiring.kiosk import Kiosk


def _printed(tmp_path: Path) -> int:
    return len(list((tmp_path / "out").iterdir()))


def test_family_move_in_with_the_householders_card_needs_at_most_half_the_keys(
    kiosk_window: tuple[Kiosk, MainWindow], tmp_path: Path
) -> None:
    parts, window = kiosk_window
    count = clerk_keys.family_move_in(parts, window, card=True)
    print(f"転入 4人(カード+手入力3人): {count.keys} keys + PIN {count.pin}")
    assert count.keys <= clerk_keys.BASELINE_KEYS / 2
    assert count.pin == 5
    assert _printed(tmp_path) >= 4  # 住民異動届 and the other forms, the guide sheet last


def test_family_move_in_all_typed_with_the_keyboard_only(
    kiosk_window: tuple[Kiosk, MainWindow], tmp_path: Path
) -> None:
    parts, window = kiosk_window
    count = clerk_keys.family_move_in(parts, window, card=False)
    print(f"転入 4人(全員手入力): {count.keys} keys")
    assert count.keys < clerk_keys.BASELINE_KEYS
    assert _printed(tmp_path) >= 4


def test_family_move_in_with_qr_for_everyone_needs_at_most_ten_keys(
    kiosk_window: tuple[Kiosk, MainWindow], tmp_path: Path
) -> None:
    parts, window = kiosk_window
    count = clerk_keys.family_move_in_qr(parts, window)
    assert count.keys <= 10
    assert _printed(tmp_path) >= 4


def test_okuyami_visit_with_the_keyboard_only(kiosk_window: tuple[Kiosk, MainWindow], tmp_path: Path) -> None:
    parts, window = kiosk_window
    count = clerk_keys.okuyami(parts, window)
    print(f"おくやみ: {count.keys} keys + PIN {count.pin}")
    assert _printed(tmp_path) >= 2
