"""Helpers shared by test modules: the one place a test imports from (never from another test module)."""
