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

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

# Each public name is imported from its module on first use (PEP 562): importing one module of the
# package (say ``forms.errors``) does not load the rest, which keeps the kiosk's cold start short.
_EXPORTS = {
    "BackofficeRecord": "forms.backoffice",
    "decode_payload": "forms.backoffice",
    "encode_payload": "forms.backoffice",
    "FieldValueError": "forms.errors",
    "FontMissingError": "forms.errors",
    "FormsError": "forms.errors",
    "GlyphMissingError": "forms.errors",
    "LayoutError": "forms.errors",
    "LayoutProblem": "forms.errors",
    "QrPayloadError": "forms.errors",
    "QrPayloadTooLargeError": "forms.errors",
    "TextDoesNotFitError": "forms.errors",
    "TooManyRowsError": "forms.errors",
    "UnknownFormError": "forms.errors",
    "WarekiRangeError": "forms.errors",
    "Face": "forms.fonts",
    "FontSet": "forms.fonts",
    "load_fonts": "forms.fonts",
    "GuideCounter": "forms.guide",
    "GuideProcedure": "forms.guide",
    "GuideSheet": "forms.guide",
    "RenderedGuide": "forms.guide",
    "render_guide_sheet": "forms.guide",
    "RenderedBilingualGuide": "forms.guide_bilingual",
    "ResidentGuide": "forms.guide_bilingual",
    "render_bilingual_guide": "forms.guide_bilingual",
    "FormFields": "forms.library",
    "FormLibrary": "forms.library",
    "load_library": "forms.library",
    "CheckPlacement": "forms.render",
    "FormRenderer": "forms.render",
    "Placement": "forms.render",
    "RenderedForm": "forms.render",
    "ScriptFonts": "forms.scripts",
    "FormValues": "forms.values",
    "Row": "forms.values",
    "Scalar": "forms.values",
    "FIELDS": "forms.vocabulary",
    "GROUPS": "forms.vocabulary",
    "FieldKind": "forms.vocabulary",
    "FieldSpec": "forms.vocabulary",
    "format_wareki": "forms.wareki",
    "format_wareki_short": "forms.wareki",
    "format_wareki_year_month": "forms.wareki",
    "to_wareki": "forms.wareki",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


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
