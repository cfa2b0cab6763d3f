"""SerialDrain's contract: items are done in the order they were added (a keyed item replacing the one
of its key not yet taken), by at most one drain at a time, an item added while a drain runs is done by
it, nothing is ever left behind, and a failure is reported on the caller's thread, never stopping the
items after it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from counter_app.workflow.serial_drain import SerialDrain
from counter_app.workflow.tasks import Done, Failed
from tests.helpers.runners import HeldRunner, ThreadRunner


class Disk:
    """Remembers what was written; ``fail`` names items it refuses; with ``gated``, each write waits
    for the test to open the gate (a slow disk), and how many writes run at once is counted."""

    def __init__(self, *, gated: bool = False, fail: frozenset[str] = frozenset()) -> None:
        self.written: list[str] = []
        self.fail = fail
        self.gate = threading.Event()
        if not gated:
            self.gate.set()
        self.writing = threading.Event()
        self._lock = threading.Lock()
        self._active = 0
        self.most_at_once = 0

    def write(self, item: str) -> None:
        with self._lock:
            self._active += 1
            self.most_at_once = max(self.most_at_once, self._active)
        try:
            self.writing.set()
            assert self.gate.wait(10)
            if item in self.fail:
                raise OSError(item)
            self.written.append(item)
        finally:
            with self._lock:
                self._active -= 1


class Failures:
    """What ``failed`` was told, and on which thread."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []
        self.threads: set[int] = set()

    def __call__(self, item: str, exc: BaseException) -> None:
        self.items.append((item, str(exc)))
        self.threads.add(threading.get_ident())


class CountingRunner(ThreadRunner):
    """A thread runner that counts the tasks it was given (each is one drain)."""

    def __init__(self) -> None:
        super().__init__()
        self.started = 0

    def run(self, work: Callable[[], Any], on_done: Done, on_error: Failed) -> None:
        self.started += 1
        super().run(work, on_done, on_error)


def test_items_are_done_in_the_order_they_were_added() -> None:
    disk, runner, failures = Disk(), HeldRunner(), Failures()
    drain = SerialDrain(runner, disk.write, failures)
    for item in ["a", "b", "c", "d"]:
        drain.add(item)
    assert disk.written == [] and drain.pending()  # nothing is done on the caller's thread
    runner.run_all()
    assert disk.written == ["a", "b", "c", "d"]
    assert not drain.pending() and failures.items == []


def test_a_keyed_item_replaces_the_one_of_its_key_in_its_place_and_unkeyed_items_are_all_done() -> None:
    disk, runner = Disk(), HeldRunner()
    drain = SerialDrain(runner, disk.write, Failures())
    drain.add("v1 old", key="v1")
    drain.add("x")
    drain.add("v2", key="v2")
    drain.add("x")  # the same item again, without a key: done twice
    drain.add("v1 new", key="v1")
    runner.run_all()
    assert disk.written == ["v1 new", "x", "v2", "x"]


def test_items_added_while_a_drain_runs_are_done_by_it_one_write_at_a_time() -> None:
    disk, runner, failures = Disk(gated=True), CountingRunner(), Failures()
    drain = SerialDrain(runner, disk.write, failures)
    drain.add("first")
    assert disk.writing.wait(10)  # the drain is writing "first"
    for item in ["second", "third", "fourth"]:
        drain.add(item)
    assert runner.started == 1  # no second drain while one runs
    disk.gate.set()
    runner.settle()
    assert disk.written == ["first", "second", "third", "fourth"]
    assert disk.most_at_once == 1 and runner.started == 1
    assert not drain.pending() and failures.items == []


def test_an_item_added_after_a_drain_ended_starts_the_next_one() -> None:
    disk, runner = Disk(), CountingRunner()
    drain = SerialDrain(runner, disk.write, Failures())
    drain.add("a")
    runner.settle()
    assert not drain.pending()
    drain.add("b")
    runner.settle()
    assert disk.written == ["a", "b"] and runner.started == 2 and not drain.pending()


def test_an_item_added_by_the_write_itself_is_not_left_behind() -> None:
    runner = HeldRunner()
    written: list[str] = []

    def write(item: str) -> None:
        written.append(item)
        if item == "a":
            drain.add("from a")  # arrives while the drain holds its write lock

    drain = SerialDrain(runner, write, Failures())
    drain.add("a")
    runner.run_all()
    assert written == ["a", "from a"] and not drain.pending()
    assert runner.tasks == []


def test_nothing_is_lost_when_many_threads_add_while_drains_run() -> None:
    disk, runner = Disk(), CountingRunner()
    drain = SerialDrain(runner, disk.write, Failures())
    start = threading.Barrier(4)

    def add_many(name: str) -> None:
        start.wait(10)
        for n in range(300):
            drain.add(f"{name}{n}")

    adders = [threading.Thread(target=add_many, args=(name,)) for name in "pqrs"]
    for thread in adders:
        thread.start()
    for thread in adders:
        thread.join(10)
        assert not thread.is_alive()
    runner.settle()
    assert sorted(disk.written) == sorted(f"{name}{n}" for name in "pqrs" for n in range(300))
    for name in "pqrs":  # each thread's items in the order it added them
        assert [i for i in disk.written if i[0] == name] == [f"{name}{n}" for n in range(300)]
    assert disk.most_at_once == 1 and not drain.pending()


