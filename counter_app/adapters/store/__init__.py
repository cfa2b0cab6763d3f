"""Storage of the counter: SQLAlchemy models, the engine factory, packaged migrations, the local store.

* :mod:`models` — the main database (SQLite per counter or a shared PostgreSQL); no personal data.
* :mod:`local_models`, :mod:`local` — the counter's own SQLite file: outbox and encrypted drafts.
* :mod:`engine` — the one engine factory; :mod:`migrate` — Alembic without an alembic.ini.
* :mod:`records` — the validated records a counter writes; :mod:`writer` — idempotent inserts;
  :mod:`rollups` — pre-aggregated statistics.
"""
