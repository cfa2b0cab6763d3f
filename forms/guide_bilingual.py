"""The guide sheet in the resident's language beside the Japanese (窓口案内シート・多言語).

Two columns on A4: Japanese on the left (so staff at the next counter can read it), the resident's
language on the right, procedure by procedure on the same row. The input is the Japanese
:class:`~forms.guide.GuideSheet` and a :class:`ResidentGuide` with the same counters and procedures in
the same order, every string already in the resident's language (the catalog's translations). A
procedure the catalog does not translate arrives in Japanese with ``untranslated=True`` and is printed
in Japanese with a note in the resident's language saying so — never an empty line. This module
supplies only its captions (理由 / Why / 原因 …) and date formats per language.

Fonts, shaping and line breaking per script: :mod:`forms.scripts`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from forms.errors import GlyphMissingError
from forms.fonts import FontSet
from forms.guide import CAPTIONS as JA_EN_CAPTIONS
from forms.guide import CIRCLED, GuideCounter, GuideProcedure, GuideSheet, RenderedGuide, deadline_text
from forms.guide import format_date as format_date_ja_en
from forms.pages import PT_PER_MM
from forms.pdfwriter import PdfCanvas
from forms.scripts import Atom, ScriptFonts, plain_text

PAGE_W, PAGE_H = 210.0, 297.0
HEADING_AFTER = 2.5  # points between a counter's heading and its first procedure
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 12.0, 12.0, 16.0
GAP = 6.0
COLUMN_W = (PAGE_W - 2 * MARGIN_X - GAP) / 2
NAME_PT, TEXT_PT, HEAD_PT, TITLE_PT = 13.0, 11.0, 13.5, 18.0


@dataclass(frozen=True, slots=True)
class ResidentGuide:
    """The resident's side of the sheet: the same counters and procedures as the Japanese sheet."""

    language: str
    counters: tuple[GuideCounter, ...]
    office: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class PlacedLine:
    """Where a line was printed (mm from the top-left of the page), for the layout tests."""

    page: int
    x: float
    top: float
    width: float
    bottom: float
    column_right: float
    language: str
    text: str


@dataclass(frozen=True, slots=True)
class RenderedBilingualGuide(RenderedGuide):
    resident_language: str = ""
    lines: tuple[PlacedLine, ...] = ()


