"""Revisions of the local database, oldest first."""
