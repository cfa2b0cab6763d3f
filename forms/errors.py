"""Typed errors of the forms package.

Every error derives from :class:`FormsError`. Subclasses carry data (form id, field name, font file,
code point) but never a field's value: names, addresses and birth dates stay out of messages, logs
and reprs. ``counter_app.presenters.messages`` turns them into the Japanese line a clerk reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


class FormsError(Exception):
    """Base of every error raised by :mod:`forms`."""


class FontMissingError(FormsError):
    """A font that forms need is not installed (checked when the fonts are loaded, before any page)."""

    def __init__(self, family: str, file_name: str, searched: Sequence[Path], package: str) -> None:
        self.family = family
        self.file_name = file_name
        self.searched = tuple(searched)
        self.package = package
        super().__init__(
            f"font {family} ({file_name}) not found in {[str(p) for p in self.searched]}; "
            f"install the Debian package {package} or set MADOGUCHI_FONT_DIR"
        )


class GlyphMissingError(FormsError):
    """No embedded font (IPAex, IPAmj明朝, registered 外字) has a glyph for a character or a variation
    sequence (``selector`` set): printing it would be tofu, or another glyph than the registered one."""

    def __init__(
        self, code_point: int, form_id: str = "", field: str = "", *, selector: int | None = None
    ) -> None:
        self.code_point = code_point
        self.selector = selector
        self.form_id = form_id
        self.field = field
        where = f" in {form_id}.{field}" if field else ""
        super().__init__(f"no font has a glyph for {self.code_points}{where}")

    @property
    def code_points(self) -> str:
        """U+908A, or U+908A U+E0101 for a variation sequence."""
        text = f"U+{self.code_point:04X}"
        return text if self.selector is None else f"{text} U+{self.selector:04X}"

    def located(self, form_id: str, field: str) -> GlyphMissingError:
        return GlyphMissingError(self.code_point, form_id, field, selector=self.selector)


class UnknownFormError(FormsError):
    """No layout with this form id is loaded."""

    def __init__(self, form_id: str, known: Sequence[str] = ()) -> None:
        self.form_id = form_id
        self.known = tuple(known)
        super().__init__(f"unknown form {form_id!r}")


@dataclass(frozen=True, slots=True)
class LayoutProblem:
    """One thing wrong with a layout file: where (file, element path) and what, in Japanese."""

    form_id: str
    where: str
    message: str
    file: str = ""
    line: int | None = None

    def __str__(self) -> str:
        location = self.file or self.form_id
        if self.line is not None:
            location += f":{self.line}"
        return f"{location}: {self.where}: {self.message}" if self.where else f"{location}: {self.message}"


class LayoutError(FormsError):
    """One or more layout files are invalid (schema, unknown fields, overlaps, text that cannot fit)."""

    def __init__(self, problems: Sequence[LayoutProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class FieldValueError(FormsError):
    """A value handed to a form is not acceptable (unknown field, wrong type, not one of the choices)."""

    def __init__(self, form_id: str, field: str, reason: str) -> None:
        self.form_id = form_id
        self.field = field
        self.reason = reason
        super().__init__(f"{form_id}.{field}: {reason}")


class TextDoesNotFitError(FormsError):
    """A value does not fit its box even at the minimum size and wrapped; it is never clipped.

    ``fits_at`` is the size (points, at least :data:`forms.fitting.LEGIBLE_MIN_PT`) at which the value
    would fit if the clerk accepts a smaller font, or ``None`` when only an edit of the value helps.
    ``label`` is the field's Japanese name with the person's row (e.g. 「フリガナ(2人目)」).
    """

    def __init__(
        self,
        form_id: str,
        field: str,
        min_size: float,
        box_mm: tuple[float, float],
        *,
        label: str = "",
        title: str = "",
        fits_at: float | None = None,
    ) -> None:
        self.form_id = form_id
        self.field = field
        self.min_size = min_size
        self.box_mm = box_mm
        self.label = label or field
        self.title = title or form_id
        self.fits_at = fits_at
        super().__init__(
            f"{form_id}.{field}: text does not fit a {box_mm[0]:g}x{box_mm[1]:g} mm box "
            f"even at {min_size:g} pt wrapped"
        )


class TooManyRowsError(FormsError):
    """A repeating group has more rows than the form can carry (no continuation page declared)."""

    def __init__(self, form_id: str, group: str, rows: int, capacity: int) -> None:
        self.form_id = form_id
        self.group = group
        self.rows = rows
        self.capacity = capacity
        super().__init__(f"{form_id}.{group}: {rows} rows, the form holds {capacity}")


class QrPayloadTooLargeError(FormsError):
    """The back-office QR code cannot carry the form's values at its printed size."""

    def __init__(self, form_id: str, characters: int) -> None:
        self.form_id = form_id
        self.characters = characters
        super().__init__(f"{form_id}: back-office QR payload of {characters} characters is too large")


class QrPayloadError(FormsError):
    """A scanned back-office QR payload is not in the Madoguchi format (or is damaged)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"not a Madoguchi back-office payload: {reason}")


class WarekiRangeError(FormsError, ValueError):
    """A date before 明治6年1月1日 (1873-01-01, the adoption of the Gregorian calendar)."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(f"year {year} is before the Gregorian calendar in Japan (1873)")
