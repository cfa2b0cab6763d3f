"""The guide sheet (窓口案内シート): where to go next, why, what to bring, by when — in large print.

The input is plain data (:class:`GuideSheet`): counters in the order the resident should visit them,
each with its procedures. Every string arrives in the sheet's language (the catalog's translations);
this module only supplies its own captions (理由 / Why, 持ち物 / Please bring …) in Japanese and
English and never translates data. Dates are printed in 和暦 with the weekday (Japanese) or as
"Tuesday 15 April 2025" (English), with the days left counted from the visit date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from forms.errors import GlyphMissingError
from forms.fitting import LEADING, Fitted, wrap_in_face
from forms.fonts import Face, FontSet
from forms.layout import Align, Fill, VAlign
from forms.pages import PT_PER_MM, Rect
from forms.pdfwriter import PdfCanvas
from forms.render import PdfPainter
from forms.wareki import format_wareki

Language = Literal["ja", "en"]
PAGE_W, PAGE_H = 210.0, 297.0
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 15.0, 14.0, 16.0
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


@dataclass(frozen=True, slots=True)
class GuideProcedure:
    name: str
    reason: str = ""
    items_to_bring: tuple[str, ...] = ()
    deadline: dt.date | None = None
    deadline_rule: str = ""  # e.g. 転入した日から14日以内 / within 14 days of moving in
    done_today: bool = False
    forms: tuple[str, ...] = ()  # titles of the pre-filled forms printed for it
    note: str = ""
    deadline_note: str = ""  # why the date is not the period's last day (期限の6月15日(日)は閉庁日のため…)
    people: tuple[str, ...] = ()  # whom it concerns, for a per-person procedure (printed as 対象)
    untranslated: bool = False  # the resident's language has no text for it: printed in Japanese, noted
    untranslated_parts: tuple[str, ...] = ()  # strings left in Japanese (an item …), each marked on the sheet


@dataclass(frozen=True, slots=True)
class GuideCounter:
    name: str  # e.g. 3番窓口 保険年金課
    location: str = ""  # e.g. 本庁舎1階
    procedures: tuple[GuideProcedure, ...] = ()


@dataclass(frozen=True, slots=True)
class GuideSheet:
    visit_date: dt.date
    counters: tuple[GuideCounter, ...]
    language: Language = "ja"
    office: str = ""  # e.g. みどり区役所
    household: str = ""  # how the resident is addressed (a name): printed, never logged
    notes: tuple[str, ...] = field(default_factory=tuple)

    def __repr__(self) -> str:
        return (
            f"GuideSheet(language={self.language!r}, visit_date={self.visit_date}, "
            f"counters={len(self.counters)}, household=<redacted>)"
        )


@dataclass(frozen=True, slots=True)
class RenderedGuide:
    pdf: bytes
    page_count: int
    language: Language

    def __repr__(self) -> str:
        return (
            f"RenderedGuide(language={self.language!r}, page_count={self.page_count}, "
            f"pdf=<{len(self.pdf)} bytes>)"
        )


CAPTIONS: dict[Language, dict[str, str]] = {
    "ja": {
        "title": "窓口案内シート",
        "reason": "理由",
        "items": "持ち物",
        "deadline": "期限",
        "forms": "書類",
        "people": "対象",
        "done": "本日手続き済み",
        "todo": "これから",
        "until": "まで",
        "left": "あと{n}日",
        "left_one": "あと1日",
        "today": "本日が期限",
        "overdue": "期限を過ぎています。お早めに手続きしてください",
        "summary": "手続き {n}件(うち本日済み {m}件)",
        "page": "{i} / {n} 枚",
        "honorific": "{name} 様",
        "nothing": "必要な手続きはありません。",
        "continued": "(続き)",
    },
    "en": {
        "title": "Counter Guide",
        "reason": "Why",
        "items": "Please bring",
        "deadline": "Deadline",
        "forms": "Forms",
        "people": "For",
        "done": "Done today",
        "todo": "To do",
        "until": "",
        "left": "{n} days left",
        "left_one": "1 day left",
        "today": "due today",
        "overdue": "Overdue: please complete it as soon as possible",
        "summary": "{n} procedures ({m} done today)",
        "page": "Page {i} of {n}",
        "honorific": "For: {name}",
        "nothing": "No procedures are needed.",
        "continued": "(continued)",
    },
}
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def format_date(date: dt.date, language: Language) -> str:
    if language == "ja":
        return format_wareki(date, weekday=True)
    return f"{WEEKDAYS[date.weekday()]} {date.day} {MONTHS[date.month - 1]} {date.year}"


def deadline_text(procedure: GuideProcedure, visit_date: dt.date, language: Language) -> str:
    """期限: 令和7年4月15日(火)まで(あと1日)・転入した日から14日以内・(閉庁日の説明)."""
    c = CAPTIONS[language]
    parts: list[str] = []
    if procedure.deadline is not None:
        days = (procedure.deadline - visit_date).days
        when = format_date(procedure.deadline, language) + c["until"]
        if procedure.done_today:
            status = ""
        elif days < 0:
            status = c["overdue"]
        elif days == 0:
            status = c["today"]
        else:
            status = c["left_one"] if days == 1 else c["left"].format(n=days)
        parts.append(f"{when}({status})" if language == "ja" and status else when)
        if language == "en" and status:
            parts[-1] += f" ({status})"
    if procedure.deadline_rule:
        parts.append(procedure.deadline_rule)
    if procedure.deadline_note:
        parts.append(procedure.deadline_note)
    separator = "・" if language == "ja" else "; "
    return separator.join(parts)


_PAGE_BREAK = None  # in a sheet's recorded drawing: the page ends here
_Op = tuple[str, tuple[Any, ...]] | None


class _Recorder:
    """What the layout draws, in order, with its page breaks: (painter method, arguments).

    Laying the sheet out once counts its pages; the drawing is then replayed onto the PDF with the
    numbered footers (what a second layout pass used to draw). It lives only while one sheet is rendered.
    """

    def __init__(self) -> None:
        self.ops: list[_Op] = []

    def rect(self, rect: Rect, width_pt: float, fill: Fill = Fill.NONE) -> None:
        self.ops.append(("rect", (rect, width_pt, fill)))

    def line(self, x1: float, y1: float, x2: float, y2: float, width_pt: float) -> None:
        self.ops.append(("line", (x1, y1, x2, y2, width_pt)))

    def block(self, rect: Rect, fitted: Fitted, face: Face, align: Align, valign: VAlign) -> None:
        # A character no font has already failed when the line was measured.
        self.ops.append(("block", (rect, fitted, face, align, valign)))


class _Flow:
    """A top-to-bottom writer over pages; breaks pages when the next block does not fit."""

    def __init__(self, fonts: FontSet, sheet: GuideSheet) -> None:
        self.fonts = fonts
        self.sheet = sheet
        self.painter = _Recorder()
        self.y = MARGIN_TOP
        self.pages = 1
        self.width = PAGE_W - 2 * MARGIN_X

    def lines(self, text: str, face: Face, size: float, width: float) -> list[str]:
        out: list[str] = []
        for paragraph in text.split("\n"):
            out += wrap_in_face(self.fonts, paragraph, face, size, width * PT_PER_MM)
        return out

    def height(self, n_lines: int, size: float) -> float:
        return (size * (1 + (n_lines - 1) * LEADING)) / PT_PER_MM

    def ensure(self, needed: float) -> None:
        if self.y + needed > PAGE_H - MARGIN_BOTTOM:
            self.new_page()

    def new_page(self) -> None:
        self.painter.ops.append(_PAGE_BREAK)
        self.pages += 1
        self.y = MARGIN_TOP
        c = CAPTIONS[self.sheet.language]
        self.text(f"{c['title']} {c['continued']}", Face.GOTHIC, 12, MARGIN_X, self.width)
        self.y += 3

    def text(
        self, text: str, face: Face, size: float, x: float, width: float, align: Align = Align.LEFT
    ) -> float:
        lines = self.lines(text, face, size, width)
        h = self.height(len(lines), size)
        self.ensure(h)
        self.painter.block(Rect(x, self.y, width, h), Fitted(size, tuple(lines)), face, align, VAlign.TOP)
        self.y += h
        return h

    def labelled(self, label: str, text: str, size: float, indent: float) -> None:
        label_w = max(self.fonts.width(label, Face.GOTHIC, size) / PT_PER_MM + 3, 18.0)
        width = self.width - indent - label_w
        lines = self.lines(text, Face.MINCHO, size, width)
        h = self.height(len(lines), size)
        self.ensure(h)
        x = MARGIN_X + indent
        self.painter.block(
            Rect(x, self.y, label_w, h), Fitted(size, (label,)), Face.GOTHIC, Align.LEFT, VAlign.TOP
        )
        self.painter.block(
            Rect(x + label_w, self.y, width, h),
            Fitted(size, tuple(lines)),
            Face.MINCHO,
            Align.LEFT,
            VAlign.TOP,
        )
        self.y += h + 1.2


def _procedure_height(flow: _Flow, procedure: GuideProcedure) -> float:
    # A procedure is kept on one page when it can be: its name and first lines together.
    return flow.height(1, 15) + 3 * flow.height(1, 12.5) + 4


def _canvas(sheet: GuideSheet) -> PdfCanvas:
    canvas = PdfCanvas((PAGE_W * PT_PER_MM, PAGE_H * PT_PER_MM))
    canvas.setTitle(CAPTIONS[sheet.language]["title"])
    canvas.setCreator("Madoguchi")
    return canvas


def render_guide_sheet(sheet: GuideSheet, fonts: FontSet) -> RenderedGuide:
    """The guide sheet as PDF bytes (A4, large print), with "1 / 2" footers when it runs long."""
    try:
        flow = _Flow(fonts, sheet)
        _write(flow, sheet)
        canvas = _canvas(sheet)
        painter = PdfPainter(canvas, fonts, PAGE_H)
        c = CAPTIONS[sheet.language]
        page = 1
        for op in flow.painter.ops:
            if op is _PAGE_BREAK:
                _footer(painter, c["page"].format(i=page, n=flow.pages))
                page += 1
                canvas.showPage()
            else:
                getattr(painter, op[0])(*op[1])
        if flow.pages > 1:
            _footer(painter, c["page"].format(i=page, n=flow.pages))
    except GlyphMissingError as exc:
        raise exc.located("guide_sheet", "text") from None
    return RenderedGuide(canvas.save(), flow.pages, sheet.language)


def _write(flow: _Flow, sheet: GuideSheet) -> None:  # noqa: PLR0915 - the sheet from top to bottom
    c = CAPTIONS[sheet.language]
    flow.text(c["title"], Face.GOTHIC, 24, MARGIN_X, flow.width)
    flow.y += 2
    header = format_date(sheet.visit_date, sheet.language)
    if sheet.office:
        header = f"{sheet.office}  {header}"
    flow.text(header, Face.GOTHIC, 13, MARGIN_X, flow.width)
    if sheet.household:
        flow.text(c["honorific"].format(name=sheet.household), Face.MINCHO, 15, MARGIN_X, flow.width)
    procedures = [p for counter in sheet.counters for p in counter.procedures]
    done = sum(1 for p in procedures if p.done_today)
    flow.y += 1
    flow.text(c["summary"].format(n=len(procedures), m=done), Face.GOTHIC, 13, MARGIN_X, flow.width)
    flow.y += 3
    if not procedures:
        flow.text(c["nothing"], Face.GOTHIC, 15, MARGIN_X, flow.width)
    for number, counter in enumerate(sheet.counters):
        if not counter.procedures:
            continue
        mark = CIRCLED[number] if number < len(CIRCLED) else f"{number + 1}."
        heading = f"{mark} {counter.name}"
        if counter.location:
            heading += f"  ({counter.location})" if sheet.language == "en" else f"({counter.location})"
        head_lines = flow.lines(heading, Face.GOTHIC, 17, flow.width - 4)
        head_h = flow.height(len(head_lines), 17) + 3
        flow.ensure(head_h + _procedure_height(flow, counter.procedures[0]))
        flow.painter.rect(Rect(MARGIN_X, flow.y, flow.width, head_h), 0.0, fill=Fill.LIGHT)
        flow.painter.block(
            Rect(MARGIN_X + 2, flow.y + 1.5, flow.width - 4, head_h - 3),
            Fitted(17, tuple(head_lines)),
            Face.GOTHIC,
            Align.LEFT,
            VAlign.TOP,
        )
        flow.y += head_h + 2.5
        for procedure in counter.procedures:
            flow.ensure(_procedure_height(flow, procedure))
            status = c["done"] if procedure.done_today else c["todo"]
            box = "✓" if procedure.done_today else "□"
            flow.text(f"{box} {procedure.name} 【{status}】", Face.GOTHIC, 15, MARGIN_X + 2, flow.width - 2)
            flow.y += 1.2
            if procedure.people:
                separator = "、" if sheet.language == "ja" else ", "
                flow.labelled(c["people"], separator.join(procedure.people), 12.5, 8)
            if procedure.reason:
                flow.labelled(c["reason"], procedure.reason, 12.5, 8)
            if procedure.items_to_bring:
                separator = "、" if sheet.language == "ja" else ", "
                flow.labelled(c["items"], separator.join(procedure.items_to_bring), 12.5, 8)
            deadline = deadline_text(procedure, sheet.visit_date, sheet.language)
            if deadline:
                flow.labelled(c["deadline"], deadline, 12.5, 8)
            if procedure.forms:
                separator = "、" if sheet.language == "ja" else ", "
                flow.labelled(c["forms"], separator.join(procedure.forms), 12.5, 8)
            if procedure.note:
                flow.labelled("※", procedure.note, 12.5, 8)
            flow.y += 3
    for note in sheet.notes:
        flow.text(f"※ {note}", Face.MINCHO, 11, MARGIN_X, flow.width)


def _footer(painter: PdfPainter, text: str) -> None:
    rect = Rect(MARGIN_X, PAGE_H - MARGIN_BOTTOM + 4, PAGE_W - 2 * MARGIN_X, 6)
    painter.block(rect, Fitted(10, (text,)), Face.GOTHIC, Align.RIGHT, VAlign.TOP)
