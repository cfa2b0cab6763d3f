"""Reading a catalog folder into a :class:`Catalog`, with every problem as ``file:line: message``.

:func:`load_catalog` reads, validates against :mod:`procedures.schema`, runs the cross-checks of
:mod:`procedures.check` and raises :class:`~procedures.errors.CatalogError` listing every error;
:func:`check_catalog` does the same but returns the report (for ``madoguchi catalog check``).
The shipped catalogs live in ``procedures/catalogs/<name>/``; ``default`` is the fictional ward.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

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
    OverridesFile,
    Procedure,
    ProceduresFile,
    Question,
    QuestionsFile,
    Source,
)
from procedures.validation_messages import iter_messages

if TYPE_CHECKING:
    from procedures.i18n import Translations

DEFAULT_CATALOG = "default"
_KNOWN_FILES = (
    "catalog.yaml",
    "items.yaml",
    "events.yaml",
    "facts.yaml",
    "questions.yaml",
    "procedures.yaml",
    "towns.yaml",  # the 町丁目 list (procedures.towns), checked apart
    "overrides.yaml",
    "registry.yaml",  # the resident registry (docs/registry.md): read and checked by counter_app
)

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an object was defined: the file (as displayed) and its path inside the YAML document."""

    file: str
    path: PathKey


@dataclass(frozen=True, slots=True)
class AppliedOverride:
    """One entry of ``overrides.yaml`` as applied: a base entry switched off or changed, and why."""

    kind: str
    ident: str
    disabled: bool
    keys: tuple[str, ...]
    reason: str
    file: str
    line: int | None


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
    base_directory: Path | None = None
    """The base catalog (national rules) this catalog extends, if any."""
    inherited: frozenset[tuple[str, str]] = frozenset()
    """``(kind, id)`` of every entry that comes from the base (``("procedure", "tennyu_todoke")`` …)."""
    overrides: tuple[AppliedOverride, ...] = ()
    """The municipality's explicit changes to base entries, with their reasons."""

    @property
    def id(self) -> str:
        return self.meta.id

    @cached_property
    def translations(self) -> Translations:
        """The residents' languages (``i18n/<code>.yaml`` of the base and of this folder)."""
        from procedures.i18n import load_translations

        return load_translations(self)

    @property
    def is_base(self) -> bool:
        return self.meta.base

    def is_inherited(self, kind: str, ident: str) -> bool:
        """Whether the entry comes from the base this catalog extends (and is not redefined here)."""
        return (kind, ident) in self.inherited and not self.origins[(kind, ident)].file.startswith(
            str(self.directory) + "/"
        )

    def is_national(self, kind: str, ident: str) -> bool:
        """Whether the entry comes from a base catalog (or this catalog is a base)."""
        return self.meta.base or (kind, ident) in self.inherited

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
    def notes(self) -> tuple[CatalogIssue, ...]:
        return tuple(i for i in self.issues if i.severity is Severity.NOTE)

    @property
    def ok(self) -> bool:
        return self.catalog is not None and not self.errors


# ---------------------------------------------------------------- where catalogs are


def shipped_catalogs_dir() -> Path:
    return Path(str(resources.files("procedures") / "catalogs"))


def shipped_catalogs(include_bases: bool = False) -> dict[str, Path]:
    """The catalogs shipped inside the package, by folder name (``default`` first); the base catalogs
    (national rules, not usable alone) only with ``include_bases``."""
    root = shipped_catalogs_dir()
    found = {
        p.name: p
        for p in sorted(root.iterdir())
        if (p / "catalog.yaml").is_file() and (include_bases or not is_base_catalog(p))
    }
    return dict(sorted(found.items(), key=lambda kv: (kv[0] != DEFAULT_CATALOG, kv[0])))


def is_base_catalog(directory: Path) -> bool:
    """Whether the folder holds a base catalog (``base: true``), read leniently."""
    path = directory / "catalog.yaml"
    try:
        document = load_yaml_file(path, str(path))
    except OSError:
        return False
    return isinstance(document.data, dict) and document.data.get("base") is True


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
    shipped = shipped_catalogs(include_bases=True)
    if str(spec) in shipped:
        return shipped[str(spec)]
    raise CatalogNotFoundError(str(spec), tuple(shipped_catalogs()))


# ---------------------------------------------------------------- reading


