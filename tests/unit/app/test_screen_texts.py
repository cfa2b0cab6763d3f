"""The texts the window draws once after start-up (issue 22): every character the visit screens show
from the catalog, each once."""

from __future__ import annotations

from counter_app.presenters.screen_texts import screen_texts
from procedures.catalog import load_catalog


def test_every_screen_character_of_the_catalog_once() -> None:
    catalog = load_catalog("default")
    text = screen_texts(catalog)
    assert len(text) == len(set(text))
    shown = set()
    for question in catalog.questions.values():
        shown |= set(question.text) | {c for choice in question.choices for c in choice.label}
    for procedure in catalog.procedures.values():
        shown |= set(procedure.name) | set(procedure.reason)
    for counter in catalog.counters.values():
        shown |= set(counter.name) | set(counter.place)
    assert shown <= set(text)
    assert "転" in text and "届" in text