_C = dict[str, str]
CAPTIONS: dict[str, _C] = {
    "ja-easy": {
        "title": "窓口《まどぐち》の案内《あんない》",
        "reason": "理由《りゆう》",
        "items": "持《も》ってくるもの",
        "deadline": "いつまで",
        "forms": "書類《しょるい》",
        "people": "だれの手続《てつづ》き",
        "done": "今日《きょう》終《お》わりました",
        "todo": "これからします",
        "left": "あと{n}日《にち》",
        "left_one": "あと1日《にち》",
        "today": "今日《きょう》まで",
        "overdue": "もう過《す》ぎています。すぐに来《き》てください",
        "summary": "手続《てつづ》き {n}つ(今日《きょう》終《お》わったもの {m}つ)",
        "page": "{i} / {n} 枚《まい》",
        "nothing": "手続《てつづ》きはありません。",
        "continued": "(続《つづ》き)",
        "untranslated": "やさしい日本語《にほんご》の説明《せつめい》はまだありません。左《ひだり》の日本語《にほんご》を窓口《まどぐち》で見《み》せてください。",  # noqa: E501
        "untranslated_part": "この部分《ぶぶん》は日本語《にほんご》だけです",
    },
    "zh-Hans": {
        "title": "窗口指南",
        "reason": "原因",
        "items": "需要携带",
        "deadline": "期限",
        "forms": "文件",
        "people": "对象",
        "done": "今天已办理",
        "todo": "待办理",
        "left": "还剩{n}天",
        "left_one": "还剩1天",
        "today": "今天截止",
        "overdue": "已超过期限,请尽快办理",
        "summary": "手续 {n}项(今天已办理 {m}项)",
        "page": "第{i}页,共{n}页",
        "nothing": "没有需要办理的手续。",
        "continued": "(续)",
        "untranslated": "此项目还没有中文翻译,以左侧日语显示。请在窗口出示本页。",
        "untranslated_part": "此部分只有日语",
    },
    "ko": {
        "title": "창구 안내",
        "reason": "이유",
        "items": "준비물",
        "deadline": "기한",
        "forms": "서류",
        "people": "대상",
        "done": "오늘 처리 완료",
        "todo": "처리 예정",
        "left": "{n}일 남음",
        "left_one": "1일 남음",
        "today": "오늘이 기한",
        "overdue": "기한이 지났습니다. 되도록 빨리 처리하세요",
        "summary": "절차 {n}건 (오늘 완료 {m}건)",
        "page": "{i} / {n} 쪽",
        "nothing": "필요한 절차가 없습니다.",
        "continued": "(계속)",
        "untranslated": "이 항목은 아직 한국어 번역이 없어 일본어로 표시합니다. 창구에서 이 종이를 보여 주세요.",  # noqa: E501
        "untranslated_part": "이 부분은 일본어로만 표시됩니다",
    },
    "vi": {
        "title": "Hướng dẫn quầy thủ tục",
        "reason": "Lý do",
        "items": "Cần mang theo",
        "deadline": "Thời hạn",
        "forms": "Giấy tờ",
        "people": "Người liên quan",
        "done": "Đã xong hôm nay",
        "todo": "Cần làm",
        "left": "còn {n} ngày",
        "left_one": "còn 1 ngày",
        "today": "hạn chót là hôm nay",
        "overdue": "Đã quá hạn: hãy làm thủ tục càng sớm càng tốt",
        "summary": "{n} thủ tục (đã xong hôm nay: {m})",
        "page": "Trang {i}/{n}",
        "nothing": "Không có thủ tục nào cần làm.",
        "continued": "(tiếp theo)",
        "untranslated": "Mục này chưa có bản dịch tiếng Việt nên được in bằng tiếng Nhật. Hãy đưa tờ này cho nhân viên quầy.",  # noqa: E501
        "untranslated_part": "Phần này chỉ có tiếng Nhật",
    },
    "pt-BR": {
        "title": "Guia dos guichês",
        "reason": "Motivo",
        "items": "Traga",
        "deadline": "Prazo",
        "forms": "Formulários",
        "people": "Para",
        "done": "Feito hoje",
        "todo": "A fazer",
        "left": "faltam {n} dias",
        "left_one": "falta 1 dia",
        "today": "vence hoje",
        "overdue": "Prazo vencido: faça o quanto antes",
        "summary": "{n} procedimentos ({m} feitos hoje)",
        "page": "Página {i} de {n}",
        "nothing": "Nenhum procedimento é necessário.",
        "continued": "(continuação)",
        "untranslated": "Este item ainda não tem tradução em português e está impresso em japonês. Mostre esta folha no guichê.",  # noqa: E501
        "untranslated_part": "Esta parte está só em japonês",
    },
    "ne": {
        "title": "काउन्टर निर्देशिका",
        "reason": "कारण",
        "items": "ल्याउनुपर्ने कुरा",
        "deadline": "म्याद",
        "forms": "फारम",
        "people": "कसका लागि",
        "done": "आज सकियो",
        "todo": "गर्न बाँकी",
        "left": "{n} दिन बाँकी",
        "left_one": "1 दिन बाँकी",
        "today": "आज अन्तिम दिन",
        "overdue": "म्याद नाघिसकेको छ: सकेसम्म छिटो गर्नुहोस्",
        "summary": "{n} प्रक्रिया (आज सकिएका {m})",
        "page": "पृष्ठ {i} / {n}",
        "nothing": "कुनै प्रक्रिया आवश्यक छैन।",
        "continued": "(क्रमशः)",
        "untranslated": "यस विषयको नेपाली अनुवाद अझै छैन, त्यसैले जापानीमा छापिएको छ। यो पाना काउन्टरमा देखाउनुहोस्।",
        "untranslated_part": "यो भाग जापानीमा मात्र छ",
    },
    "fil": {
        "title": "Gabay sa mga counter",
        "reason": "Dahilan",
        "items": "Dalhin",
        "deadline": "Takdang araw",
        "forms": "Mga form",
        "people": "Para kay",
        "done": "Tapos na ngayon",
        "todo": "Gagawin pa",
        "left": "{n} araw pa",
        "left_one": "1 araw pa",
        "today": "ngayon ang huling araw",
        "overdue": "Lampas na sa takdang araw: gawin ito sa lalong madaling panahon",
        "summary": "{n} proseso ({m} tapos na ngayon)",
        "page": "Pahina {i} ng {n}",
        "nothing": "Walang kailangang proseso.",
        "continued": "(karugtong)",
        "untranslated": "Wala pang salin sa Filipino ang bahaging ito kaya nakalimbag sa Japanese. Ipakita ang papel na ito sa counter.",  # noqa: E501
        "untranslated_part": "Japanese lamang ang bahaging ito",
    },
    "id": {
        "title": "Panduan loket",
        "reason": "Alasan",
        "items": "Bawa",
        "deadline": "Batas waktu",
        "forms": "Formulir",
        "people": "Untuk",
        "done": "Selesai hari ini",
        "todo": "Belum dilakukan",
        "left": "{n} hari lagi",
        "left_one": "1 hari lagi",
        "today": "batasnya hari ini",
        "overdue": "Sudah lewat batas waktu: segera lakukan",
        "summary": "{n} prosedur ({m} selesai hari ini)",
        "page": "Halaman {i} dari {n}",
        "nothing": "Tidak ada prosedur yang diperlukan.",
        "continued": "(lanjutan)",
        "untranslated": "Bagian ini belum diterjemahkan ke bahasa Indonesia sehingga dicetak dalam bahasa Jepang. Tunjukkan lembar ini di loket.",  # noqa: E501
        "untranslated_part": "Bagian ini hanya dalam bahasa Jepang",
    },
}
CAPTIONS["en"] = {
    **{k: v for k, v in JA_EN_CAPTIONS["en"].items() if k in CAPTIONS["ko"]},
    "untranslated": "This item is not yet translated and is printed in Japanese. Please show this sheet at the counter.",  # noqa: E501
    "untranslated_part": "This part is in Japanese only",
}

