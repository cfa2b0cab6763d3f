"""PyInstaller runtime hook: the frozen app finds the fonts bundled in ``_internal/fonts``.

``forms.fonts`` searches ``MADOGUCHI_FONT_DIR`` (``os.pathsep``-separated) before the system font
folders. The bundle's folder is appended, so folders an administrator set come first and the bundled
IPAex / IPAmj fonts are used before whatever the system has. Runs only in the frozen app.
"""

import os
import sys

_bundle_fonts = os.path.join(getattr(sys, "_MEIPASS", ""), "fonts")
if os.path.isdir(_bundle_fonts):
    _dirs = [d for d in os.environ.get("MADOGUCHI_FONT_DIR", "").split(os.pathsep) if d]
    if _bundle_fonts not in _dirs:
        os.environ["MADOGUCHI_FONT_DIR"] = os.pathsep.join([*_dirs, _bundle_fonts])
