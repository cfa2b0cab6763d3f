"""Alembic script directory of the local database."""