_WEEKDAYS: dict[str, tuple[str, ...]] = {
    "ja-easy": ("月《げつ》", "火《か》", "水《すい》", "木《もく》", "金《きん》", "土《ど》", "日《にち》"),
    "zh-Hans": ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"),
    "ko": ("월", "화", "수", "목", "금", "토", "일"),
    "vi": ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"),
    "pt-BR": (
        "segunda-feira",
        "terça-feira",
        "quarta-feira",
        "quinta-feira",
        "sexta-feira",
        "sábado",
        "domingo",
    ),
    "ne": ("सोमबार", "मङ्गलबार", "बुधबार", "बिहीबार", "शुक्रबार", "शनिबार", "आइतबार"),
    "fil": ("Lunes", "Martes", "Miyerkoles", "Huwebes", "Biyernes", "Sabado", "Linggo"),
    "id": ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"),
}
_MONTHS: dict[str, tuple[str, ...]] = {
    "pt-BR": (
        "janeiro", "fevereiro", "março", "abril", "maio", "junho",
        "julho", "agosto", "setembro", "outubro", "novembro", "dezembro",
    ),
    "ne": (
        "जनवरी", "फेब्रुअरी", "मार्च", "अप्रिल", "मे", "जुन",
        "जुलाई", "अगस्ट", "सेप्टेम्बर", "अक्टोबर", "नोभेम्बर", "डिसेम्बर",
    ),
    "fil": (
        "Enero", "Pebrero", "Marso", "Abril", "Mayo", "Hunyo",
        "Hulyo", "Agosto", "Setyembre", "Oktubre", "Nobyembre", "Disyembre",
    ),
    "id": (
        "Januari", "Februari", "Maret", "April", "Mei", "Juni",
        "Juli", "Agustus", "September", "Oktober", "November", "Desember",
    ),
}  # fmt: skip
LANGUAGES = tuple(CAPTIONS)


