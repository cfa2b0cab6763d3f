"""The counter application: the PySide6 kiosk, storage, supervisor statistics and the ``madoguchi`` CLI.

The only package that knows all four libraries (``card_reader``, ``procedures``, ``forms``,
``printing``) and the only one that may import Qt widgets (in ``counter_app.ui``).

Layers, top to bottom (a layer imports only the layers below it; ``pyproject.toml`` has the contracts,
``docs/architecture.md`` the map):

* ``cli`` | ``ui`` — the two entry points: terminal commands and the Qt widgets;
* ``wiring`` — picks real or virtual hardware and builds the kiosk's presenters;
* ``presenters`` — view state of each step, and the Japanese line a clerk reads for any error;
* ``workflow`` — the visit and its use cases (session, papers, records), without widgets or SQL;
* ``adapters`` — storage (``store``), drafts, statistics, supervisors, card sources, postcode, furigana;
* ``settings`` — the counter's settings file, read by every layer.
"""
