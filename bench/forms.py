"""Milliseconds per page for the ten pre-filled forms and the guide sheet, against LibreOffice.

Prints, for the fictional household of :mod:`forms.samples` (髙﨑 / 𠮷, a 60-character address):

* each form's pages and render time (median of runs, fonts and layouts already loaded — as in the
  kiosk, which loads them at start), and the overall ms per page (target: ≤ 30 ms);
* the baseline, measured in the same run: LibreOffice Writer (``soffice --headless --convert-to pdf``)
  producing comparable filled documents — one flat ODF text per form with the same title, labels and
  values in ruled tables, in the same fonts — after a warm-up conversion that creates its profile;
* the ratio.

Run: ``.venv/bin/python -m bench.forms [--runs N]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from forms import (
    FormRenderer,
    GuideCounter,
    GuideProcedure,
    GuideSheet,
    load_fonts,
    load_library,
    render_guide_sheet,
)
from forms.samples import HOUSEHOLDER, sample_values
from forms.values import check_values, display
from forms.vocabulary import FIELDS, GROUPS

TARGET_MS_PER_PAGE = 30.0


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
                        "転入したため(4人)",
                        ("マイナンバーカード",),
                        dt.date(2025, 7, 13),
                        "転入届の日から90日以内",
                        True,
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


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def bench_madoguchi(runs: int) -> tuple[list[tuple[str, int, float]], float, int]:
    fonts = load_fonts().preload()
    renderer = FormRenderer(load_library(fonts=fonts), fonts)
    sheet = guide_sheet()
    rows: list[tuple[str, int, float]] = []
    total_pages = 0
    totals: list[float] = [0.0] * runs
    for form_id in renderer.library.ids():
        values = sample_values(form_id)
        pages = renderer.render(form_id, values).page_count  # warm-up: compiles the layout
        samples = []
        for i in range(runs):
            start = time.perf_counter()
            renderer.render(form_id, values)
            elapsed = time.perf_counter() - start
            samples.append(elapsed)
            totals[i] += elapsed
        rows.append((form_id, pages, _median_ms(samples)))
        total_pages += pages
    pages = render_guide_sheet(sheet, fonts).page_count
    samples = []
    for i in range(runs):
        start = time.perf_counter()
        render_guide_sheet(sheet, fonts)
        elapsed = time.perf_counter() - start
        samples.append(elapsed)
        totals[i] += elapsed
    rows.append(("guide_sheet", pages, _median_ms(samples)))
    total_pages += pages
    return rows, _median_ms(totals), total_pages


# -- LibreOffice baseline -------------------------------------------------------------------------

FODT_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
<office:font-face-decls>
 <style:font-face style:name="IPAexMincho" svg:font-family="IPAexMincho"
  xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"/>
</office:font-face-decls>
<office:automatic-styles>
 <style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm"
  fo:page-height="29.7cm" fo:margin-top="1cm" fo:margin-bottom="1cm" fo:margin-left="1cm"
  fo:margin-right="1cm"/></style:page-layout>
 <style:style style:name="cell" style:family="table-cell"><style:table-cell-properties
  fo:border="0.5pt solid #000000" fo:padding="0.05cm"/></style:style>
 <style:style style:name="P1" style:family="paragraph"><style:text-properties style:font-name="IPAexMincho"
  fo:font-size="10pt" style:font-name-asian="IPAexMincho" style:font-size-asian="10pt"/></style:style>
 <style:style style:name="H" style:family="paragraph"><style:text-properties style:font-name="IPAexMincho"
  fo:font-size="18pt" style:font-name-asian="IPAexMincho" style:font-size-asian="18pt"/></style:style>
</office:automatic-styles>
<office:master-styles>
 <style:master-page style:name="Standard" style:page-layout-name="pm1"/>
</office:master-styles>
<office:body><office:text>
"""


def _cell(text: str) -> str:
    paragraph = f'<text:p text:style-name="P1">{escape(text)}</text:p>'
    return f'<table:table-cell table:style-name="cell">{paragraph}</table:table-cell>'


