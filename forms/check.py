"""The layout check: unknown fields, misused fields, overlapping boxes, text that cannot fit.

Used by ``madoguchi forms check``, by ``madoguchi catalog check`` (through counter_app) and when a
library of layouts is loaded. Problems are Japanese sentences with the element's path
(``first.elements[3].rows[1].cells[2]``), which the loader turns into ``file:line``.
"""

from __future__ import annotations

from forms.errors import GlyphMissingError, LayoutProblem
from forms.fitting import fit_text
from forms.fonts import Face, FontSet
from forms.layout import FormLayout
from forms.pages import PT_PER_MM, CompiledPage, FieldRef, PageCompiler, Rect, StaticText
from forms.vocabulary import GROUPS, FieldKind


def _ref_problem(ref: FieldRef) -> str | None:
    if ref.group is not None and ref.group not in GROUPS:
        return f"グループ「{ref.group}」は項目の語彙にありません(使えるもの: {', '.join(GROUPS)})"
    if ref.spec() is None:
        scope = f"グループ「{ref.group}」の" if ref.group else ""
        return f"{scope}項目「{ref.name}」は項目の語彙にありません(docs/forms.md の一覧を参照)"
    return None


def _check_page(  # noqa: PLR0915 - one pass over the page, rule after rule
    layout: FormLayout, page: CompiledPage, name: str, fonts: FontSet
) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = list(page.problems)

    # Fields: known, and used the way their kind allows.
    for slot in page.fields:
        message = _ref_problem(slot.ref)
        if message:
            problems.append((slot.where, message))
            continue
        spec = slot.ref.spec()
        assert spec is not None
        if spec.kind is FieldKind.FLAG:
            problems.append((slot.where, f"「{spec.name}」はチェック項目です。check で置いてください"))
        if slot.format is not None and spec.kind is not FieldKind.DATE:
            problems.append(
                (slot.where, f"format は日付の項目にだけ使えます(「{spec.name}」は日付ではありません)")
            )
    for check in page.checks:
        message = _ref_problem(check.ref)
        if message:
            problems.append((check.where, message))
            continue
        spec = check.ref.spec()
        assert spec is not None
        if spec.kind is FieldKind.CHOICE:
            if check.option is None:
                problems.append((check.where, f"選択項目「{spec.name}」のチェックには option が必要です"))
            elif check.option not in spec.options:
                problems.append(
                    (
                        check.where,
                        f"「{check.option}」は「{spec.name}」の選択肢({'・'.join(spec.options)})にありません",
                    )
                )
        elif spec.kind is FieldKind.FLAG:
            if check.option is not None:
                problems.append((check.where, f"チェック項目「{spec.name}」に option は書けません"))
        else:
            problems.append((check.where, f"「{spec.name}」は選択・チェックの項目ではありません"))

    # Exactly one back-office QR code per page.
    if len(page.qrs) != 1:
        problems.append((name, f"処理用QRコード(qr)はページに1つ必要です({len(page.qrs)}個あります)"))

    # Everything inside the printable area.
    page_w, page_h = layout.page_mm
    m = layout.margin
    printable = Rect(m, m, page_w - 2 * m, page_h - 2 * m)
    areas: list[tuple[Rect, str, str]] = []
    areas += [(t.rect, t.where, f"文字「{t.text[:12]}」") for t in page.texts]
    areas += [(t.rect, t.where, f"文字「{t.text[:12]}」") for t, _ in page.row_texts]
    areas += [(f.rect, f.where, f"項目「{f.ref.name}」") for f in page.fields]
    areas += [(c.area, c.where, f"チェック「{c.label or c.ref.name}」") for c in page.checks]
    areas += [(s.rect, s.where, "署名欄") for s in page.signatures]
    areas += [(q.area, q.where, "処理用QRコード") for q in page.qrs]
    if page.footer is not None:
        areas.append((page.footer, name, "ページ番号の欄(右下)"))
    for rect, where, what in areas:
        if not rect.inside(printable):
            problems.append((where, f"{what}が印刷できる範囲(用紙の端から{m:g}mm)の外に出ています"))
    for stroke in page.strokes:
        if stroke.rect is not None and not stroke.rect.inside(printable):
            problems.append(
                (name, f"罫線({stroke.rect.x:g},{stroke.rect.y:g})が印刷できる範囲の外に出ています")
            )

    # No two boxes with content may overlap.
    ordered = sorted(areas, key=lambda a: a[0].y)
    for i, (rect, where, what) in enumerate(ordered):
        for other, other_where, other_what in ordered[i + 1 :]:
            if other.y >= rect.bottom:
                break
            if rect.overlap(other):
                problems.append((where, f"{what}が{other_what}({other_where})と重なっています"))

    # Static text must fit (at its minimum size, wrapped) and be printable.
    texts: list[tuple[StaticText, int | None]] = [(t, None) for t in page.texts]
    texts += [(t, row_slot) for t, row_slot in page.row_texts]
    for text, row_slot in texts:
        content = text.text.replace("{n}", str(99)) if row_slot is not None else text.text
        try:
            fonts.check_text(content.replace("\n", ""), text.style.face)
        except GlyphMissingError as exc:
            problems.append((text.where, f"文字 U+{exc.code_point:04X} を印刷できるフォントがありません"))
            continue
        inner = text.rect.inset(text.style.padding, 0.3)
        fitted = fit_text(
            fonts,
            content,
            text.style.face,
            inner.w * PT_PER_MM,
            inner.h * PT_PER_MM,
            size=text.style.size,
            min_size=text.style.min_size,
            lines=text.style.lines,
            avoid_orphans=True,
        )
        if fitted is None:
            problems.append(
                (text.where, f"文字「{text.text[:12]}」が枠({text.rect.w:g}×{text.rect.h:g}mm)に収まりません")
            )
        elif len(fitted.lines) > content.count("\n") + 1 and any(
            len(line.strip()) == 1 for line in fitted.lines
        ):
            problems.append(
                (
                    text.where,
                    f"文字「{text.text[:12]}」が折り返すと1文字だけ次の行に残ります"
                    f"({'／'.join(fitted.lines)})。枠を広げるか min_size を小さくしてください",
                )
            )
    for slot in page.fields:  # the grey 「窓口で確認」 of an empty box must fit the box too
        if not slot.when_empty:
            continue
        try:
            fonts.check_text(slot.when_empty, Face.GOTHIC)
        except GlyphMissingError as exc:
            problems.append((slot.where, f"文字 U+{exc.code_point:04X} を印刷できるフォントがありません"))
            continue
        inner = slot.text_rect.inset(slot.style.padding, 0.3)
        fitted = fit_text(
            fonts,
            slot.when_empty,
            Face.GOTHIC,
            inner.w * PT_PER_MM,
            inner.h * PT_PER_MM,
            size=6.5,
            min_size=4.5,
            lines=2,
            avoid_orphans=True,
        )
        if fitted is None:
            problems.append(
                (
                    slot.where,
                    f"when_empty「{slot.when_empty[:12]}」が枠({slot.rect.w:g}×{slot.rect.h:g}mm)に収まりません",
                )
            )
    for check in page.checks:
        if check.label:
            try:
                fonts.check_text(check.label, Face.GOTHIC)
            except GlyphMissingError as exc:
                problems.append(
                    (check.where, f"文字 U+{exc.code_point:04X} を印刷できるフォントがありません")
                )
    return problems


def check_layout(layout: FormLayout, fonts: FontSet) -> list[LayoutProblem]:
    """Every problem of one layout (an empty list when it is sound)."""
    compiler = PageCompiler(layout, fonts)
    found: list[tuple[str, str]] = []
    first = compiler.compile(layout.first, "first")
    found += _check_page(layout, first, "first", fonts)
    if len(first.repeats) > 1:
        found.append(("first", "繰り返し(repeat)はページに1つまでです"))
    if layout.continuation is not None:
        continuation = compiler.compile(layout.continuation, "continuation")
        found += _check_page(layout, continuation, "continuation", fonts)
        groups = {r.group for r in first.repeats}
        cont_groups = {r.group for r in continuation.repeats}
        if groups != cont_groups or len(continuation.repeats) != 1:
            found.append(("continuation", "続紙には1ページ目と同じグループの繰り返し(repeat)が1つ必要です"))
    elif first.repeats:
        found.append(("first", "繰り返し(repeat)のある様式には続紙(continuation)が必要です"))
    return [LayoutProblem(layout.id, where, message) for where, message in found]
