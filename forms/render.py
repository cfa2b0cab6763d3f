"""Rendering a form: layout + values → PDF bytes (reportlab), with fonts embedded and nothing clipped.

* Values are checked against the vocabulary first (:mod:`forms.values`).
* Each value is fitted into its box (:mod:`forms.fitting`); a value that cannot fit raises
  :class:`~forms.errors.TextDoesNotFitError` naming form and field.
* Rows of the repeating group that the first page cannot hold go onto continuation pages (続紙).
* Every page carries the back-office QR code with the form id and all its values.
* A line of a value that contains a space is wrapped in a marked-content span with ``/ActualText``:
  text extractors (poppler, Acrobat) drop spaces and split at them, but the full-width space between
  family and given name (U+3000) is part of the resident's name and must come back out exactly.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from forms.backoffice import encode_payload
from forms.errors import GlyphMissingError, QrPayloadTooLargeError, TextDoesNotFitError, TooManyRowsError
from forms.fitting import ASCENT, LEADING, LEGIBLE_MIN_PT, Fitted, fit_text
from forms.fonts import Face, FontSet
from forms.layout import Align, Fill, FormLayout, VAlign
from forms.library import FormLibrary
from forms.pages import (
    PT_PER_MM,
    CheckBox,
    CompiledPage,
    FieldRef,
    FieldSlot,
    PageCompiler,
    Rect,
    RepeatInfo,
    TextStyle,
)
from forms.pdfwriter import Fragment, PdfCanvas
from forms.qrfast import QrTooLargeError, qr_rows
from forms.static_layer import StaticLayers
from forms.values import CheckedValues, FormValues, check_values, display, json_value
from forms.vocabulary import FIELDS, GROUPS, FieldKind

STATIC_CACHE = 8192  # fitted labels kept per renderer (a few hundred per form)
MIN_MODULE_MM = 0.3  # smallest QR module that office printers and scanners handle reliably
QUIET_ZONE = 4  # modules of white around the QR symbol (ISO/IEC 18004)
TEXT_VPAD = 0.3  # mm above and below text inside its box
GRAYS = {Fill.LIGHT: 0.92, Fill.GRAY: 0.80}
_SPACE = re.compile(r"\s")  # a line with a space gets /ActualText (see text_line)


def _row_bits(row: bytes) -> bytes:
    """One row of modules (bytes of 0/1) packed 8 to a byte, most significant bit first, padded."""
    bits = row.translate(_AS_DIGITS) + b"0" * (-len(row) % 8)
    return int(bits, 2).to_bytes(len(bits) // 8, "big")


_AS_DIGITS = bytes.maketrans(b"\x00\x01", b"01")
CLOSED_ROWS = "以下余白"  # printed in the first unused row of a repeating group
LAYER_BASE = {"first": 100, "continuation": 200}  # font numbers of each template's static layer


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a value was drawn: page (1-based), field key, its box in mm (top-left origin), the text."""

    page: int
    key: str
    rect: Rect
    text: str
    lines: tuple[str, ...]
    size: float

    def __repr__(self) -> str:
        return f"Placement(page={self.page}, key={self.key!r}, rect={self.rect}, text=<redacted>)"


@dataclass(frozen=True, slots=True)
class CheckPlacement:
    page: int
    key: str
    option: str | None
    checked: bool
    box: Rect


@dataclass(frozen=True, slots=True)
class RenderedForm:
    form_id: str
    title: str
    pdf: bytes
    page_count: int
    placements: tuple[Placement, ...]
    checks: tuple[CheckPlacement, ...]
    qr_values: dict[str, Any]  # what every page's QR code carries (JSON-ready)
    handoff: tuple[tuple[str, ...], tuple[str, ...]] | None = None  # (batch ids, row ids) in the QR code

    def __repr__(self) -> str:
        return (
            f"RenderedForm(form_id={self.form_id!r}, page_count={self.page_count}, "
            f"pdf=<{len(self.pdf)} bytes>, values=<redacted>)"
        )


def _inner(rect: Rect, padding: float) -> Rect:
    return rect.inset(padding, TEXT_VPAD)