def fodt_for(form_id: str, title: str, values: dict[str, Any]) -> str:
    checked = check_values(form_id, values)
    parts = [FODT_HEAD, f'<text:p text:style-name="H">{escape(title)}</text:p>']
    parts.append('<table:table table:name="fields"><table:table-column table:number-columns-repeated="2"/>')
    for name, value in checked.scalars.items():
        spec = FIELDS[name]
        parts.append(f"<table:table-row>{_cell(spec.label)}{_cell(display(spec, value))}</table:table-row>")
    parts.append("</table:table>")
    for group, rows in checked.groups.items():
        specs = GROUPS[group]
        parts.append(
            f'<table:table table:name="{group}">'
            f'<table:table-column table:number-columns-repeated="{len(specs)}"/>'
        )
        parts.append(
            "<table:table-row>" + "".join(_cell(s.label) for s in specs.values()) + "</table:table-row>"
        )
        for row in rows:
            cells = "".join(_cell(display(s, row[n]) if n in row else "") for n, s in specs.items())
            parts.append(f"<table:table-row>{cells}</table:table-row>")
        parts.append("</table:table>")
    parts.append('<text:p text:style-name="P1">署名欄</text:p></office:text></office:body></office:document>')
    return "".join(parts)


def _pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return next(int(line.split()[-1]) for line in info.splitlines() if line.startswith("Pages:"))


def bench_libreoffice(runs: int) -> tuple[float, int] | None:
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    fonts = load_fonts()
    library = load_library(fonts=fonts)
    with tempfile.TemporaryDirectory(prefix="madoguchi-bench-lo-") as tmp:
        root = Path(tmp)
        sources = []
        for layout in library:
            path = root / f"{layout.id}.fodt"
            path.write_text(fodt_for(layout.id, layout.title, sample_values(layout.id)), encoding="utf-8")
            sources.append(path)
        profile = f"-env:UserInstallation=file://{root / 'profile'}"
        command = [soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", str(root / "out")]
        subprocess.run([*command, str(sources[0])], capture_output=True, check=True, timeout=300)  # warm-up
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([*command, *map(str, sources)], capture_output=True, check=True, timeout=300)
            samples.append(time.perf_counter() - start)
        pages = sum(_pdf_pages(root / "out" / f"{p.stem}.pdf") for p in sources)
    return _median_ms(samples), pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="renders per form (median)")
    parser.add_argument("--lo-runs", type=int, default=3, help="LibreOffice conversions (median)")
    args = parser.parse_args()

    rows, total_ms, total_pages = bench_madoguchi(args.runs)
    print(f"Madoguchi (reportlab), median of {args.runs} renders, fonts and layouts loaded:")
    print(f"  {'document':<22}{'pages':>6}{'ms':>9}{'ms/page':>10}")
    for name, pages, ms in rows:
        print(f"  {name:<22}{pages:>6}{ms:>9.1f}{ms / pages:>10.1f}")
    per_page = total_ms / total_pages
    print(f"  {'all 10 forms + guide':<22}{total_pages:>6}{total_ms:>9.1f}{per_page:>10.1f}")
    verdict = "met" if per_page <= TARGET_MS_PER_PAGE else "NOT met"
    print(f"  target ≤ {TARGET_MS_PER_PAGE:.0f} ms/page: {verdict}")

    baseline = bench_libreoffice(args.lo_runs)
    if baseline is None:
        print("LibreOffice: soffice not installed (apt-get install libreoffice-writer-nogui); no baseline")
        return
    lo_ms, lo_pages = baseline
    lo_per_page = lo_ms / lo_pages
    print(
        f"LibreOffice Writer (soffice --headless --convert-to pdf), 10 filled documents in one call, "
        f"median of {args.lo_runs}:"
    )
    print(f"  {lo_pages} pages in {lo_ms:.0f} ms = {lo_per_page:.1f} ms/page")
    print(f"Ratio LibreOffice / Madoguchi per page: {lo_per_page / per_page:.1f}x")


if __name__ == "__main__":
    main()
