"""Milliseconds per page and per household for the pre-filled forms, against LibreOffice doing the same.

Like for like (issue 14):

* **The same pages.** Every page Madoguchi draws is recorded (ruled boxes and fills, every text line at
  its fitted size and position with its font, tick boxes and ticks, the back-office QR code as an image)
  and written as a flat ODF text document with those shapes anchored to the page. LibreOffice Writer
  turns that document into PDF; both sides produce the same number of pages with the same content
  (the first pages of both are written as PNG next to the figures, to look at).
* **Timed the same way.** *Warm*: fonts and layouts loaded, in-process for Madoguchi; a running
  ``soffice --headless`` driven through UNO (load the document, export PDF, close) for LibreOffice —
  the median of N runs per document. *Cold*: a fresh process for each side, from start to the last
  PDF on disk (``python -m bench.forms --cold-run DIR`` against ``soffice --convert-to pdf`` with a
  prepared profile), median of N.
* **Per page and per household**: the household is the fictional one of :mod:`forms.samples` — all ten
  forms and the guide sheet it needs — plus the bilingual guide sheet (Japanese and Português, the
  same counters) that a resident reading Portuguese takes home.
* **The physical floor**: the time to write the same PDF bytes to disk (``write`` + ``close``, and with
  ``fsync``), the least any generator must spend to hand the pages over; per document too.
* Wall-clock medians, and the median process CPU time of our renders beside them: the machine is
  shared, and CPU time shows what the code costs when other processes take the cores.

Target (issue 22): ≤ 5 ms/page for Madoguchi, warm, for every form and the guide sheet.
Run: ``.venv/bin/python -m bench.forms [--runs N]``.
LibreOffice needs ``soffice`` and the system Python's ``uno`` (Debian: libreoffice-writer-nogui,
python3-uno); without them only Madoguchi and the floor are measured.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import segno

import forms.guide_bilingual
import forms.render
from bench.timing import median_of
from forms import (
    FontSet,
    FormRenderer,
    GuideCounter,
    GuideProcedure,
    GuideSheet,
    load_fonts,
    load_library,
    render_guide_sheet,
)
from forms.fitting import ASCENT
from forms.fonts import Face, clusters
from forms.guide_bilingual import ResidentGuide, render_bilingual_guide
from forms.layout import Fill
from forms.pages import PT_PER_MM, CompiledPage, Rect
from forms.pdfwriter import PdfCanvas
from forms.samples import HOUSEHOLDER, sample_values
from forms.scripts import GOTHIC, ScriptFonts

TARGET_MS_PER_PAGE = 5.0
GUIDE = "guide_sheet"
BILINGUAL = "guide_sheet_pt-BR"


def guide_sheet() -> GuideSheet:
    p = GuideProcedure
    return GuideSheet(
        visit_date=dt.date(2025, 4, 14),
        office="みどり区役所",
        household=HOUSEHOLDER,
        counters=(
            GuideCounter(
                "1番窓口 市民課",
                "本庁舎1階",
                (
                    p(
                        "転入届",
                        "みどり区に引っ越してきたため",
                        ("本人確認書類", "転出証明書"),
                        dt.date(2025, 4, 15),
                        "転入した日から14日以内",
                        True,
                        ("住民異動届",),
                    ),
                    p(
                        "マイナンバーカードの継続利用",
                        "転入したため",
                        ("マイナンバーカード",),
                        dt.date(2025, 7, 13),
                        "転入届の日から90日以内",
                        True,
                        people=(HOUSEHOLDER, "髙﨑　花子", "髙﨑　𠮷", "髙﨑　剛"),
                    ),
                ),
            ),
            GuideCounter(
                "3番窓口 保険年金課",
                "本庁舎2階",
                (
                    p(
                        "国民健康保険 加入",
                        "職場の健康保険をやめたため(6人)",
                        ("資格喪失証明書",),
                        dt.date(2025, 4, 15),
                        "資格を失った日から14日以内",
                        forms=("国民健康保険 異動届",),
                    ),
                    p(
                        "介護保険 資格取得",
                        "65歳以上の方が転入したため",
                        ("受給資格証明書(認定を受けていた方)",),
                        dt.date(2025, 4, 15),
                        "転入した日から14日以内",
                        people=("髙﨑　剛",),
                    ),
                ),
            ),
            GuideCounter(
                "5番窓口 子育て支援課",
                "本庁舎3階",
                (
                    p(
                        "児童手当 認定請求",
                        "中学生以下のお子さん(2人)がいるため",
                        ("請求者名義の口座がわかるもの",),
                        dt.date(2025, 4, 16),
                        "転入日の翌日から15日以内",
                    ),
                    p(
                        "子ども医療費助成",
                        "18歳以下のお子さん(2人)がいるため",
                        ("お子さんの資格確認書",),
                        dt.date(2025, 4, 16),
                        "転入日の翌日から15日以内",
                    ),
                ),
            ),
        ),
    )


def resident_guide() -> ResidentGuide:
    """The Portuguese column of the bilingual sheet: the counters and procedures of :func:`guide_sheet`."""
    p = GuideProcedure
    return ResidentGuide(
        language="pt-BR",
        office="Prefeitura do distrito de Midori",
        counters=(
            GuideCounter(
                "Guichê 1 — Seção de Cidadãos",
                "Prédio principal, 1º andar",
                (
                    p(
                        "Notificação de mudança para o distrito (転入届)",
                        "Você se mudou para o distrito de Midori",
                        ("Documento de identidade", "Certificado de mudança (転出証明書)"),
                        dt.date(2025, 4, 15),
                        "Em até 14 dias a partir da mudança",
                        True,
                        ("住民異動届",),
                    ),
                    p(
                        "Continuar usando o cartão My Number",
                        "Você se mudou para cá",
                        ("Cartão My Number",),
                        dt.date(2025, 7, 13),
                        "Em até 90 dias a partir da notificação de mudança",
                        True,
                        people=(HOUSEHOLDER, "髙﨑　花子", "髙﨑　𠮷", "髙﨑　剛"),
                    ),
                ),
            ),
            GuideCounter(
                "Guichê 3 — Seção de Seguro e Pensão",
                "Prédio principal, 2º andar",
                (
                    p(
                        "Inscrição no Seguro Nacional de Saúde",
                        "Vocês saíram do seguro de saúde do trabalho (6 pessoas)",
                        ("Certificado de perda de qualificação do seguro",),
                        dt.date(2025, 4, 15),
                        "Em até 14 dias a partir da perda da qualificação",
                        forms=("国民健康保険 異動届",),
                    ),
                    p(
                        "Seguro de cuidados prolongados — inscrição",
                        "Uma pessoa com 65 anos ou mais se mudou para cá",
                        ("Certificado de qualificação (para quem já tinha reconhecimento)",),
                        dt.date(2025, 4, 15),
                        "Em até 14 dias a partir da mudança",
                        people=("髙﨑　剛",),
                    ),
                ),
            ),
            GuideCounter(
                "Guichê 5 — Seção de Apoio à Criação dos Filhos",
                "Prédio principal, 3º andar",
                (
                    p(
                        "Abono infantil — pedido de reconhecimento",
                        "Há 2 crianças até o ensino fundamental",
                        ("Documento que mostre a conta bancária do requerente",),
                        dt.date(2025, 4, 16),
                        "Em até 15 dias a partir do dia seguinte à mudança",
                    ),
                    p(
                        "Auxílio para despesas médicas das crianças",
                        "Há 2 crianças de até 18 anos",
                        ("Certificado de qualificação do seguro das crianças",),
                        dt.date(2025, 4, 16),
                        "Em até 15 dias a partir do dia seguinte à mudança",
                    ),
                ),
            ),
        ),
    )


# -- Madoguchi ------------------------------------------------------------------------------------


def household(renderer: FormRenderer) -> list[str]:
    """The documents of the fictional household: every form, the guide sheet, the bilingual one."""
    return [*renderer.library.ids(), GUIDE, BILINGUAL]


@dataclass
class Inputs:
    """Everything a render takes, prepared before timing (as the kiosk has it when it prints)."""

    renderer: FormRenderer
    fonts: FontSet
    scripts: ScriptFonts
    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    guide: GuideSheet = field(default_factory=guide_sheet)
    resident: ResidentGuide = field(default_factory=resident_guide)


def prepare(renderer: FormRenderer, fonts: FontSet) -> Inputs:
    inputs = Inputs(renderer, fonts, ScriptFonts(fonts))
    inputs.values = {name: dict(sample_values(name)) for name in renderer.library.ids()}
    return inputs


def render_document(inputs: Inputs, name: str) -> tuple[bytes, int]:
    if name == GUIDE:
        guide = render_guide_sheet(inputs.guide, inputs.fonts)
        return guide.pdf, guide.page_count
    if name == BILINGUAL:
        both = render_bilingual_guide(inputs.guide, inputs.resident, inputs.fonts, inputs.scripts)
        return both.pdf, both.page_count
    form = inputs.renderer.render(name, inputs.values[name])
    return form.pdf, form.page_count


@dataclass
class Result:
    name: str
    pages: int
    ms: float
    cpu_ms: float = 0.0
    pdf: bytes = b""
    floor_ms: float = 0.0  # writing these bytes (write + close), median


def bench_madoguchi(inputs: Inputs, runs: int) -> list[Result]:
    """Warm medians per document; the documents take turns in every run, so a burst of load from
    other processes spreads over all of them instead of landing on one."""
    names = household(inputs.renderer)
    first = {name: render_document(inputs, name) for name in names}  # warm-up: layouts, static layers
    samples: dict[str, list[float]] = {name: [] for name in names}
    cpu: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(runs):
        for name in names:
            start, start_cpu = time.perf_counter(), time.process_time()
            render_document(inputs, name)
            samples[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - start_cpu)
    return [
        Result(name, first[name][1], median_of(samples[name]), median_of(cpu[name]), first[name][0])
        for name in names
    ]


def cold_run(out: Path) -> None:
    """What the cold measurement times: a fresh process renders the household and writes the PDFs."""
    fonts = load_fonts()
    inputs = prepare(FormRenderer(load_library(fonts=fonts), fonts), fonts)
    out.mkdir(parents=True, exist_ok=True)
    for name in household(inputs.renderer):
        pdf, _ = render_document(inputs, name)
        (out / f"{name}.pdf").write_bytes(pdf)


def _write(path: Path, data: bytes, sync: bool) -> float:
    start = time.perf_counter()
    with open(path, "wb") as f:
        f.write(data)
        if sync:
            f.flush()
            os.fsync(f.fileno())
    return time.perf_counter() - start


def bench_floor(results: list[Result], runs: int) -> tuple[float, float]:
    """Median ms to write the household's PDF bytes: (write + close, write + fsync + close); each
    document's own median goes into its ``floor_ms``."""
    plain: list[float] = []
    synced: list[float] = []
    per_document: dict[str, list[float]] = {r.name: [] for r in results}
    with tempfile.TemporaryDirectory(prefix="madoguchi-bench-floor-") as tmp:
        for _ in range(runs):
            for sync, into in ((False, plain), (True, synced)):
                total = 0.0
                for r in results:
                    took = _write(Path(tmp) / f"{r.name}.pdf", r.pdf, sync)
                    total += took
                    if not sync:
                        per_document[r.name].append(took)
                into.append(total)
    for r in results:
        r.floor_ms = median_of(per_document[r.name])
    return median_of(plain), median_of(synced)


