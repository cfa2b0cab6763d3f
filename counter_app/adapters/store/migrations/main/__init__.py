"""Alembic script directory of the main database."""