class PdfPainter:
    """Drawing primitives on a reportlab canvas in millimetres from the top-left corner."""

    def __init__(self, canvas: PdfCanvas, fonts: FontSet, page_h_mm: float) -> None:
        self.c = canvas
        self.fonts = fonts
        self.page_h_pt = page_h_mm * PT_PER_MM

    def x(self, mm: float) -> float:
        return mm * PT_PER_MM

    def y(self, mm: float) -> float:
        return self.page_h_pt - mm * PT_PER_MM

    def rect(self, rect: Rect, width_pt: float, fill: Fill = Fill.NONE) -> None:
        c = self.c
        do_fill = fill is not Fill.NONE
        if do_fill:
            c.setFillGray(GRAYS[fill])
        c.setLineWidth(width_pt)
        c.rect(
            self.x(rect.x),
            self.y(rect.bottom),
            rect.w * PT_PER_MM,
            rect.h * PT_PER_MM,
            stroke=1 if width_pt > 0 else 0,
            fill=1 if do_fill else 0,
        )
        if do_fill:
            c.setFillGray(0)

    def line(self, x1: float, y1: float, x2: float, y2: float, width_pt: float) -> None:
        self.c.setLineWidth(width_pt)
        self.c.line(self.x(x1), self.y(y1), self.x(x2), self.y(y2))

    def text_line(self, x_pt: float, baseline_pt: float, text: str, face: Face, size: float) -> None:
        """One line at a baseline (points from the bottom), with per-character font fallback."""
        actual = text if _SPACE.search(text) else None  # \s is str.isspace in Python's re
        self.c.show_text(x_pt, baseline_pt, self.fonts.runs(text, face), size, actual)

    def block(self, rect: Rect, fitted: Fitted, face: Face, align: Align, valign: VAlign) -> None:
        """Fitted lines inside ``rect`` (already the inner area), aligned."""
        size = fitted.size
        height_pt = fitted.height_pt
        top_pt = rect.y * PT_PER_MM
        free = rect.h * PT_PER_MM - height_pt
        if valign is VAlign.MIDDLE:
            top_pt += free / 2
        elif valign is VAlign.BOTTOM:
            top_pt += free
        for i, line in enumerate(fitted.lines):
            baseline_from_top = top_pt + ASCENT * size + i * LEADING * size
            if align is Align.LEFT:
                x_pt = rect.x * PT_PER_MM
            elif align is Align.CENTER:
                x_pt = (rect.x + rect.w / 2) * PT_PER_MM - self.fonts.width(line.rstrip(), face, size) / 2
            else:
                x_pt = rect.right * PT_PER_MM - self.fonts.width(line.rstrip(), face, size)
            if line:
                self.text_line(x_pt, self.page_h_pt - baseline_from_top, line, face, size)


