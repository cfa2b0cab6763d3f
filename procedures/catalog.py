"""Reading a catalog folder into a :class:`Catalog`, with every problem as ``file:line: message``.

:func:`load_catalog` reads, validates against :mod:`procedures.schema`, runs the cross-checks of
:mod:`procedures.check` and raises :class:`~procedures.errors.CatalogError` listing every error;
:func:`check_catalog` does the same but returns the report (for ``madoguchi catalog check``).
The shipped catalogs live in ``procedures/catalogs/<name>/``; ``default`` is the fictional ward.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from procedures.errors import CatalogError, CatalogIssue, CatalogNotFoundError, Severity
from procedures.positions import LocatedDocument, PathKey, load_yaml_file
from procedures.schema import (
    CatalogMeta,
    Counter,
    Department,
    Event,
    EventsFile,
    Fact,
    FactsFile,
    FormDecl,
    Item,
    ItemsFile,
    Procedure,
    ProceduresFile,
    Question,
    QuestionsFile,
    Source,
)
from procedures.validation_messages import iter_messages

DEFAULT_CATALOG = "default"
_KNOWN_FILES = (
    "catalog.yaml",
    "items.yaml",
    "events.yaml",
    "facts.yaml",
    "questions.yaml",
    "procedures.yaml",
)

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an object was defined: the file (as displayed) and its path inside the YAML document."""

    file: str
    path: PathKey


@dataclass(frozen=True)
class Catalog:
    """A validated catalog: every mapping keeps the order of the files (the order questions are asked)."""

    directory: Path
    meta: CatalogMeta
    events: Mapping[str, Event]
    questions: Mapping[str, Question]
    facts: Mapping[str, Fact]
    items: Mapping[str, Item]
    procedures: Mapping[str, Procedure]
    documents: Mapping[str, LocatedDocument] = field(repr=False, compare=False)
    origins: Mapping[tuple[str, str], Origin] = field(repr=False, compare=False)

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def departments(self) -> dict[str, Department]:
        return {d.id: d for d in self.meta.departments}

    @property
    def counters(self) -> dict[str, Counter]:
        return {c.id: c for c in self.meta.counters}

    @property
    def forms(self) -> dict[str, FormDecl]:
        return {f.id: f for f in self.meta.forms}

    @property
    def sources(self) -> dict[str, Source]:
        return {s.id: s for s in self.meta.sources}

    @property
    def form_ids(self) -> tuple[str, ...]:
        """The form ids the catalog expects the forms package to provide."""
        return tuple(f.id for f in self.meta.forms)

    def where(self, kind: str, ident: str, subpath: Sequence[str | int] = ()) -> tuple[str, int | None]:
        """``(file, line)`` of an object (``kind`` is ``event``, ``question``, ``procedure`` …)."""
        origin = self.origins.get((kind, ident))
        if origin is None:
            return (str(self.directory), None)
        document = self.documents.get(origin.file)
        line = document.line_of((*origin.path, *subpath)) if document is not None else None
        return origin.file, line

    def issue(
        self,
        kind: str,
        ident: str,
        message: str,
        subpath: Sequence[str | int] = (),
        severity: Severity = Severity.ERROR,
    ) -> CatalogIssue:
        file, line = self.where(kind, ident, subpath)
        return CatalogIssue(file, line, message, severity)

    def __repr__(self) -> str:
        return (
            f"Catalog({self.meta.id!r}, events={len(self.events)}, questions={len(self.questions)}, "
            f"procedures={len(self.procedures)})"
        )


