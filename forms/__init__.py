"""Form layouts (data) and their rendering to PDF with reportlab, and the guide sheet (窓口案内シート).

Given a form id and a mapping of field values it returns PDF bytes; it never imports ``procedures``.

Public API::

    fonts = load_fonts()                       # FontMissingError (Japanese clerk message) if a font is absent
    library = load_library([municipal_dir])    # shipped layouts, overridden by a municipality's folder
    problems = library.check(fonts)            # unknown fields, overlaps, text that cannot fit
    renderer = FormRenderer(library, fonts)
    form = renderer.render("jumin_idou", {"applicant_name": "髙﨑　𠮷子", "members": [...]})
    form.pdf, form.page_count, form.placements
    sheet = render_guide_sheet(GuideSheet(...), fonts)   # large-print guide, Japanese or English
    record = decode_payload(qr_bytes)          # the back-office QR code: form id and values

Layers: :mod:`~forms.vocabulary` (the fields) → :mod:`~forms.layout` (schema) → :mod:`~forms.pages`
(compiled boxes) → :mod:`~forms.check` / :mod:`~forms.render`; fonts in :mod:`~forms.fonts` with the
ToUnicode fix in :mod:`~forms.tounicode`; dates in :mod:`~forms.wareki`.
"""

from forms.backoffice import BackofficeRecord, decode_payload, encode_payload
from forms.errors import (
    FieldValueError,
    FontMissingError,
    FormsError,
    GlyphMissingError,
    LayoutError,
    LayoutProblem,
    QrPayloadError,
    QrPayloadTooLargeError,
    TextDoesNotFitError,
    TooManyRowsError,
    UnknownFormError,
    WarekiRangeError,
)
from forms.fonts import Face, FontSet, load_fonts
from forms.guide import GuideCounter, GuideProcedure, GuideSheet, RenderedGuide, render_guide_sheet
from forms.guide_bilingual import RenderedBilingualGuide, ResidentGuide, render_bilingual_guide
from forms.library import FormFields, FormLibrary, load_library
from forms.render import CheckPlacement, FormRenderer, Placement, RenderedForm
from forms.scripts import ScriptFonts
from forms.values import FormValues, Row, Scalar
from forms.vocabulary import FIELDS, GROUPS, FieldKind, FieldSpec
from forms.wareki import format_wareki, format_wareki_short, format_wareki_year_month, to_wareki

__all__ = [
    "FIELDS",
    "GROUPS",
    "BackofficeRecord",
    "CheckPlacement",
    "Face",
    "FieldKind",
    "FieldSpec",
    "FieldValueError",
    "FontMissingError",
    "FontSet",
    "FormFields",
    "FormLibrary",
    "FormRenderer",
    "FormValues",
    "FormsError",
    "GlyphMissingError",
    "GuideCounter",
    "GuideProcedure",
    "GuideSheet",
    "LayoutError",
    "LayoutProblem",
    "Placement",
    "QrPayloadError",
    "QrPayloadTooLargeError",
    "RenderedBilingualGuide",
    "RenderedForm",
    "RenderedGuide",
    "ResidentGuide",
    "Row",
    "Scalar",
    "ScriptFonts",
    "TextDoesNotFitError",
    "TooManyRowsError",
    "UnknownFormError",
    "WarekiRangeError",
    "decode_payload",
    "encode_payload",
    "format_wareki",
    "format_wareki_short",
    "format_wareki_year_month",
    "load_fonts",
    "load_library",
    "render_bilingual_guide",
    "render_guide_sheet",
    "to_wareki",
]