class FormRenderer:
    """Renders the forms of a :class:`~forms.library.FormLibrary` with a :class:`~forms.fonts.FontSet`."""

    def __init__(self, library: FormLibrary, fonts: FontSet) -> None:
        self.library = library
        self.fonts = fonts
        self._lock = threading.Lock()
        # Keyed by the layout object (kept in the entry): a layout loaded again is compiled again.
        self._pages: dict[tuple[int, str], tuple[FormLayout, CompiledPage]] = {}
        self._static: dict[tuple[str, Rect, TextStyle, bool], Fitted] = {}
        self.layers = StaticLayers()

    def compiled(self, layout: FormLayout, which: str) -> CompiledPage:
        key = (id(layout), which)
        entry = self._pages.get(key)
        if entry is not None and entry[0] is layout:
            return entry[1]
        template = layout.first if which == "first" else layout.continuation
        assert template is not None
        page = PageCompiler(layout, self.fonts).compile(template, which)
        with self._lock:
            self._pages[key] = (layout, page)
        return page

    # -- values ------------------------------------------------------------------------------------

    def _qr_values(self, pages: list[CompiledPage], checked: CheckedValues) -> dict[str, Any]:
        names: set[str] = set()
        items: dict[str, set[str]] = {}
        for page in pages:
            for ref in [f.ref for f in page.fields] + [c.ref for c in page.checks]:
                if ref.group is None:
                    names.add(ref.name)
                else:
                    items.setdefault(ref.group, set()).add(ref.name)
        out: dict[str, Any] = {}
        for name in sorted(names):
            value = checked.scalars.get(name)
            if value is not None:
                out[name] = json_value(value)
        for group, wanted in sorted(items.items()):
            rows = checked.groups.get(group)
            if rows:
                out[group] = [
                    {k: json_value(v) for k, v in sorted(row.items()) if k in wanted} for row in rows
                ]
        return out

    # -- drawing -----------------------------------------------------------------------------------

    def _fit(
        self,
        form_id: str,
        key: str,
        text: str,
        rect: Rect,
        style: TextStyle,
        *,
        smaller_font: bool = False,
        title: str = "",
        avoid_orphans: bool = False,
    ) -> Fitted:
        """``text`` fitted into ``rect``; below the layout's minimum only with ``smaller_font``.

        A value that does not fit raises :class:`TextDoesNotFitError` carrying the size (never below
        :data:`~forms.fitting.LEGIBLE_MIN_PT`) at which it would fit, so the clerk can be offered it.
        """
        inner = _inner(rect, style.padding)

        def attempt(min_size: float) -> Fitted | None:
            try:
                return fit_text(
                    self.fonts,
                    text,
                    style.face,
                    inner.w * PT_PER_MM,
                    inner.h * PT_PER_MM,
                    size=style.size,
                    min_size=min_size,
                    lines=style.lines,
                    avoid_orphans=avoid_orphans,
                )
            except GlyphMissingError as exc:
                raise exc.located(form_id, key) from None

        fitted = attempt(style.min_size)
        if fitted is not None:
            return fitted
        smaller = attempt(LEGIBLE_MIN_PT) if style.min_size > LEGIBLE_MIN_PT else None
        if smaller is not None and smaller_font:
            return smaller
        raise TextDoesNotFitError(
            form_id,
            key,
            style.min_size,
            (round(rect.w, 1), round(rect.h, 1)),
            label=field_label(key),
            title=title,
            fits_at=smaller.size if smaller is not None else None,
        )

    def _draw_static(
        self, painter: PdfPainter, form_id: str, rect: Rect, text: str, style: TextStyle
    ) -> None:
        fitted = self._fit_static(form_id, text, rect, style, avoid_orphans=True)
        painter.block(_inner(rect, style.padding), fitted, style.face, style.align, style.valign)

    def _fit_static(
        self, form_id: str, text: str, rect: Rect, style: TextStyle, *, avoid_orphans: bool
    ) -> Fitted:
        """A label fitted once per renderer: labels repeat on every sheet and every form."""
        key = (text, rect, style, avoid_orphans)
        fitted = self._static.get(key)
        if fitted is None:
            fitted = self._fit(form_id, "(label)", text, rect, style, avoid_orphans=avoid_orphans)
            if len(self._static) > STATIC_CACHE:
                self._static.clear()
            self._static[key] = fitted
        return fitted

    def _draw_field(
        self,
        painter: PdfPainter,
        form_id: str,
        slot: FieldSlot,
        checked: CheckedValues,
        row_offset: int,
        page_no: int,
        out: list[Placement],
        smaller_font: Collection[str] = (),
        title: str = "",
    ) -> None:
        ref = slot.ref
        index = None if ref.group is None else row_offset + (ref.slot or 0)
        value = checked.get(ref.name, ref.group, index)
        if value is None:
            in_use = ref.group is None or (index is not None and index < checked.row_count(ref.group))
            if slot.when_empty and in_use:
                # Left for the office on purpose (the visit cannot know it): say so, in grey, so the
                # resident does not guess and staff see what to settle. Not a value: not in the QR.
                style = TextStyle(6.5, 4.5, Face.GOTHIC, Align.LEFT, VAlign.MIDDLE, slot.style.padding, 2)
                painter.c.setFillGray(0.4)
                self._draw_static(painter, form_id, slot.text_rect, slot.when_empty, style)
                painter.c.setFillGray(0)
            return
        spec = ref.spec()
        assert spec is not None
        text = display(spec, value, slot.format, slot.suffix)
        key = ref.key(row_offset)
        fitted = self._fit(
            form_id, key, text, slot.text_rect, slot.style, smaller_font=key in smaller_font, title=title
        )
        painter.block(
            _inner(slot.text_rect, slot.style.padding),
            fitted,
            slot.style.face,
            slot.style.align,
            slot.style.valign,
        )
        out.append(Placement(page_no, key, slot.text_rect, "".join(fitted.lines), fitted.lines, fitted.size))

    def _draw_check(
        self,
        painter: PdfPainter,
        check: CheckBox,
        checked: CheckedValues,
        row_offset: int,
        page_no: int,
        out: list[CheckPlacement],
    ) -> None:
        ref = check.ref
        index = None if ref.group is None else row_offset + (ref.slot or 0)
        value = checked.get(ref.name, ref.group, index)
        spec = ref.spec()
        is_on = (
            (value is True)
            if spec is not None and spec.kind is FieldKind.FLAG
            else (value is not None and value == check.option)
        )
        if ref.group is not None:  # a row's box and label are drawn with the row (the layer has the rest)
            self._draw_check_box(painter, check)
        if is_on:
            size = check.box.h * PT_PER_MM * 1.05
            width = self.fonts.width("✓", Face.GOTHIC, size)
            cx = (check.box.x + check.box.w / 2) * PT_PER_MM - width / 2
            baseline = painter.y(check.box.y + check.box.h / 2) - (ASCENT - 0.5) * size
            painter.text_line(cx, baseline, "✓", Face.GOTHIC, size)
        if spec is not None and (ref.group is None or value is not None or is_on):
            out.append(CheckPlacement(page_no, ref.key(row_offset), check.option, is_on, check.box))

    def _draw_check_box(self, painter: PdfPainter, check: CheckBox) -> None:
        painter.rect(check.box, 0.6)
        if check.label and check.label_rect is not None:
            label_style = TextStyle(check.label_size, 5.0, Face.GOTHIC, Align.LEFT, VAlign.MIDDLE, 0.0, 1)
            label_rect = check.label_rect.inset(0, -TEXT_VPAD)
            fitted = self._fit_static("", check.label, label_rect, label_style, avoid_orphans=False)
            painter.block(check.label_rect, fitted, Face.GOTHIC, Align.LEFT, VAlign.MIDDLE)

    def _draw_layout(self, painter: PdfPainter, layout: FormLayout, page: CompiledPage) -> None:
        """The static layer: everything of the template that no value changes (see forms.static_layer).

        Takes no values on purpose: what is drawn here is cached and shared by every visit.
        """
        for stroke in page.strokes:  # fills first, so that lines stay visible
            if stroke.rect is not None and stroke.fill is not Fill.NONE:
                painter.rect(stroke.rect, 0.0, stroke.fill)
        for stroke in page.strokes:
            if stroke.rect is not None and stroke.width_pt > 0:
                painter.rect(stroke.rect, stroke.width_pt)
            elif stroke.line is not None:
                painter.line(*stroke.line, stroke.width_pt)
        for text in page.texts:
            self._draw_static(painter, layout.id, text.rect, text.text, text.style)
        for slot in page.fields:
            if slot.caption:
                cap = Rect(
                    slot.rect.x + 0.8, slot.rect.y + 0.3, slot.rect.w - 1.6, slot.text_rect.y - slot.rect.y
                )
                style = TextStyle(6.0, 4.5, Face.GOTHIC, Align.LEFT, VAlign.TOP, 0.0, 1)
                self._draw_static(painter, layout.id, cap, slot.caption, style)
        for check in page.checks:
            if check.ref.group is None:
                self._draw_check_box(painter, check)
        for signature in page.signatures:
            style = TextStyle(7.0, 5.0, Face.GOTHIC, Align.LEFT, VAlign.TOP, 0.0, 1)
            r = signature.rect
            self._draw_static(
                painter, layout.id, Rect(r.x + 1.0, r.y + 0.6, r.w - 2.0, 3.2), signature.label, style
            )
            if signature.note and r.h >= 9:
                note = TextStyle(6.0, 4.5, Face.GOTHIC, Align.RIGHT, VAlign.BOTTOM, 0.0, 1)
                painter.c.setFillGray(0.35)
                self._draw_static(
                    painter, layout.id, Rect(r.x + 1.0, r.bottom - 3.4, r.w - 2.0, 3.0), signature.note, note
                )
                painter.c.setFillGray(0)

    def _layer(self, painter: PdfPainter, layout: FormLayout, page: CompiledPage, which: str) -> Fragment:
        """The template's static layer, drawn on first use (through ``painter``) and then reused."""

        def build() -> Fragment:
            base = LAYER_BASE[which]
            canvas = PdfCanvas((painter.c.width, painter.c.height), number_base=base)
            drawing_on = painter.c
            painter.c = canvas
            try:
                self._draw_layout(painter, layout, page)
            finally:
                painter.c = drawing_on
            for face, text in self._sheet_texts(layout, page):
                for font_name, run in self.fonts.runs(text, face):
                    canvas.reserve(font_name, run)
            return canvas.fragment(f"X{base}")

        return self.layers.get(layout, which, build)

    @staticmethod
    def _sheet_texts(layout: FormLayout, page: CompiledPage) -> list[tuple[Face, str]]:
        """Texts of the layout drawn on each sheet rather than in the static layer (row numbers, row tick
        labels, 「窓口で確認」, 以下余白, the QR caption, page numbers): their characters get codes in
        the layer's subsets, so a sheet writes them without subsets of its own."""
        digits = "0123456789"
        texts: list[tuple[Face, str]] = [(Face.GOTHIC, f"✓{CLOSED_ROWS}{digits} /枚")]
        texts += [(t.style.face, t.text.replace("{n}", "") + digits) for t, _ in page.row_texts]
        texts += [(Face.GOTHIC, c.label) for c in page.checks if c.label and c.ref.group is not None]
        texts += [(Face.GOTHIC, f.when_empty) for f in page.fields if f.when_empty]
        texts += [(Face.GOTHIC, f"{q.caption} {layout.id}") for q in page.qrs]
        return texts

    def _place_layout(self, painter: PdfPainter, layout: FormLayout, page: CompiledPage, which: str) -> None:
        painter.c.draw_fragment(self._layer(painter, layout, page, which))

    def _draw_qr(self, painter: PdfPainter, form_id: str, rect: Rect, caption: str, payload: str) -> None:
        try:
            rows = qr_rows(payload)
        except QrTooLargeError:
            raise QrPayloadTooLargeError(form_id, len(payload)) from None
        n = len(rows)
        module = rect.w / (n + 2 * QUIET_ZONE)
        if module < MIN_MODULE_MM:
            raise QrPayloadTooLargeError(form_id, len(payload))
        # The symbol as a 1-bit image mask, one sample per module, scaled to the module size: a few KB
        # where a path of runs takes ~70 KB; drawn without interpolation, so modules stay sharp.
        m_pt = module * PT_PER_MM
        x0 = (rect.x + QUIET_ZONE * module) * PT_PER_MM
        bottom = painter.y(rect.y + QUIET_ZONE * module) - n * m_pt
        side = rect.w * PT_PER_MM
        white = f"{rect.x * PT_PER_MM:.3f} {painter.y(rect.bottom):.3f} {side:.3f} {side:.3f} re"
        samples = b"".join(_row_bits(row) for row in rows).hex().upper()
        ops = [
            f"q 1 g {white} f 0 g",
            f"{n * m_pt:.3f} 0 0 {n * m_pt:.3f} {x0:.3f} {bottom:.3f} cm",
            f"BI /W {n} /H {n} /IM true /BPC 1 /D [1 0] /F /AHx ID",
            samples + ">",
            "EI Q",
        ]
        painter.c.addLiteral("\n".join(ops))
        style = TextStyle(6.0, 5.0, Face.GOTHIC, Align.CENTER, VAlign.TOP, 0.0, 1)
        self._draw_static(painter, form_id, Rect(rect.x, rect.bottom, rect.w, 3.2), caption, style)

    def _close_rows(self, painter: PdfPainter, form_id: str, repeat: RepeatInfo, used: int) -> None:
        """以下余白 in the first unused row and a diagonal strike over every unused row."""
        if repeat.row is None or used >= repeat.capacity:
            return
        row = repeat.row
        top = row.y + used * repeat.row_h
        bottom = row.y + (repeat.capacity - 1) * repeat.row_h + row.h
        painter.line(row.x, top, row.right, bottom, 0.8)
        label = Rect(row.x + row.w / 2 - 14, top + min(row.h, repeat.row_h) / 2 - 2.6, 28, 5.2)
        painter.rect(label, 0.0, Fill.NONE)
        painter.c.setFillGray(1)
        painter.c.rect(
            painter.x(label.x), painter.y(label.bottom), label.w * PT_PER_MM, label.h * PT_PER_MM, 0, 1
        )
        painter.c.setFillGray(0)
        style = TextStyle(11.0, 8.0, Face.GOTHIC, Align.CENTER, VAlign.MIDDLE, 0.5, 1)
        self._draw_static(painter, form_id, label, CLOSED_ROWS, style)

    def _draw_page(
        self,
        painter: PdfPainter,
        layout: FormLayout,
        page: CompiledPage,
        which: str,
        checked: CheckedValues,
        row_offset: int,
        page_no: int,
        page_count: int,
        payload: str,
        placements: list[Placement],
        checks: list[CheckPlacement],
        smaller_font: Collection[str] = (),
    ) -> None:
        # Rows of the repeating group beyond the last person are closed: no row number, no live boxes,
        # and 以下余白 with a strike, so nothing can be written where the back office would not see it.
        used = {
            r.group: max(0, min(r.capacity, checked.row_count(r.group) - row_offset)) for r in page.repeats
        }

        def unused(ref: FieldRef) -> bool:
            return ref.group is not None and ref.group in used and (ref.slot or 0) >= used[ref.group]

        self._place_layout(painter, layout, page, which)
        for text, row_slot in page.row_texts:
            group = page.repeats[0].group if page.repeats else None
            if group is not None and row_slot >= used.get(group, 0):
                continue
            content = text.text.replace("{n}", str(row_offset + row_slot + 1))
            self._draw_static(painter, layout.id, text.rect, content, text.style)
        for slot in page.fields:
            self._draw_field(
                painter, layout.id, slot, checked, row_offset, page_no, placements, smaller_font, layout.title
            )
        for check in page.checks:
            if not unused(check.ref):
                self._draw_check(painter, check, checked, row_offset, page_no, checks)
        for repeat in page.repeats:
            self._close_rows(painter, layout.id, repeat, used[repeat.group])
        for qr in page.qrs:
            caption = f"{qr.caption} {layout.id} {page_no}/{page_count}"
            self._draw_qr(painter, layout.id, qr.rect, caption, payload)
        if page_count > 1 and page.footer is not None:
            style = TextStyle(8.0, 6.0, Face.GOTHIC, Align.RIGHT, VAlign.BOTTOM, 0.0, 1)
            self._draw_static(painter, layout.id, page.footer, f"{page_no} / {page_count} 枚", style)

    def _plan(
        self, layout: FormLayout, checked: CheckedValues
    ) -> tuple[list[tuple[CompiledPage, str, int]], list[CompiledPage]]:
        """The sheets (template, its name, first row) and the templates used: continuation pages for
        extra rows."""
        first = self.compiled(layout, "first")
        templates = [first]
        continuation = self.compiled(layout, "continuation") if layout.continuation is not None else None
        if continuation is not None:
            templates.append(continuation)
        plan: list[tuple[CompiledPage, str, int]] = [(first, "first", 0)]
        if first.repeats:
            group = first.repeats[0].group
            rows = checked.row_count(group)
            capacity = first.repeats[0].capacity
            if rows > capacity:
                if continuation is None:
                    raise TooManyRowsError(layout.id, group, rows, capacity)
                per_page = continuation.repeats[0].capacity
                extra = math.ceil((rows - capacity) / per_page)
                plan += [(continuation, "continuation", capacity + i * per_page) for i in range(extra)]
        return plan, templates

    def overflows(
        self, form_id: str, values: FormValues | Mapping[str, Any], *, smaller_font: Collection[str] = ()
    ) -> tuple[TextDoesNotFitError, ...]:
        """Every value of the form that does not fit its box (empty when the form can be printed).

        Nothing is drawn: the clerk sees the list before printing, each with the field, the person's
        row and whether a smaller font (down to :data:`~forms.fitting.LEGIBLE_MIN_PT`) would do.
        """
        layout = self.library.get(form_id)
        checked = check_values(form_id, values)
        plan, _ = self._plan(layout, checked)
        found: list[TextDoesNotFitError] = []
        for page, _, row_offset in plan:
            for slot in page.fields:
                ref = slot.ref
                index = None if ref.group is None else row_offset + (ref.slot or 0)
                value = checked.get(ref.name, ref.group, index)
                spec = ref.spec()
                if value is None or spec is None:
                    continue
                key = ref.key(row_offset)
                text = display(spec, value, slot.format, slot.suffix)
                try:
                    self._fit(
                        form_id,
                        key,
                        text,
                        slot.text_rect,
                        slot.style,
                        smaller_font=key in smaller_font,
                        title=layout.title,
                    )
                except TextDoesNotFitError as exc:
                    found.append(exc)
        return tuple(found)

    def render(
        self,
        form_id: str,
        values: FormValues | Mapping[str, Any],
        *,
        smaller_font: Collection[str] = (),
        handoff: tuple[Sequence[str], Sequence[str]] | None = None,
    ) -> RenderedForm:
        """The filled form; ``smaller_font`` lists field keys the clerk allowed below the layout minimum;
        ``handoff`` (batch ids, row ids) goes into the back-office QR code (docs/handoff.md).

        A value that does not fit raises :class:`TextDoesNotFitError` (use :meth:`overflows` first to
        list them all). Allowed keys are printed at the largest size that fits, never below
        :data:`~forms.fitting.LEGIBLE_MIN_PT`.
        """
        layout = self.library.get(form_id)
        checked = check_values(form_id, values)
        page_plan, pages_templates = self._plan(layout, checked)

        qr_values = self._qr_values(pages_templates, checked)
        page_w, page_h = layout.page_mm
        canvas = PdfCanvas((page_w * PT_PER_MM, page_h * PT_PER_MM))
        canvas.setTitle(layout.title)
        canvas.setSubject(form_id)
        canvas.setCreator("Madoguchi")
        canvas.setAuthor("")
        painter = PdfPainter(canvas, self.fonts, page_h)
        placements: list[Placement] = []
        check_marks: list[CheckPlacement] = []
        for number, (page, which, row_offset) in enumerate(page_plan, start=1):
            payload = encode_payload(form_id, qr_values, number, len(page_plan), handoff)
            self._draw_page(
                painter,
                layout,
                page,
                which,
                checked,
                row_offset,
                number,
                len(page_plan),
                payload,
                placements,
                check_marks,
                smaller_font,
            )
            canvas.showPage()
        pdf = canvas.save()
        return RenderedForm(
            form_id,
            layout.title,
            pdf,
            len(page_plan),
            tuple(placements),
            tuple(check_marks),
            qr_values,
            None if handoff is None else (tuple(handoff[0]), tuple(handoff[1])),
        )


def field_label(key: str) -> str:
    """The Japanese name of a field key: ``members[1].kana`` → 「フリガナ(2人目)」."""
    if "[" in key and "]." in key:
        group, rest = key.split("[", 1)
        index_text, name = rest.split("].", 1)
        spec = GROUPS.get(group, {}).get(name)
        label = spec.label if spec is not None else name
        return f"{label}({int(index_text) + 1}人目)" if index_text.isdigit() else label
    spec = FIELDS.get(key)
    return spec.label if spec is not None else key
