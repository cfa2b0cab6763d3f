"""Typed errors of the procedures package.

Every error derives from :class:`ProceduresError`. Subclasses carry data (file and line of a catalog
problem, question id, member index, JSON location of a visit field) but never a resident's name,
address, birth date or answer value, so they are safe to log. ``counter_app.presenters.messages`` turns them
into the Japanese line a clerk reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class ProceduresError(Exception):
    """Base of every error raised by :mod:`procedures`."""


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"
    """Not a problem: something staff should know when reviewing (a municipality's change to a base entry)."""


@dataclass(frozen=True, slots=True)
class CatalogIssue:
    """One problem in a catalog folder: ``file:line: message`` (the message is Japanese)."""

    file: str
    line: int | None
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        prefix = {Severity.WARNING: "警告: ", Severity.NOTE: "注記: "}.get(self.severity, "")
        return f"{where}: {prefix}{self.message}"


class CatalogError(ProceduresError):
    """The catalog folder has errors; ``issues`` lists every one (errors first, in file order)."""

    def __init__(self, directory: str, issues: Sequence[CatalogIssue]) -> None:
        self.directory = directory
        self.issues = tuple(issues)
        errors = [i for i in self.issues if i.severity is Severity.ERROR]
        first = str(errors[0]) if errors else ""
        super().__init__(f"{len(errors)} error(s) in catalog {directory}: {first}")

    @property
    def errors(self) -> tuple[CatalogIssue, ...]:
        return tuple(i for i in self.issues if i.severity is Severity.ERROR)


class CatalogNotFoundError(ProceduresError):
    """No catalog folder (with a ``catalog.yaml``) at the path, and no shipped catalog of that name."""

    def __init__(self, wanted: str, shipped: Sequence[str] = ()) -> None:
        self.wanted = wanted
        self.shipped = tuple(shipped)
        super().__init__(f"no catalog at {wanted!r} (shipped: {list(self.shipped)})")


class VisitFormatError(ProceduresError):
    """A visit (JSON) does not follow docs/visit-format.md.

    ``location`` is a JSON path such as ``members[1].birth_date``; ``problem`` is Japanese and never
    contains the offending value.
    """

    def __init__(self, location: str, problem: str) -> None:
        self.location = location
        self.problem = problem
        super().__init__(f"{location or '(visit)'}: {problem}")


class UnknownEventError(ProceduresError):
    """The visit names a life event the catalog does not know (or names none)."""

    def __init__(self, event_id: str | None, known: Sequence[str]) -> None:
        self.event_id = event_id
        self.known = tuple(known)
        super().__init__(f"unknown event {event_id!r} (known: {list(self.known)})")


class AnswerError(ProceduresError):
    """An answer in the visit does not fit its question.

    ``member`` is the 0-based member index for a per-member answer, ``None`` for the household;
    ``problem`` is Japanese and never contains the answer value.
    """

    def __init__(self, question_id: str, member: int | None, problem: str) -> None:
        self.question_id = question_id
        self.member = member
        self.problem = problem
        who = "household" if member is None else f"member {member}"
        super().__init__(f"answer to {question_id!r} ({who}): {problem}")


class SubjectCountError(ProceduresError):
    """The visit marks too few or too many members as the subject of the event (e.g. no deceased)."""

    def __init__(self, event_id: str, count: int, minimum: int, maximum: int | None, label: str) -> None:
        self.event_id = event_id
        self.count = count
        self.minimum = minimum
        self.maximum = maximum
        self.label = label
        super().__init__(f"event {event_id!r}: {count} subject(s), expected {minimum}..{maximum}")


class CatalogCycleError(ProceduresError):
    """Evaluation met a cycle between questions and facts (``catalog check`` reports it first)."""

    def __init__(self, chain: Sequence[str]) -> None:
        self.chain = tuple(chain)
        super().__init__("cycle: " + " -> ".join(self.chain))