def format_date(date: dt.date, language: str) -> str:
    """A date as the resident reads it (the Gregorian year, which staff read too)."""
    if language == "ja":
        return format_date_ja_en(date, "ja")
    if language == "en":
        return format_date_ja_en(date, "en")
    w = _WEEKDAYS[language][date.weekday()]
    y, m, d = date.year, date.month, date.day
    if language == "ja-easy":
        return f"{y}年《ねん》{m}月《がつ》{d}日《にち》({w})"
    if language == "zh-Hans":
        return f"{y}年{m}月{d}日({w})"
    if language == "ko":
        return f"{y}년 {m}월 {d}일 ({w})"
    if language == "vi":
        return f"{w}, ngày {d} tháng {m} năm {y}"
    if language == "pt-BR":
        return f"{w}, {d} de {_MONTHS[language][m - 1]} de {y}"
    if language == "fil":
        return f"{w}, {_MONTHS[language][m - 1]} {d}, {y}"
    return f"{w}, {d} {_MONTHS[language][m - 1]} {y}"  # ne, id


def resident_deadline_text(
    procedure: GuideProcedure,
    visit_date: dt.date,
    language: str,
    marked: Callable[[str], str] = lambda text: text,
) -> str:
    c = CAPTIONS[language]
    parts: list[str] = []
    if procedure.deadline is not None:
        days = (procedure.deadline - visit_date).days
        when = format_date(procedure.deadline, language) + ("まで" if language == "ja-easy" else "")
        if procedure.done_today:
            status = ""
        elif days < 0:
            status = c["overdue"]
        elif days == 0:
            status = c["today"]
        else:
            status = c["left_one"] if days == 1 else c["left"].format(n=days)
        parts.append(f"{when} ({status})" if status else when)
    if procedure.deadline_rule:
        parts.append(marked(procedure.deadline_rule))
    if procedure.deadline_note:
        parts.append(marked(procedure.deadline_note))
    return " / ".join(parts)


# ---------------------------------------------------------------- layout


@dataclass
class _Block:
    """Lines of one column of one row, measured: (language, size, atoms-lines, gap after)."""

    parts: list[tuple[str, float, list[list[Atom]], float]]

    def height_pt(self, scripts: ScriptFonts) -> float:
        total = 0.0
        for language, size, lines, gap in self.parts:
            total += len(lines) * scripts.line_pitch(language, size) + gap
        return total


Wrapped = dict[tuple[str, str, float, float], list[list[Atom]]]


