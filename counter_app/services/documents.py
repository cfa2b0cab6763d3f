"""The papers of a visit: each needed form filled in, then the guide sheet (printed last).

Maps the visit through :mod:`counter_app.visit_fields` to form values and renders them with
:mod:`forms`. Pure apart from the rendering: same visit and date, same PDFs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from counter_app.visit_fields import form_jobs, guide_sheet
from forms import FontSet, FormRenderer, render_guide_sheet
from procedures.catalog import Catalog
from procedures.engine import Guidance, NeededProcedure
from procedures.visit import Visit

GUIDE_KIND = "guide_sheet"


@dataclass(frozen=True)
class PrintDocument:
    kind: str  # a form id, or "guide_sheet"
    title: str
    pdf: bytes
    pages: int
    prefilled_characters: int  # characters the resident did not have to write (statistics)

    def __repr__(self) -> str:
        return f"PrintDocument({self.kind}, pages={self.pages}, pdf=<{len(self.pdf)} bytes>)"


def _characters(values: dict[str, object]) -> int:
    total = 0
    for value in values.values():
        if isinstance(value, list):
            total += sum(_characters(row) for row in value if isinstance(row, dict))
        elif isinstance(value, str):
            total += len(value.replace(" ", "").replace("\u3000", ""))
        elif isinstance(value, dt.date):
            total += 10
    return total


class DocumentService:
    def __init__(
        self, catalog: Catalog, renderer: FormRenderer, fonts: FontSet, counter_id: str | None = None
    ) -> None:
        self.catalog = catalog
        self.renderer = renderer
        self.fonts = fonts
        self.counter_id = counter_id

    def build(
        self,
        visit: Visit,
        guidance: Guidance,
        chosen: list[NeededProcedure],
        today: dt.date,
        *,
        english_guide: bool = False,
    ) -> list[PrintDocument]:
        """Forms for the chosen procedures (in their order), then the guide sheet."""
        selected = dataclasses.replace(guidance, procedures=tuple(chosen))
        documents = []
        titles: dict[str, str] = {}
        for job in form_jobs(visit, selected, today=today):
            rendered = self.renderer.render(job.form_id, job.values)
            titles[job.form_id] = rendered.title
            documents.append(
                PrintDocument(
                    job.form_id, rendered.title, rendered.pdf, rendered.page_count, _characters(job.values)
                )
            )
        sheet = guide_sheet(
            visit,
            selected,
            self.catalog,
            today=today,
            here=self.counter_id,
            form_titles=titles,
            language="en" if english_guide else "ja",
        )
        guide = render_guide_sheet(sheet, self.fonts)
        documents.append(PrintDocument(GUIDE_KIND, "窓口案内シート", guide.pdf, guide.page_count, 0))
        return documents