@dataclass(frozen=True)
class CheckReport:
    """The outcome of reading and cross-checking a catalog folder."""

    directory: Path
    catalog: Catalog | None
    issues: tuple[CatalogIssue, ...]

    @property
    def errors(self) -> tuple[CatalogIssue, ...]:
        return tuple(i for i in self.issues if i.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[CatalogIssue, ...]:
        return tuple(i for i in self.issues if i.severity is Severity.WARNING)

    @property
    def ok(self) -> bool:
        return self.catalog is not None and not self.errors


# ---------------------------------------------------------------- where catalogs are


def shipped_catalogs_dir() -> Path:
    return Path(str(resources.files("procedures") / "catalogs"))


def shipped_catalogs() -> dict[str, Path]:
    """The catalogs shipped inside the package, by folder name (``default`` first)."""
    root = shipped_catalogs_dir()
    found = {p.name: p for p in sorted(root.iterdir()) if (p / "catalog.yaml").is_file()}
    return dict(sorted(found.items(), key=lambda kv: (kv[0] != DEFAULT_CATALOG, kv[0])))


def default_catalog_dir() -> Path:
    return shipped_catalogs_dir() / DEFAULT_CATALOG


def resolve_catalog_dir(spec: str | Path | None = None) -> Path:
    """A catalog folder from a path, the name of a shipped catalog, or ``None`` for the default."""
    if spec is None or str(spec) == "":
        return default_catalog_dir()
    path = Path(spec)
    if path.is_dir():
        if not (path / "catalog.yaml").is_file():
            raise CatalogNotFoundError(str(spec), tuple(shipped_catalogs()))
        return path
    shipped = shipped_catalogs()
    if str(spec) in shipped:
        return shipped[str(spec)]
    raise CatalogNotFoundError(str(spec), tuple(shipped))


# ---------------------------------------------------------------- reading


class _Reader:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.issues: list[CatalogIssue] = []
        self.documents: dict[str, LocatedDocument] = {}
        self.origins: dict[tuple[str, str], Origin] = {}

    def display(self, relative: str) -> str:
        return str(self.directory / relative)

    def read(
        self, relative: str, model: type[M], required: bool = True
    ) -> tuple[M | None, LocatedDocument | None]:
        path = self.directory / relative
        shown = self.display(relative)
        if not path.is_file():
            if required:
                self.issues.append(CatalogIssue(shown, None, f"ファイル {relative} がありません"))
            return None, None
        document = load_yaml_file(path, shown)
        self.documents[shown] = document
        for problem in document.problems:
            self.issues.append(CatalogIssue(shown, problem.line, problem.message))
        if document.problems:
            return None, document
        data = document.data
        if data is None:
            self.issues.append(CatalogIssue(shown, 1, "ファイルが空です"))
            return None, document
        try:
            return model.model_validate(data), document
        except ValidationError as exc:
            for path_key, message in iter_messages(exc):
                self.issues.append(CatalogIssue(shown, document.line_of(path_key), message))
            return None, document

    def index(
        self,
        kind: str,
        label: str,
        objects: Iterable[Any],
        document: LocatedDocument,
        list_key: str,
        into: dict[str, Any],
    ) -> None:
        for position, obj in enumerate(objects):
            ident = obj.id
            path: PathKey = (list_key, position)
            if ident in into or (kind, ident) in self.origins:
                line = document.line_of((*path, "id"))
                self.issues.append(
                    CatalogIssue(document.file, line, f"{label}の id「{ident}」が重複しています")
                )
                continue
            into[ident] = obj
            self.origins[(kind, ident)] = Origin(document.file, path)


def read_catalog(directory: Path) -> tuple[Catalog | None, list[CatalogIssue]]:
    """Read and validate every file of a catalog folder; the catalog is ``None`` when a file is unusable."""
    reader = _Reader(directory)
    meta, meta_doc = reader.read("catalog.yaml", CatalogMeta)
    items_file, items_doc = reader.read("items.yaml", ItemsFile, required=False)
    events_file, events_doc = reader.read("events.yaml", EventsFile)
    facts_file, facts_doc = reader.read("facts.yaml", FactsFile, required=False)
    questions_file, questions_doc = reader.read("questions.yaml", QuestionsFile)

    procedure_files: list[tuple[ProceduresFile | None, LocatedDocument | None]] = []
    relatives = []
    if (directory / "procedures.yaml").is_file():
        relatives.append("procedures.yaml")
    proc_dir = directory / "procedures"
    if proc_dir.is_dir():
        relatives += [
            f"procedures/{p.name}" for p in sorted(proc_dir.iterdir()) if p.suffix in (".yaml", ".yml")
        ]
    if not relatives:
        reader.issues.append(
            CatalogIssue(
                str(directory), None, "手続のファイル(procedures/*.yaml または procedures.yaml)がありません"
            )
        )
    for relative in relatives:
        procedure_files.append(reader.read(relative, ProceduresFile))

    for extra in sorted(directory.iterdir()) if directory.is_dir() else []:
        if extra.is_file() and extra.suffix in (".yaml", ".yml") and extra.name not in _KNOWN_FILES:
            reader.issues.append(
                CatalogIssue(
                    str(extra),
                    None,
                    "このファイルは読み込まれません(ファイル名を確認してください)",
                    Severity.WARNING,
                )
            )

    events: dict[str, Event] = {}
    questions: dict[str, Question] = {}
    facts: dict[str, Fact] = {}
    items: dict[str, Item] = {}
    procedures: dict[str, Procedure] = {}
    if meta is not None and meta_doc is not None:
        for kind, label, key in (
            ("source", "出典", "sources"),
            ("form", "様式", "forms"),
            ("department", "担当課", "departments"),
            ("counter", "窓口", "counters"),
        ):
            reader.index(kind, label, getattr(meta, key), meta_doc, key, {})
    if items_file is not None and items_doc is not None:
        reader.index("item", "持ち物", items_file.items, items_doc, "items", items)
    if events_file is not None and events_doc is not None:
        reader.index("event", "届出の種類", events_file.events, events_doc, "events", events)
    if facts_file is not None and facts_doc is not None:
        reader.index("fact", "事実", facts_file.facts, facts_doc, "facts", facts)
    if questions_file is not None and questions_doc is not None:
        reader.index("question", "質問", questions_file.questions, questions_doc, "questions", questions)
    for procedures_file, document in procedure_files:
        if procedures_file is not None and document is not None:
            reader.index("procedure", "手続", procedures_file.procedures, document, "procedures", procedures)

    usable = (
        meta is not None
        and events_file is not None
        and questions_file is not None
        and (items_file is not None or items_doc is None)
        and (facts_file is not None or facts_doc is None)
        and bool(relatives)
        and all(pf is not None for pf, _ in procedure_files)
    )
    if not usable or meta is None:
        return None, reader.issues
    catalog = Catalog(
        directory=directory,
        meta=meta,
        events=events,
        questions=questions,
        facts=facts,
        items=items,
        procedures=procedures,
        documents=reader.documents,
        origins=reader.origins,
    )
    return catalog, reader.issues


def _sorted(issues: Iterable[CatalogIssue]) -> tuple[CatalogIssue, ...]:
    return tuple(sorted(issues, key=lambda i: (i.severity is not Severity.ERROR, i.file, i.line or 0)))


def check_catalog(spec: str | Path | None = None) -> CheckReport:
    """Read, validate and cross-check a catalog; never raises for problems in the catalog itself."""
    from procedures.check import cross_check

    directory = resolve_catalog_dir(spec)
    catalog, issues = read_catalog(directory)
    if catalog is not None:
        issues += cross_check(catalog)
    report_catalog = (
        catalog if catalog is not None and not any(i.severity is Severity.ERROR for i in issues) else None
    )
    return CheckReport(directory, report_catalog, _sorted(issues))


def load_catalog(spec: str | Path | None = None) -> Catalog:
    """A catalog ready for :func:`procedures.guide`; :class:`CatalogError` lists every error."""
    report = check_catalog(spec)
    if report.catalog is None:
        raise CatalogError(str(report.directory), report.issues)
    return report.catalog
