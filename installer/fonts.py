"""The fonts the installers bundle: the three the forms embed (IPA Font License) and, for Windows, the
script fonts of the guide sheet in the resident's language (SIL OFL; WenQuanYi Micro Hei: Apache-2.0 or
GPL-3 with the font exception), each with its Debian package's copyright file, taken from the packages
the build machine has installed. The Linux package depends on the script fonts' Debian packages instead."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from forms.fonts import FONT_SPECS, FontSpec
from forms.scripts import SCRIPT_FONTS

# The licence's full text, shipped by fonts-ipamj-mincho (the copyright files quote it too).
IPA_AGREEMENT = Path("/usr/share/doc/fonts-ipamj-mincho/IPA_Font_License_Agreement_v1.0.txt.gz")


@dataclass(frozen=True, slots=True)
class BundledFont:
    spec: FontSpec
    font: Path
    licence: Path


def bundled_fonts(*, scripts: bool = False) -> list[BundledFont]:
    """The font files and their licences, from the Debian packages; SystemExit names a missing one.

    ``scripts`` adds the guide sheet's script fonts (Latin, Devanagari, Hangul, simplified Chinese)."""
    specs = list(FONT_SPECS)
    if scripts:
        known = {f.file_name for f in specs}
        specs += [s.spec for s in SCRIPT_FONTS.values() if s.spec.file_name not in known]
    fonts = []
    for spec in specs:
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
