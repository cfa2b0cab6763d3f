"""The static layer of each form page, drawn once per layout and reused on every sheet.

Everything on a page template that does not depend on the values — ruled boxes and shading, labels
and fixed texts, the small captions of fields, the tick boxes and labels of the form's own options,
the signature boxes — is drawn once into a :class:`~forms.pdfwriter.Fragment` (a form XObject with
its own font subsets, compressed once) and placed on each sheet with ``Do``. What depends on a
visit — values, ticks, the rows in use (row numbers, row tick boxes, 以下余白), 「窓口で確認」 notes,
the QR code and page numbers — is drawn on every sheet with the document's own fonts.

Why it is safe:

* **Only layout content.** The layer is drawn from the compiled page template alone (the drawing
  function takes no values); a resident's text never reaches it, so nothing personal outlives a
  visit here. ``tests/unit/forms/test_static_layer.py`` renders two households with the same
  renderer and checks that no text of the first appears in the second's PDF, and that the cached
  layers hold no value text.
* **Keyed by the layout itself.** An entry is found by the identity of the
  :class:`~forms.layout.FormLayout` object and the template (``first`` / ``continuation``), and keeps
  a reference to that object, so a layout edited and loaded again (a new library, or a renderer given
  the new library) is a new key and is drawn afresh; the fonts are those of the renderer, fixed for its
  life. Entries of replaced layouts are dropped when the cache grows past :data:`MAX_LAYERS`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from forms.layout import FormLayout
from forms.pdfwriter import Fragment

MAX_LAYERS = 256  # templates kept (ten forms use about fifteen)


class StaticLayers:
    """Fragments by (layout object, template name); built on first use, thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[tuple[int, str], tuple[FormLayout, Fragment]] = {}

    def get(self, layout: FormLayout, which: str, build: Callable[[], Fragment]) -> Fragment:
        key = (id(layout), which)
        entry = self._entries.get(key)
        if entry is not None and entry[0] is layout:
            return entry[1]
        fragment = build()
        with self._lock:
            if len(self._entries) >= MAX_LAYERS:
                self._entries.clear()
            self._entries[key] = (layout, fragment)
        return fragment

    def fragments(self) -> list[Fragment]:
        """The cached layers (for tests and the benchmark)."""
        return [fragment for _, fragment in self._entries.values()]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
