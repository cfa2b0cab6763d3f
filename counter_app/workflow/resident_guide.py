"""The guide sheet in the resident's language, beside the Japanese: the catalog's translations.

:func:`bilingual_guide` returns the Japanese :class:`~forms.GuideSheet` (exactly what
:func:`counter_app.workflow.visit_fields.guide_sheet` makes) and the
:class:`~forms.guide_bilingual.ResidentGuide` with the same counters and procedures in the same order, every
text taken from ``catalog.translations`` (``i18n/<language>.yaml``; English from the catalog's ``_en``
twins). Nothing is filled in silently: a procedure without a translation is marked ``untranslated`` (the
sheet prints the Japanese and says so in the resident's language), an item, deadline text or note without
one is listed in ``untranslated_parts`` and marked where it is printed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from counter_app.workflow.visit_fields import _people
from procedures.templates import placeholders, render
from procedures.visit import Visit

if TYPE_CHECKING:  # forms (reportlab) loads when a sheet is made, not with the resident's screen
    from forms import GuideProcedure, GuideSheet
    from forms.guide_bilingual import ResidentGuide
    from procedures.catalog import Catalog
    from procedures.engine import Guidance, NeededProcedure


def _template_values(template: str, rendered: str) -> dict[str, str]:
    """The values the engine put into a reason's placeholders ({count}, {dog_count} …), read back
    from the Japanese text it rendered, so that the translation says the same numbers."""
    names = list(placeholders(template))
    if not names:
        return {}
    pattern = ""
    position = 0
    for match in re.finditer(r"\{\{|\}\}|\{([a-z][a-z0-9_]*)\}", template):
        pattern += re.escape(template[position : match.start()].replace("{{", "{").replace("}}", "}"))
        if match.group(1):
            name = match.group(1)
            pattern += f"(?P<{name}>.+?)" if f"(?P<{name}>" not in pattern else f"(?P={name})"
        else:
            pattern += re.escape(match.group(0)[0])
        position = match.end()
    pattern += re.escape(template[position:])
    found = re.fullmatch(pattern, rendered, re.DOTALL)
    return found.groupdict() if found else {}


def translated_procedure(catalog: Catalog, needed: NeededProcedure, language: str) -> tuple[str, str, bool]:
    """A listed procedure's name and reason in ``language`` (the reason with the same numbers as the
    Japanese), and whether it is untranslated (then both are the Japanese)."""
    text = catalog.translations.procedure(language, needed.procedure.id)
    if text is None:
        return needed.procedure.name, needed.reason, True
    values = _template_values(needed.procedure.reason, needed.reason)
    try:
        return text.name, render(text.reason, lambda name: values[name]), False
    except KeyError:
        return text.name, needed.reason, True


def _entries(
    visit: Visit,
    needed: NeededProcedure,
    catalog: Catalog,
    language: str,
    done_today: bool,
    form_names: tuple[str, ...],
) -> tuple[GuideProcedure, GuideProcedure]:
    from forms import GuideProcedure

    p = needed.procedure
    deadline = needed.deadline
    people = _people(visit, needed)
    japanese = GuideProcedure(
        name=p.name,
        reason=needed.reason,
        items_to_bring=tuple(i.name for i in needed.items),
        deadline=deadline.date if deadline else None,
        deadline_rule=deadline.text if deadline else "",
        deadline_note=deadline.note if deadline else "",
        done_today=done_today,
        forms=form_names,
        note=p.note,
        people=people,
    )
    text = catalog.translations.procedure(language, p.id)
    if text is None:
        return japanese, dataclasses.replace(japanese, untranslated=True)
    untranslated: list[str] = []
    values = _template_values(p.reason, needed.reason)
    try:
        reason = render(text.reason, lambda name: values[name])
    except KeyError:  # the Japanese could not be read back: say it in Japanese rather than guess
        reason = needed.reason
        untranslated.append(needed.reason)
    items = []
    for item in needed.items:
        item_text = catalog.translations.item(language, item.id)
        items.append(item_text.name if item_text else item.name)
        if item_text is None:
            untranslated.append(item.name)
    rule = ""
    if deadline is not None:
        rule = text.deadline or deadline.text
        if not text.deadline:
            untranslated.append(deadline.text)
    deadline_note = ""
    if deadline is not None and deadline.note:
        from counter_app.workflow.closed_day_notes import closed_day_note  # forms: not with the window

        deadline_note = closed_day_note(deadline, language) or deadline.note
        if deadline_note == deadline.note:
            untranslated.append(deadline.note)
    note = ""
    if p.note:
        note = text.note or p.note
        if not text.note:
            untranslated.append(p.note)
    resident = dataclasses.replace(
        japanese,
        name=text.name,
        reason=reason,
        items_to_bring=tuple(items),
        deadline_rule=rule,
        deadline_note=deadline_note,
        note=note,
        untranslated_parts=tuple(untranslated),
    )
    return japanese, resident


def bilingual_guide(
    visit: Visit,
    guidance: Guidance,
    catalog: Catalog,
    language: str,
    *,
    today: dt.date,
    here: str | None = None,
    done: Iterable[str] = (),
    form_titles: dict[str, str] | None = None,
) -> tuple[GuideSheet, ResidentGuide]:
    """The Japanese sheet and the resident's side, procedure by procedure in the same order."""
    from forms import GuideCounter, GuideSheet
    from forms.guide_bilingual import ResidentGuide

    done_ids = set(done)
    declared = catalog.forms
    titles = form_titles or {}
    counters: dict[str, tuple[Any, list[tuple[GuideProcedure, GuideProcedure]]]] = {}
    for needed in guidance.procedures:
        forms = tuple(
            declared[f].name if f in declared else titles.get(f, f)  # forms stay Japanese (official)
            for f in needed.forms
        )
        done_today = needed.counter.id == here or needed.procedure.id in done_ids or needed.key in done_ids
        ja, res = _entries(visit, needed, catalog, language, done_today, forms)
        listed = counters.setdefault(needed.counter.id, (needed.counter, []))[1]
        # One block per procedure and reason naming everyone it concerns, as on the Japanese sheet.
        if listed and ja.people and dataclasses.replace(listed[-1][0], people=ja.people) == ja:
            last_ja, last_res = listed[-1]
            listed[-1] = (
                dataclasses.replace(last_ja, people=last_ja.people + ja.people),
                dataclasses.replace(last_res, people=last_res.people + res.people),
            )
        else:
            listed.append((ja, res))
    meta = catalog.meta
    japanese = GuideSheet(
        visit_date=today,
        counters=tuple(
            GuideCounter(c.name, c.place, tuple(j for j, _ in pairs)) for c, pairs in counters.values()
        ),
        language="ja",
        office=meta.municipality,
        household=visit.members[0].name,
    )
    resident_counters = []
    for counter, pairs in counters.values():
        translated = catalog.translations.counter(language, counter.id)
        if translated is not None:
            name, place = translated.name, translated.place or counter.place
        elif language == "ja-easy":
            name, place = counter.name, counter.place
        else:  # where to go: the Japanese sign's words, with the English name staff also use
            name, place = f"{counter.name} ({counter.name_en})", counter.place_en or counter.place
        resident_counters.append(GuideCounter(name, place, tuple(r for _, r in pairs)))
    office = meta.municipality if language == "ja-easy" else meta.municipality_en
    return japanese, ResidentGuide(language, tuple(resident_counters), office=office)