# -- Recording the pages as shapes ----------------------------------------------------------------


@dataclass
class Page:
    ops: list[tuple[Any, ...]] = field(default_factory=list)


@dataclass
class Scene:
    """The pages drawn by the last painter (the guide sheet is drawn once, replaying its layout)."""

    pages: list[Page] = field(default_factory=list)


_SCENE: list[Scene] = []
FAMILIES = {"mincho": "IPAexMincho", "gothic": "IPAexGothic", "mj": "IPAmjMincho"}


class RecordingPainter(forms.render.PdfPainter):
    """Draws as usual and records each primitive (mm from the top-left; text with its fonts)."""

    def __init__(self, canvas: Any, fonts: FontSet, page_h_mm: float) -> None:
        super().__init__(canvas, fonts, page_h_mm)
        self.pages: list[Page] = [Page()]
        _SCENE[-1].pages = self.pages
        show_page = canvas.showPage

        def next_page() -> None:
            self.pages.append(Page())
            show_page()

        canvas.showPage = next_page

    def op(self, *item: Any) -> None:
        self.pages[-1].ops.append(item)

    def rect(self, rect: Rect, width_pt: float, fill: Fill = Fill.NONE) -> None:
        self.op("rect", rect, width_pt, fill)
        super().rect(rect, width_pt, fill)

    def line(self, x1: float, y1: float, x2: float, y2: float, width_pt: float) -> None:
        self.op("line", x1, y1, x2, y2, width_pt)
        super().line(x1, y1, x2, y2, width_pt)

    def text_line(self, x_pt: float, baseline_pt: float, text: str, face: Face, size: float) -> None:
        spans: list[tuple[str, str]] = []
        for chars, base, selector in clusters(text):
            font, _ = self.fonts._glyph_of(base, selector, face)
            family = FAMILIES.get(font.name.split("-")[1], "IPAexMincho")
            if spans and spans[-1][0] == family:
                spans[-1] = (family, spans[-1][1] + chars)
            else:
                spans.append((family, chars))
        width_mm = self.fonts.width(text, face, size) / PT_PER_MM
        top_mm = (self.page_h_pt - baseline_pt) / PT_PER_MM - ASCENT * size / PT_PER_MM
        self.op("text", x_pt / PT_PER_MM, top_mm, width_mm, size, spans)
        super().text_line(x_pt, baseline_pt, text, face, size)


