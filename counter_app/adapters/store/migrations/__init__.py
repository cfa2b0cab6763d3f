"""Alembic migrations shipped inside the package: ``main`` (the shared database) and ``local`` (the
counter's own outbox and drafts). Applied by :mod:`counter_app.adapters.store.migrate`, never by an
alembic.ini."""