def test_a_failure_is_reported_on_the_callers_thread_and_the_items_after_it_are_still_done() -> None:
    disk, runner, failures = Disk(fail=frozenset({"b"})), ThreadRunner(), Failures()
    drain = SerialDrain(runner, disk.write, failures)
    for item in ["a", "b", "c"]:
        drain.add(item)
    runner.settle()  # delivers the drain's result here, as the Qt runner does on the GUI thread
    assert failures.items == [("b", "b")]
    assert failures.threads == {threading.get_ident()}
    assert disk.written == ["a", "c"] and not drain.pending()


def test_a_failure_is_not_reported_before_the_runner_hands_back_the_drains_result() -> None:
    disk, runner, failures = Disk(fail=frozenset({"a"})), HeldRunner(), Failures()
    drain = SerialDrain(runner, disk.write, failures)
    drain.add("a")
    assert failures.items == []
    runner.run_all()
    assert failures.items == [("a", "a")]


def test_flush_does_what_is_pending_now_and_reports_its_failures_before_returning() -> None:
    disk, runner, failures = Disk(fail=frozenset({"b"})), HeldRunner(), Failures()
    drain = SerialDrain(runner, disk.write, failures)
    for item in ["a", "b", "c"]:
        drain.add(item)
    drain.flush()
    assert disk.written == ["a", "c"] and failures.items == [("b", "b")]
    runner.run_all()  # the drain that was started finds nothing left
    assert disk.written == ["a", "c"] and failures.items == [("b", "b")]
    assert not drain.pending()


def test_a_write_of_the_owners_own_drops_the_pending_item_of_its_key() -> None:
    disk, runner = Disk(), HeldRunner()
    drain = SerialDrain(runner, disk.write, Failures())
    drain.add("v1 old", key="v1")
    drain.add("v2", key="v2")
    with drain.exclusive("v1"):
        disk.write("v1 now")
    runner.run_all()
    assert disk.written == ["v1 now", "v2"]  # the older v1 never overwrites the one written now


def _call_while_the_drain_writes(disk: Disk, runner: ThreadRunner, call: Callable[[], None]) -> None:
    """``call`` on another thread while the drain's write waits at the disk's gate; then the gate opens
    and everything is let finish."""
    calling = threading.Event()

    def run() -> None:
        calling.set()
        call()

    caller = threading.Thread(target=run)
    caller.start()
    assert calling.wait(10)
    disk.gate.set()
    caller.join(10)
    runner.settle()


def test_a_write_of_the_owners_own_waits_for_the_batch_being_written() -> None:
    disk, runner = Disk(gated=True), ThreadRunner()
    drain = SerialDrain(runner, disk.write, Failures())
    drain.add("v1 old", key="v1")
    assert disk.writing.wait(10)  # the drain is writing the old draft (it was taken before the save)

    def save_now() -> None:
        with drain.exclusive("v1"):
            disk.write("v1 now")

    _call_while_the_drain_writes(disk, runner, save_now)
    assert disk.written == ["v1 old", "v1 now"] and disk.most_at_once == 1


def test_flush_waits_for_the_batch_being_written_then_does_the_rest_in_order() -> None:
    disk, runner = Disk(gated=True), ThreadRunner()
    drain = SerialDrain(runner, disk.write, Failures())
    drain.add("a")
    assert disk.writing.wait(10)  # the drain is writing "a"
    drain.add("b")
    drain.add("c")
    _call_while_the_drain_writes(disk, runner, drain.flush)
    assert disk.written == ["a", "b", "c"] and disk.most_at_once == 1 and not drain.pending()


class BreaksOnce(HeldRunner):
    """A runner whose first task breaks off before it starts (its ``on_error``, as for a drain that
    raised outside ``write``); later tasks are held until :meth:`run_all`."""

    def __init__(self) -> None:
        super().__init__()
        self.broke = False

    def run(self, work: Callable[[], Any], on_done: Done, on_error: Failed) -> None:
        if not self.broke:
            self.broke = True
            on_error(RuntimeError("drain broke"))
            return
        super().run(work, on_done, on_error)


def test_after_a_drain_broke_off_the_owner_is_told_and_the_next_item_starts_a_drain_for_all() -> None:
    disk, runner = Disk(), BreaksOnce()
    stopped: list[str] = []
    drain = SerialDrain(runner, disk.write, Failures(), stopped=lambda exc: stopped.append(str(exc)))
    drain.add("a")
    assert stopped == ["drain broke"] and disk.written == []
    assert drain.pending()  # "a" was never taken: still waiting
    drain.add("b")
    assert len(runner.tasks) == 1  # a new drain, not "one still runs"
    runner.run_all()
    assert disk.written == ["a", "b"] and not drain.pending()
