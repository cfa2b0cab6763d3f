"""The app icon: ``installer/madoguchi.svg`` (窓 on the counter's blue) and its 256-pixel PNG, used by
the Linux desktop entry as they are and turned into a multi-size ``.ico`` for Windows here."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

ICON_PNG = Path(__file__).with_name("madoguchi.png")
ICO_SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]


def write_ico(path: Path) -> Path:
    with Image.open(ICON_PNG) as image:
        image.convert("RGBA").save(path, format="ICO", sizes=ICO_SIZES)
    return path
