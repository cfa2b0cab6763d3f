"""Shared fixtures for the unit tests: the real fonts and the shipped layouts (loaded once, on first use)."""

from __future__ import annotations

import pytest

from forms import FontSet, FormLibrary, FormRenderer, load_fonts, load_library


@pytest.fixture(scope="session")
def fonts() -> FontSet:
    return load_fonts().preload()


@pytest.fixture(scope="session")
def library(fonts: FontSet) -> FormLibrary:
    return load_library(fonts=fonts)


@pytest.fixture(scope="session")
def renderer(library: FormLibrary, fonts: FontSet) -> FormRenderer:
    return FormRenderer(library, fonts)
