"""pytest-qt on offscreen Qt. A test that leaves worker threads running fails."""

from __future__ import annotations

import ctypes
import os
import sys
import threading
from collections.abc import Iterator

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest


@pytest.fixture(autouse=True)
def no_leftover_threads() -> Iterator[None]:
    before = {t.ident for t in threading.enumerate()}
    yield
    leftover = [t for t in threading.enumerate() if t.ident not in before and t.is_alive() and not t.daemon]
    for thread in leftover:
        thread.join(timeout=5)
    still = [t.name for t in leftover if t.is_alive()]
    assert not still, f"threads left running: {still}"


# PySide6 6.12 on CPython 3.11 drops one reference to None on every call of a method that returns
# nothing (QTimer.start, QWidget.show, QInputEvent.setTimestamp …): it was built for interpreters
# whose None is immortal (3.12+). Once None's count reaches zero the interpreter aborts ("Fatal Python
# error: none_dealloc"), at exit or mid-run. Each test's loss is made up here, for good (a list of
# Nones would be freed at exit, when the count runs out), so that the suite's result is the tests'
# own; the app itself needs a PySide6 or a Python without this mismatch.


@pytest.fixture(autouse=True)
def keep_none_alive() -> Iterator[None]:
    before = sys.getrefcount(None)
    yield
    lost = before - sys.getrefcount(None)
    for _ in range(max(0, lost)):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(None))
