"""Page templates compiled to absolute primitives: strokes, static texts, field slots, check boxes.

Tables, ``choices`` and ``repeat`` rows are expanded here, so the renderer and the layout check see
the same boxes. Everything is in millimetres from the top-left corner of the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from forms.fonts import Face, FontSet
from forms.layout import (
    Align,
    BoxElement,
    CheckElement,
    ChoicesElement,
    DateFormat,
    FaceName,
    FieldElement,
    Fill,
    FormLayout,
    PageTemplate,
    QrElement,
    RepeatElement,
    RuleElement,
    SignatureElement,
    TableCell,
    TableElement,
    TextElement,
    VAlign,
)
from forms.vocabulary import FIELDS, GROUPS, FieldKind, FieldSpec

PT_PER_MM = 72.0 / 25.4
CHECK_GAP = 1.0  # mm between a check box and its label
CHOICE_GAP = 3.0  # mm between two options
FOOTER_W, FOOTER_H = 24.0, 5.0  # the page number box (bottom right), reserved on every page


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def overlap(self, other: Rect, tolerance: float = 0.05) -> bool:
        """True when the two rectangles share an area (touching edges do not count)."""
        return (
            min(self.right, other.right) - max(self.x, other.x) > tolerance
            and min(self.bottom, other.bottom) - max(self.y, other.y) > tolerance
        )

    def inside(self, other: Rect, tolerance: float = 0.01) -> bool:
        return (
            self.x >= other.x - tolerance
            and self.y >= other.y - tolerance
            and self.right <= other.right + tolerance
            and self.bottom <= other.bottom + tolerance
        )

    def moved(self, dx: float, dy: float) -> Rect:
        return Rect(self.x + dx, self.y + dy, self.w, self.h)

    def inset(self, dx: float, dy: float) -> Rect:
        return Rect(self.x + dx, self.y + dy, max(0.0, self.w - 2 * dx), max(0.0, self.h - 2 * dy))


@dataclass(frozen=True, slots=True)
class FieldRef:
    """A top-level field, or item ``name`` of row ``index`` (page-relative slot) of ``group``."""

    name: str
    group: str | None = None
    slot: int | None = None  # row slot on this page (0-based)

    def spec(self) -> FieldSpec | None:
        if self.group is None:
            return FIELDS.get(self.name)
        return GROUPS.get(self.group, {}).get(self.name)

    def key(self, row_offset: int = 0) -> str:
        if self.group is None:
            return self.name
        return f"{self.group}[{row_offset + (self.slot or 0)}].{self.name}"


@dataclass(frozen=True, slots=True)
class TextStyle:
    size: float
    min_size: float
    face: Face
    align: Align
    valign: VAlign
    padding: float
    lines: int


@dataclass(frozen=True, slots=True)
class Stroke:
    rect: Rect | None  # a rectangle, or
    line: tuple[float, float, float, float] | None  # a line x1, y1, x2, y2
    width_pt: float
    fill: Fill = Fill.NONE


@dataclass(frozen=True, slots=True)
class StaticText:
    rect: Rect
    text: str
    style: TextStyle
    where: str


@dataclass(frozen=True, slots=True)
class FieldSlot:
    rect: Rect
    ref: FieldRef
    style: TextStyle
    format: DateFormat | None
    suffix: str
    caption: str
    where: str
    when_empty: str = ""

    @property
    def text_rect(self) -> Rect:
        """The area the value may use (below the caption, if any)."""
        if not self.caption:
            return self.rect
        top = CAPTION_SIZE_PT / PT_PER_MM + 0.4
        return Rect(self.rect.x, self.rect.y + top, self.rect.w, max(0.0, self.rect.h - top))


CAPTION_SIZE_PT = 6.0


@dataclass(frozen=True, slots=True)
class CheckBox:
    box: Rect
    label_rect: Rect | None
    label: str
    label_size: float
    ref: FieldRef
    option: str | None
    where: str

    @property
    def area(self) -> Rect:
        if self.label_rect is None:
            return self.box
        return Rect(
            self.box.x,
            min(self.box.y, self.label_rect.y),
            self.label_rect.right - self.box.x,
            max(self.box.bottom, self.label_rect.bottom) - min(self.box.y, self.label_rect.y),
        )


@dataclass(frozen=True, slots=True)
class Signature:
    rect: Rect
    label: str
    note: str
    where: str


@dataclass(frozen=True, slots=True)
class QrSlot:
    rect: Rect  # the symbol itself (square)
    caption: str
    where: str

    @property
    def area(self) -> Rect:
        return Rect(self.rect.x, self.rect.y, self.rect.w, self.rect.h + 3.5)


@dataclass(frozen=True, slots=True)
class RepeatInfo:
    group: str
    capacity: int
    where: str
    row: Rect | None = None  # the area of the first row (strokes and boxes of slot 0); rows follow it
    row_h: float = 0.0


@dataclass
class CompiledPage:
    strokes: list[Stroke] = field(default_factory=list)
    texts: list[StaticText] = field(default_factory=list)
    fields: list[FieldSlot] = field(default_factory=list)
    checks: list[CheckBox] = field(default_factory=list)
    signatures: list[Signature] = field(default_factory=list)
    qrs: list[QrSlot] = field(default_factory=list)
    repeats: list[RepeatInfo] = field(default_factory=list)
    row_texts: list[tuple[StaticText, int]] = field(default_factory=list)  # texts with {n}, and their slot
    problems: list[tuple[str, str]] = field(default_factory=list)  # (where, message) found while compiling
    footer: Rect | None = None


def _face(name: FaceName | None, default: Face) -> Face:
    return default if name is None else Face(name.value)


def _row_area(page: CompiledPage, before: tuple[int, int, int]) -> Rect | None:
    """The union of what the first row of a repeat added to ``page`` (counts taken before it)."""
    rects = [st.rect for st in page.strokes[before[0] :] if st.rect is not None]
    rects += [f.rect for f in page.fields[before[1] :]]
    rects += [c.area for c in page.checks[before[2] :]]
    if not rects:
        return None
    x = min(r.x for r in rects)
    y = min(r.y for r in rects)
    return Rect(x, y, max(r.right for r in rects) - x, max(r.bottom for r in rects) - y)


class PageCompiler:
    """Expands one page template of a layout into a :class:`CompiledPage`."""

    def __init__(self, layout: FormLayout, fonts: FontSet) -> None:
        self.layout = layout
        self.fonts = fonts

    def compile(self, template: PageTemplate, name: str) -> CompiledPage:
        page = CompiledPage()
        for i, element in enumerate(template.elements):
            self._element(page, element, f"{name}.elements[{i}]", 0.0, 0.0, None, None)
        page_w, page_h = self.layout.page_mm
        m = self.layout.margin
        page.footer = Rect(page_w - m - FOOTER_W, page_h - m - FOOTER_H, FOOTER_W, FOOTER_H)
        return page

    # -- elements ---------------------------------------------------------------------------------

    def _element(
        self,
        page: CompiledPage,
        element: object,
        where: str,
        dx: float,
        dy: float,
        group: str | None,
        slot: int | None,
    ) -> None:
        match element:
            case TextElement():
                rect = Rect(element.x, element.y, element.w, element.h).moved(dx, dy)
                if element.border or element.fill is not Fill.NONE:
                    page.strokes.append(Stroke(rect, None, 0.6 if element.border else 0.0, element.fill))
                style = TextStyle(
                    element.size,
                    element.min_size,
                    _face(element.face, Face.GOTHIC),
                    element.align,
                    element.valign,
                    element.padding,
                    element.lines,
                )
                text = StaticText(rect, element.text, style, where)
                if slot is not None and "{n}" in element.text:
                    page.row_texts.append((text, slot))
                else:
                    page.texts.append(text)
            case FieldElement():
                rect = Rect(element.x, element.y, element.w, element.h).moved(dx, dy)
                if element.border:
                    page.strokes.append(Stroke(rect, None, 0.6))
                style = TextStyle(
                    element.size,
                    element.min_size,
                    _face(element.face, Face.MINCHO),
                    element.align,
                    element.valign,
                    element.padding,
                    element.lines,
                )
                ref = FieldRef(element.field, group, slot)
                page.fields.append(
                    FieldSlot(
                        rect,
                        ref,
                        style,
                        element.format,
                        element.suffix,
                        element.caption,
                        where,
                        element.when_empty,
                    )
                )
            case CheckElement():
                box = Rect(element.x + dx, element.y + dy, element.size, element.size)
                ref = FieldRef(element.field, group, slot)
                label = element.label
                self._check(page, box, label, element.label_size, element.label_w, ref, element.option, where)
            case ChoicesElement():
                rect = Rect(element.x, element.y, element.w, element.h).moved(dx, dy)
                if element.border:
                    page.strokes.append(Stroke(rect, None, 0.6))
                ref = FieldRef(element.field, group, slot)
                self._choices(page, rect, ref, element.options, element.size, element.label_size, where)
            case SignatureElement():
                rect = Rect(element.x, element.y, element.w, element.h).moved(dx, dy)
                page.strokes.append(Stroke(rect, None, 0.8))
                page.signatures.append(Signature(rect, element.label, element.note, where))
            case QrElement():
                page.qrs.append(
                    QrSlot(
                        Rect(element.x + dx, element.y + dy, element.size, element.size),
                        element.caption,
                        where,
                    )
                )
            case BoxElement():
                rect = Rect(element.x, element.y, element.w, element.h).moved(dx, dy)
                page.strokes.append(Stroke(rect, None, element.line, element.fill))
            case RuleElement():
                line = (element.x1 + dx, element.y1 + dy, element.x2 + dx, element.y2 + dy)
                page.strokes.append(Stroke(None, line, element.line))
            case TableElement():
                self._table(page, element, where, dx, dy, group, slot)
            case RepeatElement():
                self._repeat(page, element, where, dx, dy, group)
            case _:  # pragma: no cover - the schema admits nothing else
                raise AssertionError(type(element))

    def _repeat(
        self, page: CompiledPage, element: RepeatElement, where: str, dx: float, dy: float, group: str | None
    ) -> None:
        if group is not None:
            page.problems.append((where, "repeat の中に repeat は置けません"))
            return
        before = (len(page.strokes), len(page.fields), len(page.checks))
        for s in range(element.rows):
            if s == 1:
                page.repeats.append(
                    RepeatInfo(element.group, element.rows, where, _row_area(page, before), element.row_h)
                )
            for j, row_element in enumerate(element.row):
                self._element(
                    page,
                    row_element,
                    f"{where}.row[{j}]",
                    element.x + dx,
                    element.y + dy + s * element.row_h,
                    element.group,
                    s,
                )
        if element.rows == 1:
            page.repeats.append(RepeatInfo(element.group, 1, where, _row_area(page, before), element.row_h))

    def _check(
        self,
        page: CompiledPage,
        box: Rect,
        label: str,
        label_size: float,
        label_w: float | None,
        ref: FieldRef,
        option: str | None,
        where: str,
    ) -> None:
        label_rect = None
        if label:
            width = label_w
            if width is None:
                width = self.fonts.width(label, Face.GOTHIC, label_size) / PT_PER_MM + 0.6
            height = max(box.h, label_size / PT_PER_MM * 1.1)
            label_rect = Rect(box.right + CHECK_GAP, box.y + box.h / 2 - height / 2, width, height)
        page.checks.append(CheckBox(box, label_rect, label, label_size, ref, option, where))

    def _choices(
        self,
        page: CompiledPage,
        rect: Rect,
        ref: FieldRef,
        options: list[str] | None,
        size: float,
        label_size: float,
        where: str,
    ) -> None:
        spec = ref.spec()
        if spec is None:
            scope = f"グループ「{ref.group}」の" if ref.group else ""
            message = f"{scope}項目「{ref.name}」は項目の語彙にありません(docs/forms.md の一覧を参照)"
            page.problems.append((where, message))
            return
        if spec.kind is not FieldKind.CHOICE:
            message = f"「{spec.name}」は選択・チェックの項目ではありません(choices は選択項目に使います)"
            page.problems.append((where, message))
            return
        unknown = [o for o in options or [] if o not in spec.options]
        if unknown:
            page.problems.append((where, f"「{'・'.join(unknown)}」は「{spec.name}」の選択肢にありません"))
            return
        if options is None:
            options = list(spec.options)
        # Flow the options left to right, onto further lines when the cell is tall enough.
        line_h = max(size, label_size / PT_PER_MM * 1.1) + 1.0
        lines_fit = max(1, int((rect.h - 1.0) // line_h))
        placed: list[list[tuple[str, float]]] = [[]]
        x = 0.0
        limit = rect.w - 3.0
        for option in options:
            w = size + CHECK_GAP + self.fonts.width(option, Face.GOTHIC, label_size) / PT_PER_MM + 0.6
            if placed[-1] and x + w > limit:
                placed.append([])
                x = 0.0
            placed[-1].append((option, x))
            x += w + CHOICE_GAP
        if len(placed) > lines_fit or (
            placed and max((ox for line in placed for _, ox in line), default=0) > limit
        ):
            page.problems.append(
                (where, f"選択肢 {len(options)} 個が枠({rect.w:g}×{rect.h:g}mm)に収まりません")
            )
        total_h = len(placed) * line_h - 1.0
        top = rect.y + (rect.h - total_h) / 2
        for n, line in enumerate(placed):
            cy = top + n * line_h + (line_h - 1.0) / 2
            for option, ox in line:
                box = Rect(rect.x + 1.5 + ox, cy - size / 2, size, size)
                self._check(page, box, option, label_size, None, ref, option, where)

    def _table(
        self,
        page: CompiledPage,
        table: TableElement,
        where: str,
        dx: float,
        dy: float,
        group: str | None,
        slot: int | None,
    ) -> None:
        columns = len(table.widths)
        lefts = [table.x + dx]
        for w in table.widths:
            lefts.append(lefts[-1] + w)
        tops = [table.y + dy]
        for row in table.rows:
            tops.append(tops[-1] + row.h)
        occupied: set[tuple[int, int]] = set()
        for r, row in enumerate(table.rows):
            col = 0
            for c, cell in enumerate(row.cells):
                cell_where = f"{where}.rows[{r}].cells[{c}]"
                while (r, col) in occupied:
                    col += 1
                if col + cell.span > columns:
                    page.problems.append((cell_where, f"セルの span の合計が列数 {columns} を超えています"))
                    break
                if r + cell.rowspan > len(table.rows):
                    page.problems.append((cell_where, "rowspan が表の行数を超えています"))
                    break
                for rr in range(r, r + cell.rowspan):
                    for cc in range(col, col + cell.span):
                        occupied.add((rr, cc))
                rect = Rect(
                    lefts[col], tops[r], lefts[col + cell.span] - lefts[col], tops[r + cell.rowspan] - tops[r]
                )
                col += cell.span
                self._cell(page, table, cell, rect, cell_where, group, slot)
            else:
                while (r, col) in occupied:
                    col += 1
                if col != columns:
                    page.problems.append(
                        (f"{where}.rows[{r}]", f"セルの列数の合計 {col} が列数 {columns} と違います")
                    )

    def _cell(
        self,
        page: CompiledPage,
        table: TableElement,
        cell: TableCell,
        rect: Rect,
        where: str,
        group: str | None,
        slot: int | None,
    ) -> None:
        fill = cell.fill
        if fill is None:
            fill = Fill.LIGHT if cell.label is not None else Fill.NONE
        page.strokes.append(Stroke(rect, None, table.line, fill))
        if cell.label is not None:
            style = TextStyle(
                cell.size or table.label_size,
                cell.min_size or 5.5,
                Face.GOTHIC,
                cell.align or Align.CENTER,
                cell.valign or VAlign.MIDDLE,
                1.0,
                cell.lines or 1,
            )
            text = StaticText(rect, cell.label, style, where)
            if slot is not None and "{n}" in cell.label:
                page.row_texts.append((text, slot))
            else:
                page.texts.append(text)
        elif cell.field is not None:
            style = TextStyle(
                cell.size or table.field_size,
                cell.min_size or 6.0,
                Face.MINCHO,
                cell.align or Align.LEFT,
                cell.valign or VAlign.MIDDLE,
                1.0,
                cell.lines or 1,
            )
            page.fields.append(
                FieldSlot(
                    rect,
                    FieldRef(cell.field, group, slot),
                    style,
                    cell.format,
                    cell.suffix,
                    cell.caption,
                    where,
                    cell.when_empty,
                )
            )
        elif cell.choices is not None:
            ref = FieldRef(cell.choices, group, slot)
            self._choices(page, rect, ref, cell.options, 3.5, cell.size or table.label_size, where)
        elif cell.check is not None:
            ref = FieldRef(cell.check, group, slot)
            spec = ref.spec()
            label = cell.caption or cell.option or (spec.label if spec is not None else cell.check)
            size = 3.5
            box = Rect(rect.x + 1.5, rect.y + rect.h / 2 - size / 2, size, size)
            self._check(page, box, label, cell.size or table.label_size, None, ref, cell.option, where)
        elif cell.signature is not None:
            page.signatures.append(Signature(rect, cell.signature, "ご本人が自署してください", where))
