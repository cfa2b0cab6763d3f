"""The schema of a form layout file (YAML), as pydantic models.

Coordinates and sizes are millimetres from the top-left corner of the page; font sizes are points.
A layout has a first page and, when it has a repeating group (one row per household member), a
continuation page (続紙) that takes the rows the first page cannot hold. The element kinds:

``text``      static label in a box (shrunk and wrapped to fit; a label that cannot fit is a layout error)
``field``     a value from the vocabulary, shrunk to ``min_size`` and then wrapped; never clipped
``check``     one check box bound to a flag, or to one option of a choice field
``choices``   a row of check boxes, one per option of a choice field
``signature`` the signature box (署名欄), always left empty for the resident
``qr``        the back-office QR code (form id and values)
``box``       a ruled rectangle; ``rule`` a line (decoration: may overlap anything)
``table``     a grid of cells (label / field / choices / check / signature / blank) with ruled borders
``repeat``    a row template repeated for each row of a group (``{n}`` in a text is the row number)

docs/forms.md documents every key with an example.
"""

from __future__ import annotations

import enum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Mm = Annotated[float, Field(ge=0, le=1000)]
Length = Annotated[float, Field(gt=0, le=1000)]
Pt = Annotated[float, Field(ge=3, le=72)]


class Align(enum.StrEnum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


class VAlign(enum.StrEnum):
    TOP = "top"
    MIDDLE = "middle"
    BOTTOM = "bottom"


class Fill(enum.StrEnum):
    NONE = "none"
    LIGHT = "light"  # the pale grey of label cells
    GRAY = "gray"  # office-use areas (※ 記入しないでください)


class DateFormat(enum.StrEnum):
    WAREKI = "wareki"  # 昭和55年2月17日
    WAREKI_YM = "wareki_ym"  # 昭和55年2月
    WAREKI_SHORT = "wareki_short"  # S55.2.17
    SEIREKI = "seireki"  # 1980年2月17日
    ISO = "iso"  # 1980-02-17


class FaceName(enum.StrEnum):
    MINCHO = "mincho"
    GOTHIC = "gothic"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Rect(_Model):
    x: Mm
    y: Mm
    w: Length
    h: Length


class TextElement(_Rect):
    kind: Literal["text"]
    text: Annotated[str, Field(min_length=1)]
    size: Pt = 9
    min_size: Pt = 6
    face: FaceName = FaceName.GOTHIC
    align: Align = Align.LEFT
    valign: VAlign = VAlign.MIDDLE
    padding: Annotated[float, Field(ge=0, le=10)] = 1.0
    lines: Annotated[int, Field(ge=1, le=20)] = 1
    border: bool = False
    fill: Fill = Fill.NONE


class FieldElement(_Rect):
    kind: Literal["field"]
    field: str
    size: Pt = 11
    min_size: Pt = 6
    face: FaceName = FaceName.MINCHO
    align: Align = Align.LEFT
    valign: VAlign = VAlign.MIDDLE
    padding: Annotated[float, Field(ge=0, le=10)] = 1.0
    lines: Annotated[int, Field(ge=1, le=20)] = 1
    format: DateFormat | None = None
    suffix: str = ""  # printed after a number (e.g. 通)
    caption: str = ""  # a small caption in the top-left corner (e.g. フリガナ)
    when_empty: str = ""  # printed small and grey when there is no value (e.g. 窓口で確認)
    border: bool = False


class CheckElement(_Model):
    kind: Literal["check"]
    field: str
    option: str | None = None  # for a choice field: checked when the value is this option
    x: Mm
    y: Mm
    size: Annotated[float, Field(gt=1, le=15)] = 3.5
    label: str = ""
    label_size: Pt = 9
    label_w: Annotated[float, Field(ge=0, le=300)] | None = None


class ChoicesElement(_Rect):
    kind: Literal["choices"]
    field: str
    options: list[str] | None = None  # default: every option of the field, in vocabulary order
    size: Annotated[float, Field(gt=1, le=15)] = 3.5
    label_size: Pt = 9
    border: bool = False


class SignatureElement(_Rect):
    kind: Literal["signature"]
    label: str = "署名欄"
    note: str = "ご本人が自署してください"


class QrElement(_Model):
    kind: Literal["qr"]
    x: Mm
    y: Mm
    size: Annotated[float, Field(ge=15, le=80)] = 36
    caption: str = "処理用"


class BoxElement(_Rect):
    kind: Literal["box"]
    line: Annotated[float, Field(ge=0, le=5)] = 0.6
    fill: Fill = Fill.NONE


class RuleElement(_Model):
    kind: Literal["rule"]
    x1: Mm
    y1: Mm
    x2: Mm
    y2: Mm
    line: Annotated[float, Field(gt=0, le=5)] = 0.6


class TableCell(_Model):
    span: Annotated[int, Field(ge=1, le=40)] = 1
    rowspan: Annotated[int, Field(ge=1, le=40)] = 1
    label: str | None = None
    field: str | None = None
    choices: str | None = None
    check: str | None = None
    option: str | None = None  # with ``check`` on a choice field
    signature: str | None = None  # the caption of a signature cell (e.g. 署名欄)
    blank: bool = False
    options: list[str] | None = None  # with ``choices``
    size: Pt | None = None
    min_size: Pt | None = None
    align: Align | None = None
    valign: VAlign | None = None
    lines: Annotated[int, Field(ge=1, le=20)] | None = None
    format: DateFormat | None = None
    suffix: str = ""
    caption: str = ""
    when_empty: str = ""  # with ``field``: printed small and grey when there is no value
    fill: Fill | None = None

    @model_validator(mode="after")
    def _one_content(self) -> TableCell:
        contents = [
            self.label is not None,
            self.field is not None,
            self.choices is not None,
            self.check is not None,
            self.signature is not None,
            self.blank,
        ]
        if sum(contents) != 1:
            raise ValueError(
                "セルには label / field / choices / check / signature / blank のどれか1つだけを書いてください"
            )
        return self


class TableRow(_Model):
    h: Length
    cells: Annotated[list[TableCell], Field(min_length=1)]


class TableElement(_Model):
    kind: Literal["table"]
    x: Mm
    y: Mm
    widths: Annotated[list[Length], Field(min_length=1)]
    rows: Annotated[list[TableRow], Field(min_length=1)]
    line: Annotated[float, Field(ge=0, le=5)] = 0.6
    label_size: Pt = 9
    field_size: Pt = 11


class RepeatElement(_Model):
    kind: Literal["repeat"]
    group: str
    x: Mm
    y: Mm
    row_h: Length
    rows: Annotated[int, Field(ge=1, le=100)]  # how many rows this page holds
    row: Annotated[list[RowElement], Field(min_length=1)]  # positions relative to the row's corner


RowElement = Annotated[
    TextElement | FieldElement | CheckElement | ChoicesElement | BoxElement | RuleElement | TableElement,
    Field(discriminator="kind"),
]

Element = Annotated[
    TextElement
    | FieldElement
    | CheckElement
    | ChoicesElement
    | SignatureElement
    | QrElement
    | BoxElement
    | RuleElement
    | TableElement
    | RepeatElement,
    Field(discriminator="kind"),
]


class PageTemplate(_Model):
    elements: Annotated[list[Element], Field(min_length=1)]


class Source(_Model):
    name: str
    url: str = ""


class PageSize(enum.StrEnum):
    A4 = "A4"
    A3 = "A3"


class Orientation(enum.StrEnum):
    PORTRAIT = "portrait"
    LANDSCAPE = "landscape"


PAGE_MM: dict[PageSize, tuple[float, float]] = {PageSize.A4: (210.0, 297.0), PageSize.A3: (297.0, 420.0)}


class FormLayout(_Model):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{1,63}$")]
    title: Annotated[str, Field(min_length=1)]
    department: str = ""
    size: PageSize = PageSize.A4
    orientation: Orientation = Orientation.PORTRAIT
    margin: Annotated[float, Field(ge=0, le=30)] = 5.0  # nothing may be drawn closer to the edge
    sources: list[Source] = []
    first: PageTemplate
    continuation: PageTemplate | None = None

    @property
    def page_mm(self) -> tuple[float, float]:
        w, h = PAGE_MM[self.size]
        return (h, w) if self.orientation is Orientation.LANDSCAPE else (w, h)


RepeatElement.model_rebuild()