class RecordingRenderer(FormRenderer):
    def _place_layout(
        self, painter: forms.render.PdfPainter, layout: Any, page: CompiledPage, which: str
    ) -> None:
        # Every sheet records its static layer (the renderer draws it once and places the cached one).
        self._draw_layout(painter, layout, page)

    def _draw_qr(
        self, painter: forms.render.PdfPainter, form_id: str, rect: Rect, caption: str, payload: str
    ) -> None:
        assert isinstance(painter, RecordingPainter)
        painter.op("qr", rect, payload)
        super()._draw_qr(painter, form_id, rect, caption, payload)


@contextmanager
def recording() -> Iterator[Scene]:
    scene = Scene()
    _SCENE.append(scene)
    # Both modules draw through PdfPainter: swap it for the recording one while the document renders.
    modules = (forms.render, sys.modules["forms.guide"])
    saved = [getattr(module, "PdfPainter") for module in modules]  # noqa: B009
    for module in modules:
        setattr(module, "PdfPainter", RecordingPainter)  # noqa: B010
    try:
        yield scene
    finally:
        for module, painter in zip(modules, saved, strict=True):
            setattr(module, "PdfPainter", painter)  # noqa: B010
        _SCENE.pop()


@contextmanager
def recording_bilingual(scripts: ScriptFonts) -> Iterator[Scene]:
    """The bilingual sheet draws through ScriptFonts.draw_text and the canvas: record both."""
    scene = Scene(pages=[Page()])
    original_text = ScriptFonts.draw_text

    def draw_text(
        self: ScriptFonts, canvas: Any, x: float, baseline: float, text: str, language: str, size: float
    ) -> float:
        end = original_text(self, canvas, x, baseline, text, language, size)
        spans: list[tuple[str, str]] = []
        for key, run in self.runs(text, language):
            family = "IPAexGothic" if key == GOTHIC else self.font(key).spec.spec.family
            spans.append((family, run))
        if spans and text.strip():
            top_mm = (canvas.height - baseline) / PT_PER_MM - ASCENT * size / PT_PER_MM
            scene.pages[-1].ops.append(("text", x / PT_PER_MM, top_mm, (end - x) / PT_PER_MM, size, spans))
        return end

    class Canvas(PdfCanvas):
        def __init__(self, pagesize: tuple[float, float], **kwargs: Any) -> None:
            super().__init__(pagesize, **kwargs)
            scene.pages = [Page()]  # the sheet is drawn twice (count, then draw): keep the last

        def showPage(self) -> None:
            scene.pages.append(Page())
            super().showPage()

        def rect(
            self, x: float, y: float, width: float, height: float, stroke: int = 1, fill: int = 0
        ) -> None:
            rect = Rect(
                x / PT_PER_MM, (self.height - y - height) / PT_PER_MM, width / PT_PER_MM, height / PT_PER_MM
            )
            scene.pages[-1].ops.append(("rect", rect, 0.0, Fill.LIGHT if fill else Fill.NONE))
            super().rect(x, y, width, height, stroke, fill)

    ScriptFonts.draw_text = draw_text  # type: ignore[method-assign]
    setattr(forms.guide_bilingual, "PdfCanvas", Canvas)  # noqa: B010
    try:
        yield scene
    finally:
        ScriptFonts.draw_text = original_text  # type: ignore[method-assign]
        setattr(forms.guide_bilingual, "PdfCanvas", PdfCanvas)  # noqa: B010