class _Reader:
    """Reads files of one or two folders (a base and the catalog on top), collecting every issue."""

    def __init__(self) -> None:
        self.issues: list[CatalogIssue] = []
        self.documents: dict[str, LocatedDocument] = {}
        self.origins: dict[tuple[str, str], Origin] = {}

    def read(
        self, directory: Path, relative: str, model: type[M], required: bool = True
    ) -> tuple[M | None, LocatedDocument | None]:
        path = directory / relative
        shown = str(path)
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
        inherited: frozenset[tuple[str, str]] = frozenset(),
    ) -> None:
        for position, obj in enumerate(objects):
            ident = obj.id
            path: PathKey = (list_key, position)
            line = document.line_of((*path, "id"))
            if (kind, ident) in inherited:
                self.issues.append(
                    CatalogIssue(
                        document.file,
                        line,
                        f"{label}「{ident}」は基になるカタログ(国の共通ルール)にあります"
                        "(変えるときは overrides.yaml に理由とともに書いてください)",
                    )
                )
                continue
            if ident in into or (kind, ident) in self.origins:
                self.issues.append(
                    CatalogIssue(document.file, line, f"{label}の id「{ident}」が重複しています")
                )
                continue
            into[ident] = obj
            self.origins[(kind, ident)] = Origin(document.file, path)


@dataclass
class _Folder:
    """The files of one catalog folder as read (``None`` where a file was missing or unusable)."""

    directory: Path
    meta: CatalogMeta | None
    meta_doc: LocatedDocument | None
    parts: dict[str, tuple[BaseModel | None, LocatedDocument | None]] = field(default_factory=dict)
    procedure_files: list[tuple[ProceduresFile | None, LocatedDocument | None]] = field(default_factory=list)
    usable: bool = True


_PARTS: tuple[tuple[str, str, type[BaseModel], str, str, bool], ...] = (
    # file, kind, model, label, list key, required in a catalog without a base
    ("items.yaml", "item", ItemsFile, "持ち物", "items", False),
    ("events.yaml", "event", EventsFile, "届出の種類", "events", True),
    ("facts.yaml", "fact", FactsFile, "事実", "facts", False),
    ("questions.yaml", "question", QuestionsFile, "質問", "questions", True),
)
_META_LISTS = (
    ("source", "出典", "sources"),
    ("form", "様式", "forms"),
    ("department", "担当課", "departments"),
    ("counter", "窓口", "counters"),
)
_OVERRIDE_MODELS: dict[str, type[BaseModel]] = {
    "procedure": Procedure,
    "question": Question,
    "fact": Fact,
    "item": Item,
    "event": Event,
}
KIND_LABELS = {
    "procedure": "手続",
    "question": "質問",
    "fact": "事実",
    "item": "持ち物",
    "event": "届出の種類",
}


def _read_folder(reader: _Reader, directory: Path) -> _Folder:
    meta, meta_doc = reader.read(directory, "catalog.yaml", CatalogMeta)
    folder = _Folder(directory, meta, meta_doc, usable=meta is not None)
    # A catalog on top of a base may leave out events, questions and procedures. Read from the document
    # itself, so that a catalog.yaml with other errors is still judged by what it says.
    data = meta_doc.data if meta_doc is not None else None
    overlay = isinstance(data, dict) and bool(data.get("extends"))
    for relative, _kind, model, _label, _key, required in _PARTS:
        parsed, document = reader.read(directory, relative, model, required=required and not overlay)
        folder.parts[relative] = (parsed, document)
        if (document is not None and parsed is None) or (required and not overlay and parsed is None):
            folder.usable = False
    relatives = []
    if (directory / "procedures.yaml").is_file():
        relatives.append("procedures.yaml")
    proc_dir = directory / "procedures"
    if proc_dir.is_dir():
        relatives += [
            f"procedures/{p.name}" for p in sorted(proc_dir.iterdir()) if p.suffix in (".yaml", ".yml")
        ]
    if not relatives and not overlay:
        reader.issues.append(
            CatalogIssue(
                str(directory), None, "手続のファイル(procedures/*.yaml または procedures.yaml)がありません"
            )
        )
        folder.usable = False
    for relative in relatives:
        folder.procedure_files.append(reader.read(directory, relative, ProceduresFile))
    if not all(pf is not None for pf, _ in folder.procedure_files):
        folder.usable = False
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
    return folder


def _resolve_base(spec: str, directory: Path) -> Path | None:
    relative = (directory / spec).resolve()
    if (relative / "catalog.yaml").is_file():
        return relative
    return shipped_catalogs(include_bases=True).get(spec)


