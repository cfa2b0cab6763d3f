"""Every error the app can raise to the clerk has its own Japanese line: none falls to the generic one.

The test walks every subclass of the errors that reach :func:`clerk_message` (the four libraries'
base errors, the store's, the settings', the visit session's), after importing every module of the
five packages so that no subclass is missed, builds one instance of each (arguments from its
signature, or the explicit examples below) and fails on the generic fallback line. A new error class
without a mapping fails here; so does deleting a mapping (e.g. ``PrintJobFailedError``'s).
"""

from __future__ import annotations

import collections.abc
import datetime as dt
import enum
import importlib
import inspect
import pkgutil
import re
import types
import typing
from pathlib import Path
from typing import Any

import pytest

import card_reader
import counter_app
import forms
import printing
import procedures
from card_reader.errors import CardError
from counter_app.adapters.store.errors import SchemaError, StoreError, SupervisorError
from counter_app.presenters.messages import clerk_message
from counter_app.settings.config import ConfigError
from counter_app.workflow.visit_session import VisitSessionError
from forms.errors import FormsError
from printing.errors import PrintingError
from procedures.errors import ProceduresError
from procedures.prefill.errors import PrefillError

ROOTS: tuple[type[BaseException], ...] = (
    CardError,
    ProceduresError,
    FormsError,
    PrintingError,
    StoreError,
    ConfigError,
    VisitSessionError,
)
GENERIC = "予期しないエラーが発生しました"
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
SKIPPED_MODULES = ("counter_app.ui", "counter_app.__main__", "counter_app.adapters.store.migrations")


def _import_everything() -> None:
    for package in (card_reader, procedures, forms, printing, counter_app):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if info.name.startswith(SKIPPED_MODULES):
                continue
            importlib.import_module(info.name)


def _subclasses(root: type[BaseException]) -> list[type[BaseException]]:
    found: list[type[BaseException]] = []
    pending = [root]
    while pending:
        cls = pending.pop()
        if cls not in found:
            found.append(cls)
            pending.extend(cls.__subclasses__())
    return found


def _value(hint: Any) -> Any:
    """A plausible argument of type ``hint``."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return _value(next(arg for arg in typing.get_args(hint) if arg is not type(None)))
    if origin is tuple:
        return tuple(_value(arg) for arg in typing.get_args(hint) if arg is not Ellipsis)
    if origin in (list, collections.abc.Sequence):
        return []
    if origin in (dict, collections.abc.Mapping):
        return {}
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return next(iter(hint))
    examples: dict[Any, Any] = {
        int: 2,
        float: 1.5,
        bool: True,
        bytes: b"\x00",
        str: "x",
        dt.datetime: dt.datetime(2026, 12, 4, 9, 30, tzinfo=dt.UTC),
        dt.date: dt.date(2026, 12, 4),
        Path: Path("sample.pdf"),
    }
    return examples.get(hint, "x")


def _instance(cls: type[BaseException]) -> BaseException:
    hints = typing.get_type_hints(cls.__init__)
    arguments: list[Any] = []
    keywords: dict[str, Any] = {}
    for parameter in list(inspect.signature(cls.__init__).parameters.values())[1:]:
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        if parameter.default is not parameter.empty:
            continue
        value = _value(hints.get(parameter.name, str))
        if parameter.kind is parameter.KEYWORD_ONLY:
            keywords[parameter.name] = value
        else:
            arguments.append(value)
    return cls(*arguments, **keywords)


_import_everything()
CLASSES = sorted(
    {cls for root in ROOTS for cls in _subclasses(root)},
    key=lambda cls: f"{cls.__module__}.{cls.__qualname__}",
)


def test_the_walk_finds_the_errors_of_every_package() -> None:
    modules = {cls.__module__.split(".")[0] for cls in CLASSES}
    assert modules == {"card_reader", "procedures", "forms", "printing", "counter_app"}
    assert len(CLASSES) > 50


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: f"{cls.__module__}.{cls.__qualname__}")
def test_every_error_has_its_own_line(cls: type[BaseException]) -> None:
    error = _instance(cls)
    message = clerk_message(error)
    assert not message.text.startswith(GENERIC), f"{cls.__qualname__} falls to the generic line"
    assert JAPANESE.search(message.text)
    assert message.exit_code != 0


def _fallback(root: type[BaseException]) -> str:
    """The line of a package's catch-all case: what an error of ``root`` with no case of its own gets."""
    unmapped = type("Unmapped" + root.__name__, (root,), {})
    return clerk_message(_instance(unmapped)).text


FALLBACKS = {root: _fallback(root) for root in (*ROOTS, PrefillError)}


# Bases that group errors and are never raised themselves (no ``raise`` names them).
GROUPS = {SchemaError, SupervisorError}


@pytest.mark.parametrize(
    "cls",
    [cls for cls in CLASSES if cls not in FALLBACKS and cls not in GROUPS],
    ids=lambda cls: f"{cls.__module__}.{cls.__qualname__}",
)
def test_no_error_falls_to_its_package_catch_all(cls: type[BaseException]) -> None:
    """Deleting a case (say ``PrintJobFailedError``'s) makes that error read like any printing error."""
    text = clerk_message(_instance(cls)).text
    assert text not in FALLBACKS.values(), f"{cls.__qualname__} gets a catch-all line: {text}"


def test_the_generic_line_is_what_this_test_looks_for() -> None:
    class Unmapped(Exception):
        pass

    assert clerk_message(Unmapped()).text.startswith(GENERIC)