class _Writer:
    """Draws the sheet; the first pass (``record`` false) only counts pages and draws nothing.

    ``wrapped`` keeps the line breaks of this sheet between the two passes; it lives only while one
    sheet is rendered.
    """

    def __init__(
        self, canvas: PdfCanvas, scripts: ScriptFonts, language: str, record: bool, wrapped: Wrapped
    ) -> None:
        self.c = canvas
        self.s = scripts
        self.wrapped = wrapped
        self.language = language
        self.y = MARGIN_TOP * PT_PER_MM  # points from the top
        self.page = 1
        self.record = record
        self.placed: list[PlacedLine] = []

    def block(self, items: list[tuple[str, float, str, float]], width_mm: float) -> _Block:
        parts = []
        for language, size, text, gap in items:
            key = (text, language, size, width_mm)
            lines = self.wrapped.get(key)
            if lines is None:
                lines = []
                for paragraph in text.split("\n"):
                    lines += self.s.wrap(paragraph, language, size, width_mm * PT_PER_MM)
                self.wrapped[key] = lines
            parts.append((language, size, [list(line) for line in lines], gap))
        return _Block(parts)

    def draw(self, block: _Block, x_mm: float, width_mm: float) -> float:
        y = self.y
        for language, size, lines, gap in block.parts:
            pitch = self.s.line_pitch(language, size)
            for atoms in lines:
                ruby = self.s.line_pitch(language, size) - size * (
                    1.5 if language == "ne" else 1.3 if language == "vi" else 1.2
                )
                baseline_from_top = y + ruby + size * 0.95
                if not self.record:  # counting pages: every character was checked when measured
                    y += pitch
                    continue
                self.s.draw_line(
                    self.c,
                    x_mm * PT_PER_MM,
                    PAGE_H * PT_PER_MM - baseline_from_top,
                    atoms,
                    language,
                    size,
                )
                if self.record:
                    text = "".join(a.text for a in atoms).rstrip()
                    shown = list(atoms)
                    while shown and shown[-1].text == " ":  # a space at the end of a line is not printed
                        shown.pop()
                    width = self.s.atoms_width(shown, language, size) / PT_PER_MM
                    self.placed.append(
                        PlacedLine(
                            self.page, x_mm, y / PT_PER_MM, width, (y + pitch) / PT_PER_MM,
                            x_mm + width_mm, language, text,
                        )
                    )  # fmt: skip
                y += pitch
            y += gap
        return y

    def room(self) -> float:
        return (PAGE_H - MARGIN_BOTTOM) * PT_PER_MM - self.y


def _procedure_items(
    procedure: GuideProcedure, language: str, visit_date: dt.date, captions: _C, japanese: bool
) -> list[tuple[str, float, str, float]]:
    """The lines of one procedure in one column: name, then labelled details."""
    in_japanese = japanese or (procedure.untranslated and language != "ja-easy")
    text_language = "ja" if in_japanese else language
    label_language = "ja" if japanese else language
    status = captions["done"] if procedure.done_today else captions["todo"]
    box = "✓" if procedure.done_today else "□"
    items: list[tuple[str, float, str, float]] = []
    name_language = text_language
    items.append((name_language, NAME_PT, f"{box} {procedure.name}", 0.0))
    items.append((label_language, TEXT_PT - 1, f"【{status}】", 2.0))
    if procedure.untranslated and not japanese:
        items.append((language, TEXT_PT, f"※ {captions['untranslated']}", 2.0))

    def detail(label: str, value: str) -> None:
        items.append((label_language, TEXT_PT - 1, label, 0.0))
        items.append((text_language, TEXT_PT, value, 2.0))

    sep = "、" if japanese else ", "
    if procedure.people:
        detail(captions["people"], sep.join(procedure.people))
    if procedure.reason:
        detail(captions["reason"], procedure.reason)

    def marked(text: str) -> str:
        if japanese or procedure.untranslated or text not in procedure.untranslated_parts:
            return text
        return f"{text}(※ {captions['untranslated_part']})"

    if procedure.items_to_bring:
        if japanese or procedure.untranslated:
            detail(captions["items"], sep.join(procedure.items_to_bring))
        else:
            detail(captions["items"], "\n".join(f"・{marked(i)}" for i in procedure.items_to_bring))
    if japanese:
        deadline = deadline_text(procedure, visit_date, "ja")
    else:
        deadline = resident_deadline_text(procedure, visit_date, language, marked)
    if deadline:
        # Dates and counts are in the resident's language even when the rule's text is not.
        items.append((label_language, TEXT_PT - 1, captions["deadline"], 0.0))
        items.append((language if not japanese else "ja", TEXT_PT, deadline, 2.0))
    if procedure.forms:
        detail(captions["forms"], "、".join(procedure.forms))
    if procedure.note:
        detail("※", marked(procedure.note))
    return items