def record(inputs: Inputs, name: str) -> Scene:
    """The pages of one document as shapes (the PDF drawn alongside is the same as in the bench)."""
    if name == BILINGUAL:
        with recording_bilingual(inputs.scripts) as scene:
            render_bilingual_guide(inputs.guide, inputs.resident, inputs.fonts, inputs.scripts)
    else:
        with recording() as scene:
            if name == GUIDE:
                render_guide_sheet(inputs.guide, inputs.fonts)
            else:
                RecordingRenderer(inputs.renderer.library, inputs.fonts).render(name, inputs.values[name])
    if scene.pages and not scene.pages[-1].ops:
        scene.pages.pop()  # the page opened by the last showPage
    return scene


# -- The same pages as an ODF document --------------------------------------------------------------

GRAYS = {Fill.NONE: None, Fill.LIGHT: "#ebebeb", Fill.GRAY: "#cccccc"}


def fodt(scene: Scene) -> str:
    """A flat ODF text document with the recorded shapes anchored to their pages."""
    graphic: dict[tuple[float, str | None], str] = {}
    paragraph: dict[tuple[str, float], str] = {}
    shapes: list[str] = []

    def g_style(width_pt: float, fill: str | None) -> str:
        key = (round(width_pt, 2), fill)
        if key not in graphic:
            graphic[key] = f"g{len(graphic)}"
        return graphic[key]

    def p_style(family: str, size: float) -> str:
        key = (family, round(size, 2))
        if key not in paragraph:
            paragraph[key] = f"P{len(paragraph)}"
        return paragraph[key]

    for number, page in enumerate(scene.pages, start=1):
        anchor = f'text:anchor-type="page" text:anchor-page-number="{number}"'
        for op in page.ops:
            match op:
                case ("rect", rect, width_pt, fill):
                    style = g_style(width_pt, GRAYS[fill])
                    shapes.append(
                        f'<draw:rect {anchor} draw:style-name="{style}" svg:x="{rect.x:.3f}mm" '
                        f'svg:y="{rect.y:.3f}mm" svg:width="{rect.w:.3f}mm" svg:height="{rect.h:.3f}mm"/>'
                    )
                case ("line", x1, y1, x2, y2, width_pt):
                    style = g_style(width_pt, None)
                    shapes.append(
                        f'<draw:line {anchor} draw:style-name="{style}" '
                        f'svg:x1="{x1:.3f}mm" svg:y1="{y1:.3f}mm" '
                        f'svg:x2="{x2:.3f}mm" svg:y2="{y2:.3f}mm"/>'
                    )
                case ("text", x, top, width, size, spans):
                    body = "".join(
                        f'<text:span text:style-name="T{p_style(family, size)}">{escape(chars)}</text:span>'
                        for family, chars in spans
                    )
                    height = size * 1.2 / PT_PER_MM
                    shapes.append(
                        f'<draw:frame {anchor} draw:style-name="fr" svg:x="{x:.3f}mm" svg:y="{top:.3f}mm" '
                        f'svg:width="{width + 3:.3f}mm" svg:height="{height:.3f}mm"><draw:text-box>'
                        f'<text:p text:style-name="{p_style(spans[0][0], size)}">{body}</text:p>'
                        "</draw:text-box></draw:frame>"
                    )
                case ("qr", rect, payload):
                    png = segno.make_qr(payload, error="m", mask=2, boost_error=False)
                    data = _png(png)
                    shapes.append(
                        f'<draw:frame {anchor} draw:style-name="img" '
                        f'svg:x="{rect.x:.3f}mm" svg:y="{rect.y:.3f}mm" '
                        f'svg:width="{rect.w:.3f}mm" svg:height="{rect.h:.3f}mm"><draw:image>'
                        f"<office:binary-data>{base64.b64encode(data).decode()}</office:binary-data>"
                        "</draw:image></draw:frame>"
                    )
    styles = []
    for (width_pt, fill), name in graphic.items():
        fill_attr = f'draw:fill="solid" draw:fill-color="{fill}"' if fill else 'draw:fill="none"'
        stroke = (
            f'draw:stroke="solid" svg:stroke-width="{width_pt}pt"' if width_pt > 0 else 'draw:stroke="none"'
        )
        styles.append(
            f'<style:style style:name="{name}" style:family="graphic"><style:graphic-properties {stroke} '
            f'svg:stroke-color="#000000" {fill_attr} '
            'style:wrap="run-through" style:run-through="foreground"/>'
            "</style:style>"
        )
    for (family, size), name in paragraph.items():
        text = (
            f'style:font-name="{family}" fo:font-size="{size}pt" style:font-name-asian="{family}" '
            f'style:font-size-asian="{size}pt"'
        )
        styles.append(
            f'<style:style style:name="{name}" style:family="paragraph"><style:paragraph-properties '
            'fo:margin="0" fo:line-height="100%" style:text-autospace="none" '
            'style:punctuation-wrap="simple"/>'
            f"<style:text-properties {text}/></style:style>"
            f'<style:style style:name="T{name}" style:family="text">'
            f"<style:text-properties {text}/></style:style>"
        )
    breaks = '<text:p text:style-name="PB"/>' * (len(scene.pages) - 1)
    families = dict.fromkeys([*FAMILIES.values(), *(family for family, _ in paragraph)])
    fonts = "".join(f'<style:font-face style:name="{f}" svg:font-family="{f}"/>' for f in families)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
        'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
        'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
        'xmlns:xlink="http://www.w3.org/1999/xlink" '
        'office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">'
        f"<office:font-face-decls>{fonts}</office:font-face-decls>"
        "<office:automatic-styles>"
        '<style:page-layout style:name="pm"><style:page-layout-properties fo:page-width="210mm" '
        'fo:page-height="297mm" fo:margin-top="0mm" fo:margin-bottom="0mm" fo:margin-left="0mm" '
        'fo:margin-right="0mm"/></style:page-layout>'
        '<style:style style:name="fr" style:family="graphic"><style:graphic-properties draw:stroke="none" '
        'draw:fill="none" fo:padding="0mm" fo:border="none" style:wrap="run-through" '
        'style:run-through="foreground" draw:textarea-vertical-align="top"/></style:style>'
        '<style:style style:name="img" style:family="graphic"><style:graphic-properties '
        'style:wrap="run-through" style:run-through="foreground"/></style:style>'
        '<style:style style:name="PB" style:family="paragraph"><style:paragraph-properties '
        'fo:break-before="page"/></style:style>' + "".join(styles) + "</office:automatic-styles>"
        '<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm"/>'
        "</office:master-styles>"
        f"<office:body><office:text>{''.join(shapes)}<text:p/>{breaks}</office:text></office:body>"
        "</office:document>"
    )


