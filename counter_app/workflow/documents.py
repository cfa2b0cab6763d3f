"""The papers of a visit: each needed form filled in, then the guide sheet (printed last).

Maps the visit through :mod:`counter_app.workflow.visit_fields` to form values and renders them with
:mod:`forms`. Pure apart from the rendering: same visit and date, same PDFs.

A value that does not fit its box holds back that one form, never the others (issue 14): the form is
listed in :attr:`Papers.held` with each field that does not fit, so the clerk can accept the smaller
font offered (never below :data:`forms.fitting.LEGIBLE_MIN_PT`) or correct the value, and print it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from counter_app.workflow.visit_fields import FormJob, form_jobs, guide_sheet
from forms import FontSet, FormRenderer, TextDoesNotFitError, render_guide_sheet
from forms.fitting import LEGIBLE_MIN_PT
from procedures.catalog import Catalog
from procedures.engine import Guidance, NeededProcedure
from procedures.handoff import BatchRef, batch_refs, read_handoff
from procedures.visit import Visit

GUIDE_KIND = "guide_sheet"


def _handoff_ids(job: FormJob, refs: Mapping[str, BatchRef]) -> tuple[list[str], list[str]] | None:
    """(batch ids, row ids) of the form's procedures; a per-person form names that person's rows only."""
    if not refs:
        return None
    batches = [refs[p] for p in dict.fromkeys(job.procedures) if p in refs]
    rows = [
        ref.row_id(member)
        for ref in batches
        for member in ref.members
        if job.member is None or member == job.member
    ]
    return [ref.batch_id for ref in batches], rows


@dataclass(frozen=True)
class PrintDocument:
    kind: str  # a form id, or "guide_sheet"
    title: str
    pdf: bytes
    pages: int
    prefilled_characters: int  # characters the resident did not have to write (statistics)
    handoff_rows: tuple[str, ...] = ()  # the hand-off row ids its back-office QR code carries

    def __repr__(self) -> str:
        return f"PrintDocument({self.kind}, pages={self.pages}, pdf=<{len(self.pdf)} bytes>)"


@dataclass(frozen=True)
class HeldForm:
    """A form not printed because values do not fit: which form (and person), which fields."""

    kind: str  # the form id
    stem: str  # the form id, with the person's number for per-person forms (inkan_touroku-2)
    title: str
    problems: tuple[TextDoesNotFitError, ...]

    @property
    def fixable(self) -> bool:
        """Every field would fit at a smaller, still legible size."""
        return all(p.fits_at is not None for p in self.problems)

    def messages(self) -> list[str]:
        """One Japanese line per field for the clerk, with the fix on offer."""
        return [overflow_message(self.title, problem) for problem in self.problems]


def overflow_message(title: str, problem: TextDoesNotFitError) -> str:
    """「住民異動届」の「フリガナ(2人目)」が枠に収まりません。… — the field, the form, the fix."""
    head = f"「{title}」の「{problem.label}」が枠に収まりません。"
    if problem.fits_at is not None:
        return (
            head + f"文字を{problem.fits_at:g}ポイントに小さくして印刷するか"
            f"(読める最小の大きさ {LEGIBLE_MIN_PT:g}ポイント以上)、内容を修正してください。"
        )
    return head + f"読める大きさ({LEGIBLE_MIN_PT:g}ポイント以上)では収まらないため、内容を修正してください。"


@dataclass(frozen=True)
class Papers:
    """What can be printed (forms in order, guide sheet last) and the forms held back."""

    documents: tuple[PrintDocument, ...]
    held: tuple[HeldForm, ...] = ()

    def smaller_font_offer(self) -> frozenset[tuple[str, str]]:
        """(form stem, field key) of every held field a smaller font would fix."""
        return frozenset(
            (form.stem, problem.field) for form in self.held for problem in form.problems if problem.fits_at
        )


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
        # Household procedures whose hand-off rows are the members who stay (世帯主変更), by the layouts.
        layouts, _issues = read_handoff(catalog)
        self.staying = frozenset(
            p for layout in layouts for kind in layout.layout.kinds for p in kind.staying
        )

    def build(
        self,
        visit: Visit,
        guidance: Guidance,
        chosen: list[NeededProcedure],
        today: dt.date,
        *,
        english_guide: bool = False,
        smaller_font: Collection[tuple[str, str]] = (),
        handoff_visit_id: str | None = None,
    ) -> Papers:
        """Forms for the chosen procedures (in their order), then the guide sheet.

        ``smaller_font`` holds the (form stem, field key) pairs the clerk accepted a smaller font for.
        A form with a value that still does not fit is held back (:attr:`Papers.held`); the other forms
        and the guide sheet are made all the same. With ``handoff_visit_id`` each form's back-office QR
        code carries the batch and row ids of its procedures' hand-off rows (docs/handoff.md).
        """
        selected = dataclasses.replace(guidance, procedures=tuple(chosen))
        refs = (
            batch_refs(handoff_visit_id, selected, len(visit.members), self.staying)
            if handoff_visit_id is not None
            else {}
        )
        documents = []
        held = []
        titles: dict[str, str] = {}
        for job in form_jobs(visit, selected, today=today):
            title = self.renderer.library.get(job.form_id).title
            titles[job.form_id] = title
            accepted = {key for stem, key in smaller_font if stem == job.file_stem}
            try:
                rendered = self.renderer.render(
                    job.form_id, job.values, smaller_font=accepted, handoff=_handoff_ids(job, refs)
                )
            except TextDoesNotFitError:  # list every field of this form, then go on with the others
                problems = self.renderer.overflows(job.form_id, job.values, smaller_font=accepted)
                held.append(HeldForm(job.form_id, job.file_stem, title, problems))
                continue
            documents.append(
                PrintDocument(
                    job.form_id,
                    rendered.title,
                    rendered.pdf,
                    rendered.page_count,
                    _characters(job.values),
                    rendered.handoff[1] if rendered.handoff else (),
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
        return Papers(tuple(documents), tuple(held))