def render_bilingual_guide(
    japanese: GuideSheet, resident: ResidentGuide, fonts: FontSet, scripts: ScriptFonts | None = None
) -> RenderedBilingualGuide:
    """The guide sheet with the Japanese and the resident's language side by side (A4, PDF bytes)."""
    if resident.language not in CAPTIONS:
        raise ValueError(f"unknown resident language {resident.language!r}")
    if len(japanese.counters) != len(resident.counters) or any(
        len(a.procedures) != len(b.procedures)
        for a, b in zip(japanese.counters, resident.counters, strict=True)
    ):
        raise ValueError(
            "the resident's guide must list the same counters and procedures as the Japanese one"
        )
    scripts = scripts or ScriptFonts(fonts)
    try:
        wrapped: Wrapped = {}
        counting = _write(japanese, resident, fonts, scripts, None, wrapped)
        pdf, writer = _write(japanese, resident, fonts, scripts, counting[1].page, wrapped)
    except GlyphMissingError as exc:
        raise exc.located("guide_sheet", "text") from None
    return RenderedBilingualGuide(
        pdf, writer.page, japanese.language, resident_language=resident.language, lines=tuple(writer.placed)
    )


def _write(  # noqa: PLR0915 - the sheet from top to bottom
    japanese: GuideSheet,
    resident: ResidentGuide,
    fonts: FontSet,
    scripts: ScriptFonts,
    total_pages: int | None,
    wrapped: Wrapped,
) -> tuple[bytes, _Writer]:
    canvas = PdfCanvas((PAGE_W * PT_PER_MM, PAGE_H * PT_PER_MM))
    lang = resident.language
    ja_c = JA_EN_CAPTIONS["ja"]
    rc = CAPTIONS[lang]
    canvas.setTitle(f"{ja_c['title']} / {plain_text(rc['title'])}")
    canvas.setCreator("Madoguchi")
    w = _Writer(canvas, scripts, lang, record=total_pages is not None, wrapped=wrapped)
    left, right = MARGIN_X, MARGIN_X + COLUMN_W + GAP

    def footer() -> None:
        if total_pages is not None and total_pages > 1:
            saved = w.y
            w.y = (PAGE_H - MARGIN_BOTTOM + 5) * PT_PER_MM
            text = f"{ja_c['page'].format(i=w.page, n=total_pages)} / {rc['page'].format(i=w.page, n=total_pages)}"  # noqa: E501
            w.draw(w.block([(lang, 9.0, text, 0.0)], PAGE_W - 2 * MARGIN_X), left, PAGE_W - 2 * MARGIN_X)
            w.y = saved

    def new_page() -> None:
        footer()
        canvas.showPage()
        w.page += 1
        w.y = MARGIN_TOP * PT_PER_MM
        row(
            [("ja", 11.0, f"{ja_c['title']} {ja_c['continued']}", 2.0)],
            [(lang, 11.0, f"{rc['title']} {rc['continued']}", 2.0)],
            force=True,
        )

    def row_height(
        ja_items: list[tuple[str, float, str, float]],
        res_items: list[tuple[str, float, str, float]],
        shade: bool = False,
    ) -> float:
        """The height a row takes (without the space after it), in points."""
        a = w.block(ja_items, COLUMN_W - (4 if shade else 0))
        b = w.block(res_items, COLUMN_W - (4 if shade else 0))
        return max(a.height_pt(scripts), b.height_pt(scripts)) + (6 if shade else 0)

    def row(
        ja_items: list[tuple[str, float, str, float]],
        res_items: list[tuple[str, float, str, float]],
        force: bool = False,
        shade: bool = False,
        after: float = 0.0,
    ) -> None:
        a = w.block(ja_items, COLUMN_W - (4 if shade else 0))
        b = w.block(res_items, COLUMN_W - (4 if shade else 0))
        height = row_height(ja_items, res_items, shade)
        if not force and height > w.room():
            new_page()
        if shade:
            canvas.setFillGray(0.9)
            canvas.rect(
                left * PT_PER_MM,
                PAGE_H * PT_PER_MM - w.y - height,
                (PAGE_W - 2 * MARGIN_X) * PT_PER_MM,
                height,
                stroke=0,
                fill=1,
            )
            canvas.setFillGray(0)
            w.y += 3
        top = w.y
        w.draw(a, left + (2 if shade else 0), COLUMN_W - (4 if shade else 0))
        w.y = top
        w.draw(b, right + (2 if shade else 0), COLUMN_W - (4 if shade else 0))
        w.y = top + height - (3 if shade else 0) + after

    # Title and header.
    row([("ja", TITLE_PT, ja_c["title"], 2.0)], [(lang, TITLE_PT, rc["title"], 2.0)])
    header_ja = format_date_ja_en(japanese.visit_date, "ja")
    header_res = format_date(japanese.visit_date, lang)
    if japanese.office:
        header_ja = f"{japanese.office}  {header_ja}"
    if resident.office:
        header_res = f"{resident.office}  {header_res}"
    procedures = [p for counter in japanese.counters for p in counter.procedures]
    done = sum(1 for p in procedures if p.done_today)
    ja_head = [("ja", 11.5, header_ja, 1.0)]
    res_head = [(lang, 11.5, header_res, 1.0)]
    if japanese.household:
        ja_head.append(("ja", 12.5, ja_c["honorific"].format(name=japanese.household), 1.0))
        res_head.append(("ja", 12.5, japanese.household, 1.0))  # the name as written on the card
    ja_head.append(("ja", 11.5, ja_c["summary"].format(n=len(procedures), m=done), 3.0))
    res_head.append((lang, 11.5, rc["summary"].format(n=len(procedures), m=done), 3.0))
    row(ja_head, res_head)
    if not procedures:
        row([("ja", 13.0, ja_c["nothing"], 0.0)], [(lang, 13.0, rc["nothing"], 0.0)])
    for number, (ja_counter, res_counter) in enumerate(
        zip(japanese.counters, resident.counters, strict=True)
    ):
        if not ja_counter.procedures:
            continue
        mark = CIRCLED[number] if number < len(CIRCLED) else f"{number + 1}."
        ja_heading = f"{mark} {ja_counter.name}" + (f"({ja_counter.location})" if ja_counter.location else "")
        res_heading = f"{mark} {res_counter.name}" + (
            f" ({res_counter.location})" if res_counter.location else ""
        )
        first_ja = _procedure_items(ja_counter.procedures[0], lang, japanese.visit_date, ja_c, True)
        first_res = _procedure_items(res_counter.procedures[0], lang, japanese.visit_date, rc, False)
        # Keep a counter's heading with its first procedure: both rows, as tall as they are drawn (a
        # heading in a long script may wrap to several lines).
        heading_ja = [("ja", HEAD_PT, ja_heading, 0.0)]
        heading_res = [(lang, HEAD_PT, res_heading, 0.0)]
        need = (
            row_height(heading_ja, heading_res, shade=True) + HEADING_AFTER + row_height(first_ja, first_res)
        )
        if need > w.room():
            new_page()
        row(heading_ja, heading_res, shade=True, after=HEADING_AFTER)
        for ja_p, res_p in zip(ja_counter.procedures, res_counter.procedures, strict=True):
            row(
                _procedure_items(ja_p, lang, japanese.visit_date, ja_c, True),
                _procedure_items(res_p, lang, japanese.visit_date, rc, False),
                after=4.0,
            )
    for ja_note, res_note in zip(japanese.notes, resident.notes, strict=False):
        row([("ja", 10.0, f"※ {ja_note}", 1.0)], [(lang, 10.0, f"※ {res_note}", 1.0)])
    footer()
    return canvas.save(), w