def read_catalog(directory: Path) -> tuple[Catalog | None, list[CatalogIssue]]:
    """Read and validate every file of a catalog folder (and of the base it extends, if any); the
    catalog is ``None`` when a file is unusable."""
    reader = _Reader()
    top = _read_folder(reader, directory)
    base: _Folder | None = None
    if top.meta is not None and top.meta.extends:
        base_dir = _resolve_base(top.meta.extends, directory)
        line = top.meta_doc.line_of(("extends",)) if top.meta_doc is not None else None
        if base_dir is None:
            reader.issues.append(
                CatalogIssue(
                    str(directory / "catalog.yaml"),
                    line,
                    f"基になるカタログ「{top.meta.extends}」が見つかりません"
                    f"(同梱: {', '.join(shipped_catalogs(include_bases=True)) or 'なし'})",
                )
            )
            return None, reader.issues
        base = _read_folder(reader, base_dir)
        if base.meta is not None and not base.meta.base:
            reader.issues.append(
                CatalogIssue(
                    str(directory / "catalog.yaml"),
                    line,
                    f"「{top.meta.extends}」は基になるカタログではありません"
                    "(その catalog.yaml に base: true がありません)",
                )
            )
            return None, reader.issues
    folders = [f for f in (base, top) if f is not None]
    if not all(f.usable for f in folders) or top.meta is None:
        return None, reader.issues

    # The base first, then the catalog on top: ids of the base may not be defined again.
    tables: dict[str, dict[str, Any]] = {kind: {} for _f, kind, *_ in _PARTS}
    tables["procedure"] = {}
    inherited: frozenset[tuple[str, str]] = frozenset()
    meta_lists: dict[str, dict[str, Any]] = {key: {} for _k, _l, key in _META_LISTS}
    for folder in folders:
        assert folder.meta is not None and folder.meta_doc is not None
        for kind, _label, key in _META_LISTS:
            for position, obj in enumerate(getattr(folder.meta, key)):
                if obj.id in meta_lists[key] and (kind, obj.id) not in inherited:
                    line = folder.meta_doc.line_of((key, position, "id"))
                    reader.issues.append(
                        CatalogIssue(folder.meta_doc.file, line, f"{_label}の id「{obj.id}」が重複しています")
                    )
                    continue
                # A municipality's own entry replaces the base's (its counters, its wording).
                meta_lists[key][obj.id] = obj
                reader.origins[(kind, obj.id)] = Origin(folder.meta_doc.file, (key, position))
        for relative, kind, _model, label, key, _required in _PARTS:
            parsed, document = folder.parts[relative]
            if parsed is not None and document is not None:
                reader.index(kind, label, getattr(parsed, key), document, key, tables[kind], inherited)
        for procedures_file, document in folder.procedure_files:
            if procedures_file is not None and document is not None:
                reader.index(
                    "procedure",
                    "手続",
                    procedures_file.procedures,
                    document,
                    "procedures",
                    tables["procedure"],
                    inherited,
                )
        if folder is base:
            inherited = frozenset((kind, ident) for kind, table in tables.items() for ident in table)
            inherited |= frozenset(
                (kind, ident) for kind, _l, key in _META_LISTS for ident in meta_lists[key]
            )

    overrides: list[AppliedOverride] = []
    overrides_file, overrides_doc = reader.read(directory, "overrides.yaml", OverridesFile, required=False)
    if overrides_doc is not None and base is None:
        reader.issues.append(
            CatalogIssue(
                overrides_doc.file,
                1,
                "overrides.yaml は extends で基になるカタログを指定したときにだけ使えます",
            )
        )
    elif overrides_file is not None and overrides_doc is not None:
        overrides = _apply_overrides(reader, overrides_file, overrides_doc, tables, inherited)
    elif overrides_doc is not None:
        return None, reader.issues

    questions = _placed(reader, tables["question"])
    update: dict[str, Any] = {key: list(meta_lists[key].values()) for _k, _l, key in _META_LISTS}
    if top.meta.office_calendar is None and base is not None and base.meta is not None:
        update["office_calendar"] = base.meta.office_calendar  # the base's default, if it has one
    meta = top.meta.model_copy(update=update)
    catalog = Catalog(
        directory=directory,
        meta=meta,
        events=tables["event"],
        questions=questions,
        facts=tables["fact"],
        items=tables["item"],
        procedures=tables["procedure"],
        documents=reader.documents,
        origins=reader.origins,
        base_directory=base.directory if base is not None else None,
        inherited=inherited,
        overrides=tuple(overrides),
    )
    return catalog, reader.issues


