"""Every text of the catalog that the clerk's visit screens show (questions, choices, help, procedure
names and reasons, counters, kinds of events), as one string: the window draws it once off screen after
start-up so that the first visit does not pay for loading and rasterising its glyphs (issue 22: the
first answers of the day otherwise stall the event loop 30–60 ms)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # loaded after the window shows
    from procedures.catalog import Catalog


def screen_texts(catalog: Catalog) -> str:
    parts: list[str] = []
    for event in catalog.events.values():
        parts += [event.name, event.description]
    for question in catalog.questions.values():
        parts += [question.text, question.help, *(choice.label for choice in question.choices)]
    for procedure in catalog.procedures.values():
        parts += [procedure.name, procedure.reason]
    for counter in catalog.counters.values():
        parts += [counter.name, counter.place]
    seen: dict[str, None] = {}
    for text in parts:  # each character once, in the order met: the glyphs are what is warmed
        for char in text:
            seen.setdefault(char, None)
    return "".join(seen)
