"""The fonts both installers bundle: the three the forms embed, each with its Debian package's
copyright file (the IPA Font License), taken from the packages the build machine has installed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from forms.fonts import FONT_SPECS, FontSpec

# The licence's full text, shipped by fonts-ipamj-mincho (the copyright files quote it too).
IPA_AGREEMENT = Path("/usr/share/doc/fonts-ipamj-mincho/IPA_Font_License_Agreement_v1.0.txt.gz")


@dataclass(frozen=True, slots=True)
class BundledFont:
    spec: FontSpec
    font: Path
    licence: Path


def bundled_fonts() -> list[BundledFont]:
    """The font files and their licences, from the Debian packages; SystemExit names a missing one."""
    fonts = []
    for spec in FONT_SPECS:
        font = Path(spec.package_dir) / spec.file_name
        licence = Path("/usr/share/doc") / spec.package / "copyright"
        for path in (font, licence):
            if not path.is_file():
                raise SystemExit(
                    f"{path} is missing: install the Debian package {spec.package} "
                    "(scripts/debian-packages.txt)"
                )
        fonts.append(BundledFont(spec, font, licence))
    return fonts