def _apply_overrides(
    reader: _Reader,
    overrides_file: OverridesFile,
    document: LocatedDocument,
    tables: dict[str, dict[str, Any]],
    inherited: frozenset[tuple[str, str]],
) -> list[AppliedOverride]:
    applied: list[AppliedOverride] = []
    seen: set[tuple[str, str]] = set()
    for position, override in enumerate(overrides_file.overrides):
        kind, ident = override.target
        path: PathKey = ("overrides", position)
        line = document.line_of((*path, kind))
        label = KIND_LABELS[kind]
        if (kind, ident) not in inherited or ident not in tables[kind]:
            reader.issues.append(
                CatalogIssue(document.file, line, f"基になるカタログに{label}「{ident}」はありません")
            )
            continue
        if (kind, ident) in seen:
            reader.issues.append(
                CatalogIssue(
                    document.file, line, f"{label}「{ident}」の変更が2回書かれています(1つにまとめてください)"
                )
            )
            continue
        seen.add((kind, ident))
        if override.disable:
            del tables[kind][ident]
            applied.append(AppliedOverride(kind, ident, True, (), override.reason, document.file, line))
            continue
        assert override.changes is not None
        origin = reader.origins[(kind, ident)]
        raw = _raw_at(reader.documents[origin.file], origin.path)
        try:
            changed = _OVERRIDE_MODELS[kind].model_validate({**raw, **override.changes})
        except ValidationError as exc:
            for path_key, message in iter_messages(exc):
                where = document.line_of((*path, "set", *path_key))
                reader.issues.append(CatalogIssue(document.file, where, message))
            continue
        tables[kind][ident] = changed
        # Later problems with this entry are most likely in what the municipality changed.
        reader.origins[(kind, ident)] = Origin(document.file, (*path, "set"))
        applied.append(
            AppliedOverride(kind, ident, False, tuple(override.changes), override.reason, document.file, line)
        )
    return applied


def _raw_at(document: LocatedDocument, path: PathKey) -> dict[str, Any]:
    node: Any = document.data
    for key in path:
        node = node[key]
    return dict(node)


def _placed(reader: _Reader, questions: dict[str, Question]) -> dict[str, Question]:
    """Questions in asking order: file order, each ``after:`` question moved behind the one it names."""
    order = [q for q in questions.values() if q.after is None]
    for question in questions.values():
        if question.after is None:
            continue
        if question.after not in questions or question.after == question.id:
            file, line = _where(reader, "question", question.id, ("after",))
            reader.issues.append(CatalogIssue(file, line, f"after の質問「{question.after}」はありません"))
            order.append(question)
            continue
        anchor = next((i for i, q in enumerate(order) if q.id == question.after), None)
        if anchor is None:  # placed after a question that is itself placed later: keep file order
            order.append(question)
            continue
        position = anchor + 1
        while position < len(order) and order[position].after == question.after:
            position += 1
        order.insert(position, question)
    return {q.id: q for q in order}


def _where(reader: _Reader, kind: str, ident: str, subpath: PathKey) -> tuple[str, int | None]:
    origin = reader.origins[(kind, ident)]
    document = reader.documents.get(origin.file)
    return origin.file, document.line_of((*origin.path, *subpath)) if document is not None else None


_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.NOTE: 2}


def _sorted(issues: Iterable[CatalogIssue]) -> tuple[CatalogIssue, ...]:
    return tuple(sorted(issues, key=lambda i: (_SEVERITY_ORDER[i.severity], i.file, i.line or 0)))


def check_catalog(spec: str | Path | None = None) -> CheckReport:
    """Read, validate and cross-check a catalog; never raises for problems in the catalog itself."""
    from procedures.check import cross_check
    from procedures.handoff.load import check_handoff
    from procedures.towns import read_towns

    directory = resolve_catalog_dir(spec)
    catalog, issues = read_catalog(directory)
    if catalog is not None:
        issues += cross_check(catalog)
        issues += check_handoff(catalog)  # the hand-off layouts in handoff/ (docs/handoff.md)
        issues += read_towns(directory)[1]  # the 町丁目 list offered as address completion
        if not any(i.severity is Severity.ERROR for i in issues):
            from procedures.i18n import translation_issues

            issues += translation_issues(catalog, catalog.translations)
    report_catalog = (
        catalog if catalog is not None and not any(i.severity is Severity.ERROR for i in issues) else None
    )
    return CheckReport(directory, report_catalog, _sorted(issues))


def load_catalog(spec: str | Path | None = None, allow_base: bool = False) -> Catalog:
    """A catalog ready for :func:`procedures.guide`; :class:`CatalogError` lists every error.

    A base catalog (national rules) is refused unless ``allow_base`` (for listing it to staff).
    """
    report = check_catalog(spec)
    if report.catalog is None:
        raise CatalogError(str(report.directory), report.issues)
    if report.catalog.is_base and not allow_base:
        issue = CatalogIssue(
            str(report.directory / "catalog.yaml"),
            None,
            "これは国の共通ルール(基になるカタログ)で、単独では使えません"
            "(自治体のカタログの catalog.yaml に extends で指定してください)",
        )
        raise CatalogError(str(report.directory), (issue,))
    return report.catalog
