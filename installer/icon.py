"""The app icon, drawn at build time: 窓 in white on the counter's blue, rounded corners.

Drawn with the bundled IPAex Gothic, so no binary image lives in the repository; written as a
multi-size ``.ico`` for Windows and a PNG for the Linux desktop entry.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from forms.fonts import FONT_SPECS, Face, find_font

BLUE = (31, 92, 153)
ICO_SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]


def draw(size: int = 256) -> Image.Image:
    gothic = next(spec for spec in FONT_SPECS if spec.face is Face.GOTHIC)
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    canvas = ImageDraw.Draw(image)
    canvas.rounded_rectangle((0, 0, size - 1, size - 1), radius=size // 6, fill=BLUE)
    font = ImageFont.truetype(str(find_font(gothic)), int(size * 0.7))
    canvas.text((size / 2, size / 2), "窓", font=font, fill="white", anchor="mm")
    return image


def write_ico(path: Path) -> Path:
    draw(256).save(path, format="ICO", sizes=ICO_SIZES)
    return path


def write_png(path: Path, size: int = 256) -> Path:
    draw(size).save(path, format="PNG")
    return path
