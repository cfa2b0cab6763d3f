"""Revisions of the main database, oldest first."""
