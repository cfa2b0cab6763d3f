"""The kiosk's runner: work runs on its worker threads (started with the runner, so handing work over
never waits for a thread to start), results and errors come back on the GUI thread, and ``wait`` tells
whether everything finished."""

from __future__ import annotations

import sys
import threading
from functools import partial

import pytest
from pytestqt.qtbot import QtBot

from counter_app.ui.tasks import GUI_SWITCH_INTERVAL_S, QtTaskRunner


def test_work_runs_on_the_workers_and_results_come_back_on_the_gui_thread(qtbot: QtBot) -> None:
    gui = threading.get_ident()
    runner = QtTaskRunner(max_threads=2)
    threads = threading.active_count()
    ran_on: list[int] = []
    results: list[tuple[int, int]] = []
    errors: list[BaseException] = []

    def work(n: int) -> int:
        ran_on.append(threading.get_ident())
        if n == 3:
            raise ValueError("three")
        return n * n

    def deliver(value: int) -> None:
        results.append((threading.get_ident(), value))

    for n in range(6):
        runner.run(partial(work, n), deliver, errors.append)
    assert threading.active_count() == threads  # no thread started to take the work
    assert runner.wait(10_000)
    qtbot.waitUntil(lambda: len(results) + len(errors) == 6)
    assert sorted(value for _, value in results) == [0, 1, 4, 16, 25]
    assert {thread for thread, _ in results} == {gui}
    assert [type(e) for e in errors] == [ValueError]
    assert gui not in ran_on and len(set(ran_on)) <= 2


def test_wait_says_when_work_is_still_running(qtbot: QtBot) -> None:
    runner = QtTaskRunner(max_threads=1)
    gate = threading.Event()
    runner.run(lambda: gate.wait(10), lambda _: None, lambda _: None)
    assert not runner.wait(50)
    gate.set()
    assert runner.wait(10_000)


def test_the_gui_thread_gets_the_gil_back_within_half_a_millisecond(qtbot: QtBot) -> None:
    """Workers running Python would otherwise keep the GUI thread waiting up to 5 ms (CPython's default
    switch interval) at each Python call of a repaint."""
    before = sys.getswitchinterval()
    try:
        sys.setswitchinterval(0.005)
        QtTaskRunner(max_threads=1)
        assert sys.getswitchinterval() == pytest.approx(GUI_SWITCH_INTERVAL_S)
        assert GUI_SWITCH_INTERVAL_S <= 0.0005
        sys.setswitchinterval(0.0001)  # a process that asked for less keeps it
        QtTaskRunner(max_threads=1)
        assert sys.getswitchinterval() == pytest.approx(0.0001)
    finally:
        sys.setswitchinterval(before)