def _png(code: segno.QRCode) -> bytes:
    import io

    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=4, border=4)
    return buffer.getvalue()


# -- LibreOffice ------------------------------------------------------------------------------------

UNO_SCRIPT = r"""
import json, statistics, sys, time
import uno
from com.sun.star.beans import PropertyValue

def prop(name, value):
    p = PropertyValue(); p.Name = name; p.Value = value; return p

port, runs, files = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
local = uno.getComponentContext()
resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
for _ in range(600):
    try:
        ctx = resolver.resolve(f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext")
        break
    except Exception:
        time.sleep(0.1)
desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)

def convert(path):
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(path), "_blank", 0, (prop("Hidden", True),))
    doc.storeToURL(uno.systemPathToFileUrl(path[:-5] + ".pdf"), (prop("FilterName", "writer_pdf_Export"),))
    doc.close(True)

for path in files:  # warm-up
    convert(path)
result = {}
for path in files:
    samples = []
    for _ in range(runs):
        start = time.perf_counter(); convert(path); samples.append(time.perf_counter() - start)
    result[path] = statistics.median(samples) * 1000
print(json.dumps(result))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def lo_available() -> str | None:
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    probe = subprocess.run(["/usr/bin/python3", "-c", "import uno"], capture_output=True, check=False)
    return soffice if probe.returncode == 0 else None


def bench_libreoffice_warm(soffice: str, root: Path, files: list[Path], runs: int) -> dict[str, float]:
    """Warm LibreOffice timings; once in a while the UNO bridge of the system Python crashes while
    connecting (SIGSEGV): then the whole measurement is taken again, with a fresh soffice, once."""
    try:
        return _libreoffice_warm(soffice, root, files, runs)
    except subprocess.CalledProcessError as exc:
        if exc.returncode >= 0:
            raise
        print(
            f"(LibreOffice's UNO client died with signal {-exc.returncode}; measuring again)", file=sys.stderr
        )
        return _libreoffice_warm(soffice, root, files, runs)


def _libreoffice_warm(soffice: str, root: Path, files: list[Path], runs: int) -> dict[str, float]:
    port = _free_port()
    profile = f"-env:UserInstallation=file://{root / 'profile'}"
    office = subprocess.Popen(
        [
            soffice,
            profile,
            "--headless",
            "--invisible",
            "--norestore",
            f"--accept=socket,host=127.0.0.1,port={port};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        script = root / "uno_bench.py"
        script.write_text(UNO_SCRIPT, encoding="utf-8")
        out = subprocess.run(
            ["/usr/bin/python3", str(script), str(port), str(runs), *map(str, files)],
            capture_output=True,
            text=True,
            check=True,
            timeout=1800,
        )
        return {Path(k).stem: v for k, v in json.loads(out.stdout.strip().splitlines()[-1]).items()}
    finally:
        office.terminate()
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()


def bench_cold(soffice: str | None, root: Path, files: list[Path], runs: int) -> tuple[float, float | None]:
    ours, theirs = [], []
    for i in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "bench.forms", "--cold-run", str(root / f"cold-{i}")],
            check=True,
            capture_output=True,
        )
        ours.append(time.perf_counter() - start)
    if soffice is not None:
        profile = f"-env:UserInstallation=file://{root / 'profile'}"
        command = [soffice, profile, "--headless", "--norestore", "--convert-to", "pdf"]
        for i in range(runs):
            out = root / f"lo-cold-{i}"
            start = time.perf_counter()
            subprocess.run(
                [*command, "--outdir", str(out), *map(str, files)],
                capture_output=True,
                check=True,
                timeout=600,
            )
            theirs.append(time.perf_counter() - start)
    return median_of(ours), (median_of(theirs) if theirs else None)


def _pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return next(int(line.split()[-1]) for line in info.splitlines() if line.startswith("Pages:"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="renders per document, warm (median)")
    parser.add_argument("--lo-runs", type=int, default=5, help="LibreOffice conversions per document, warm")
    parser.add_argument("--cold-runs", type=int, default=3, help="cold household runs per side")
    parser.add_argument("--keep", type=Path, default=None, help="keep the PDFs, FODTs and page images here")
    parser.add_argument("--cold-run", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cold_run is not None:
        cold_run(args.cold_run)
        return

    fonts = load_fonts().preload()
    library = load_library(fonts=fonts)
    inputs = prepare(FormRenderer(library, fonts), fonts)
    ours = bench_madoguchi(inputs, args.runs)
    floor, floor_sync = bench_floor(ours, args.runs)
    soffice = lo_available()

    with tempfile.TemporaryDirectory(prefix="madoguchi-bench-forms-") as tmp:
        root = args.keep or Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        files = []
        for r in ours:
            path = root / f"{r.name}.fodt"
            path.write_text(fodt(record(inputs, r.name)), encoding="utf-8")
            (root / f"{r.name}.madoguchi.pdf").write_bytes(r.pdf)
            files.append(path)
        lo: dict[str, float] = {}
        lo_pages: dict[str, int] = {}
        if soffice is not None:
            lo = bench_libreoffice_warm(soffice, root, files, args.lo_runs)
            lo_pages = {p.stem: _pdf_pages(p.with_suffix(".pdf")) for p in files}
        cold_ours, cold_lo = bench_cold(soffice, root, files, args.cold_runs)
        if args.keep:
            _page_images(root, ours[0].name)
    report(ours, lo, lo_pages, (floor, floor_sync), (cold_ours, cold_lo), args)


def _page_images(root: Path, name: str) -> None:
    """The first page of both sides as PNG, to look at."""
    for side, pdf in (("madoguchi", root / f"{name}.madoguchi.pdf"), ("lo", root / f"{name}.pdf")):
        if pdf.exists():
            out = str(root / f"{name}.{side}")
            subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(pdf), out], check=True)


def report(
    ours: list[Result],
    lo: dict[str, float],
    lo_pages: dict[str, int],
    floors: tuple[float, float],
    cold: tuple[float, float | None],
    args: argparse.Namespace,
) -> None:
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"Machine: {os.cpu_count()} CPUs, load average {load} (wall-clock times, shared machine)")
    print(
        "Warm: fonts and layouts loaded / soffice running; "
        f"median of {args.runs} (ours), {args.lo_runs} (LibreOffice); "
        "cpu = our process CPU time; LO× = LibreOffice ms/page ÷ ours; floor× = ours ÷ writing the bytes"
    )
    print(
        f"  {'document':<22}{'pages':>6}{'ours ms':>9}{'/page':>7}{'cpu/p':>7}"
        f"{'LO pages':>9}{'LO ms':>8}{'/page':>7}{'LO×':>7}{'floor×':>8}"
    )
    for r in ours:
        per_page = r.ms / r.pages
        lo_ms = lo.get(r.name)
        lo_p = lo_pages.get(r.name, 0)
        lo_text = (
            f"{lo_p:>9}{lo_ms:>8.0f}{lo_ms / max(1, lo_p):>7.0f}{lo_ms / max(1, lo_p) / per_page:>7.1f}"
            if lo_ms is not None
            else f"{'':>31}"
        )
        floor_text = f"{r.ms / r.floor_ms:>8.0f}" if r.floor_ms > 0 else ""
        cpu = r.cpu_ms / r.pages
        print(f"  {r.name:<22}{r.pages:>6}{r.ms:>9.1f}{per_page:>7.1f}{cpu:>7.1f}{lo_text}{floor_text}")

    def summary(label: str, rows: list[Result]) -> None:
        pages = sum(r.pages for r in rows)
        total = sum(r.ms for r in rows)
        cpu = sum(r.cpu_ms for r in rows)
        line = (
            f"  {label}, {pages} pages: ours {total:.0f} ms = {total / pages:.2f} ms/page "
            f"(cpu {cpu / pages:.2f})"
        )
        lo_rows = [r for r in rows if r.name in lo]
        if lo_rows:
            lo_total = sum(lo[r.name] for r in lo_rows)
            lo_page_total = sum(lo_pages[r.name] for r in lo_rows)
            ours_same = sum(r.ms for r in lo_rows) / sum(r.pages for r in lo_rows)
            line += (
                f"; LibreOffice {lo_total:.0f} ms = {lo_total / lo_page_total:.1f} ms/page "
                f"({lo_page_total} pages), {lo_total / lo_page_total / ours_same:.1f}x"
            )
        print(line)

    forms_and_guide = [r for r in ours if r.name != BILINGUAL]
    summary("household (10 forms + guide)", forms_and_guide)
    summary("with the bilingual guide", ours)
    if not lo:
        print("  LibreOffice: not installed (libreoffice-writer-nogui, python3-uno)")
    worst = max(forms_and_guide, key=lambda r: r.ms / r.pages)
    worst_cpu = max(forms_and_guide, key=lambda r: r.cpu_ms / r.pages)
    verdict = "met" if worst.ms / worst.pages <= TARGET_MS_PER_PAGE else "NOT met"
    verdict_cpu = "met" if worst_cpu.cpu_ms / worst_cpu.pages <= TARGET_MS_PER_PAGE else "NOT met"
    print(
        f"  target ≤ {TARGET_MS_PER_PAGE:.0f} ms/page for every form and the guide sheet (ours, warm): "
        f"wall-clock {verdict} (slowest: {worst.name} {worst.ms / worst.pages:.1f} ms/page), "
        f"CPU time {verdict_cpu} (slowest: {worst_cpu.name} {worst_cpu.cpu_ms / worst_cpu.pages:.1f})"
    )
    floor, floor_sync = floors
    pages = sum(r.pages for r in ours)
    total = sum(r.ms for r in ours)
    print(
        f"Physical floor: writing the same {sum(len(r.pdf) for r in ours) / 1024:.0f} KiB of PDF: "
        f"{floor:.2f} ms (write+close), {floor_sync:.1f} ms (with fsync) "
        f"= {floor / pages:.3f} / {floor_sync / pages:.2f} ms/page; ours is {total / floor:.0f}x the first, "
        f"{total / floor_sync:.1f}x the second"
    )
    cold_ours, cold_lo = cold
    text = f"ours {cold_ours:.0f} ms ({cold_ours / pages:.0f} ms/page)"
    if cold_lo is not None:
        text += f", LibreOffice {cold_lo:.0f} ms ({cold_lo / pages:.0f} ms/page), {cold_lo / cold_ours:.1f}x"
    print(f"Cold (fresh process, household to PDFs on disk, median of {args.cold_runs}): {text}")


if __name__ == "__main__":
    main()
