"""Reading the hand-off layouts of a catalog folder, every problem as ``file:line: message``.

``handoff/*.yaml`` are layouts, ``handoff/maps/*.yaml`` substitution maps. :func:`check_handoff` is
what ``madoguchi catalog check`` runs (through :func:`procedures.check_catalog`); :func:`load_layouts`
returns the layouts ready for :mod:`procedures.handoff.rows` or raises
:class:`~procedures.errors.CatalogError` listing every error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from procedures.catalog import Catalog
from procedures.errors import CatalogError, CatalogIssue, Severity
from procedures.handoff.charset import Policy, holds
from procedures.handoff.model import (
    CHECKS,
    ENCODING_LABELS,
    KIND_LABELS,
    TEXT_SOURCES,
    Column,
    Kind,
    Layout,
    SubstitutionMap,
)
from procedures.handoff.standard import REASON_LABELS, relationship_label_problem
from procedures.positions import LocatedDocument, PathKey, load_yaml_file
from procedures.validation_messages import iter_messages

HANDOFF_DIR = "handoff"
MAPS_DIR = "maps"

M = TypeVar("M", bound=BaseModel)

RELATIONSHIP_TABLES = frozenset({"zokugara"})
REASON_TABLES = frozenset({"idou_jiyuu"})


@dataclass(frozen=True)
class HandoffLayout:
    """A checked layout with its substitution policy; ``file`` is where it was read from."""

    layout: Layout
    file: str
    policy: Policy
    map_name: str | None = None

    @property
    def id(self) -> str:
        return self.layout.id

    def kind(self, kind_id: str) -> Kind | None:
        return next((k for k in self.layout.kinds if k.kind == kind_id), None)


@dataclass
class _Reading:
    issues: list[CatalogIssue] = field(default_factory=list)

    def read(self, path: Path, model: type[M]) -> tuple[M | None, LocatedDocument]:
        shown = str(path)
        document = load_yaml_file(path, shown)
        for problem in document.problems:
            self.issues.append(CatalogIssue(shown, problem.line, problem.message))
        if document.problems:
            return None, document
        if document.data is None:
            self.issues.append(CatalogIssue(shown, 1, "ファイルが空です"))
            return None, document
        try:
            return model.model_validate(document.data), document
        except ValidationError as exc:
            for path_key, message in iter_messages(exc):
                self.issues.append(CatalogIssue(shown, document.line_of(_alias(path_key)), message))
            return None, document

    def error(self, document: LocatedDocument, path: PathKey, message: str) -> None:
        self.issues.append(CatalogIssue(document.file, document.line_of(path), message))

    def warning(self, document: LocatedDocument, path: PathKey, message: str) -> None:
        self.issues.append(CatalogIssue(document.file, document.line_of(path), message, Severity.WARNING))


def _alias(path: PathKey) -> PathKey:
    return tuple("from" if p == "from_" else p for p in path)


def _label(text: str) -> str:
    return text.replace("（", "(").replace("）", ")")


def read_handoff(catalog: Catalog) -> tuple[list[HandoffLayout], list[CatalogIssue]]:
    """Every layout of the catalog folder (none when it has no ``handoff/``) and every problem."""
    folder = catalog.directory / HANDOFF_DIR
    reading = _Reading()
    layouts: list[HandoffLayout] = []
    if not folder.is_dir():
        return layouts, reading.issues
    maps: dict[str, tuple[SubstitutionMap | None, LocatedDocument]] = {}
    maps_dir = folder / MAPS_DIR
    if maps_dir.is_dir():
        for path in sorted(maps_dir.iterdir()):
            if path.suffix in (".yaml", ".yml") and path.is_file():
                parsed, document = reading.read(path, SubstitutionMap)
                maps[f"{MAPS_DIR}/{path.name}"] = (parsed, document)
                if parsed is not None:
                    _check_map(reading, parsed, document)
    seen_ids: dict[str, str] = {}
    for path in sorted(folder.iterdir()):
        if not (path.is_file() and path.suffix in (".yaml", ".yml")):
            continue
        layout, document = reading.read(path, Layout)
        if layout is None:
            continue
        if layout.id in seen_ids:
            reading.error(
                document, ("id",), f"レイアウトの id「{layout.id}」が重複しています({seen_ids[layout.id]})"
            )
            continue
        seen_ids[layout.id] = str(path)
        before = len([i for i in reading.issues if i.severity is Severity.ERROR])
        substitution: SubstitutionMap | None = None
        if layout.substitution_map is not None:
            entry = maps.get(layout.substitution_map)
            if entry is None:
                reading.error(
                    document,
                    ("substitution_map",),
                    f"置き換えの表「{layout.substitution_map}」がありません"
                    "(handoff/maps/ を確認してください)",
                )
            else:
                substitution = entry[0]
                if substitution is not None:
                    _check_map_for(reading, substitution, entry[1], layout)
        _check_layout(reading, layout, document, catalog)
        after = len([i for i in reading.issues if i.severity is Severity.ERROR])
        if after == before:
            policy = Policy(
                encoding=layout.encoding,
                encoding_label=ENCODING_LABELS[layout.encoding],
                private_use=layout.private_use,
                substitutes={s.from_: s.to for s in substitution.characters} if substitution else {},
                variation_selectors=substitution.variation_selectors if substitution else "map",
            )
            layouts.append(
                HandoffLayout(layout, str(path), policy, substitution.name if substitution else None)
            )
    return layouts, reading.issues


def _check_map(reading: _Reading, parsed: SubstitutionMap, document: LocatedDocument) -> None:
    seen: set[str] = set()
    for position, entry in enumerate(parsed.characters):
        if entry.from_ in seen:
            reading.error(document, ("characters", position, "from"), "同じ文字の置き換えが2回書かれています")
        seen.add(entry.from_)


def _check_map_for(
    reading: _Reading, parsed: SubstitutionMap, document: LocatedDocument, layout: Layout
) -> None:
    label = ENCODING_LABELS[layout.encoding]
    for position, entry in enumerate(parsed.characters):
        if not holds(entry.to, layout.encoding):
            reading.error(
                document,
                ("characters", position, "to"),
                f"置き換え先の文字が{label}にありません(レイアウト「{layout.id}」で使う表です)",
            )
        elif (
            entry.from_ != entry.to
            and holds(entry.from_, layout.encoding)
            and not any(0xE000 <= ord(c) <= 0xF8FF or ord(c) >= 0xF0000 for c in entry.from_)
        ):
            reading.warning(
                document,
                ("characters", position, "from"),
                f"置き換え元の文字は{label}でそのまま書けるため、この行は使われません(レイアウト「{layout.id}」)",
            )


def _check_layout(reading: _Reading, layout: Layout, document: LocatedDocument, catalog: Catalog) -> None:
    if layout.bom and layout.encoding != "utf-8":
        reading.error(document, ("bom",), "BOM は UTF-8 のときだけ付けられます")
    if layout.encoding != "utf-8" and layout.substitution_map is None:
        reading.warning(
            document,
            ("encoding",),
            f"{ENCODING_LABELS[layout.encoding]}にない文字(外字・JIS X 0213 の文字など)は置き換えの表がないと"
            "その行が止まります(substitution_map を指定してください)",
        )
    for name, table in layout.code_tables.items():
        for label in table:
            path: PathKey = ("code_tables", name, label)
            if name in RELATIONSHIP_TABLES and (problem := relationship_label_problem(_label(label))):
                reading.error(document, path, problem)
            if name in REASON_TABLES and _label(label) not in REASON_LABELS:
                reading.error(
                    document,
                    path,
                    f"異動事由「{label}」は住民記録システム標準仕様書(1.2.2)の分類にありません",
                )
    for position, rule in enumerate(layout.reasons):
        path = ("reasons", position)
        if rule.event is not None and rule.event not in catalog.events:
            reading.error(document, (*path, "event"), f"届出の種類「{rule.event}」はカタログにありません")
        if rule.procedure is not None and rule.procedure not in catalog.procedures:
            reading.error(document, (*path, "procedure"), f"手続「{rule.procedure}」はカタログにありません")
        if _label(rule.label) not in REASON_LABELS:
            reading.error(
                document,
                (*path, "label"),
                f"異動事由「{rule.label}」は住民記録システム標準仕様書(1.2.2)の分類にありません",
            )
        if rule.answer is not None:
            question = catalog.questions.get(rule.answer)
            if question is None or question.type != "yes_no" or question.scope != "household":
                reading.error(
                    document,
                    (*path, "answer"),
                    f"質問「{rule.answer}」は世帯についての「はい・いいえ」の質問ではありません",
                )
    kinds_seen: set[str] = set()
    for k_pos, kind in enumerate(layout.kinds):
        kpath: PathKey = ("kinds", k_pos)
        if kind.kind in kinds_seen:
            reading.error(document, (*kpath, "kind"), f"「{KIND_LABELS[kind.kind]}」が2回書かれています")
        kinds_seen.add(kind.kind)
        if kind.procedures == "*":
            if kind.kind != "application":
                reading.error(
                    document,
                    (*kpath, "procedures"),
                    'procedures: "*" は application(その他の手続)だけに書けます',
                )
        else:
            for p_pos, proc in enumerate(kind.procedures):
                if proc not in catalog.procedures:
                    reading.error(
                        document, (*kpath, "procedures", p_pos), f"手続「{proc}」はカタログにありません"
                    )
        for s_pos, proc in enumerate(kind.staying):
            listed = kind.procedures != "*" and proc in kind.procedures
            known = catalog.procedures.get(proc)
            if not listed or known is None or known.scope != "household":
                reading.error(
                    document,
                    (*kpath, "staying", s_pos),
                    f"staying の手続「{proc}」はこの種類の procedures にある世帯の手続ではありません",
                )
        _check_columns(reading, layout, kind, kpath, document, catalog)


def _check_columns(
    reading: _Reading, layout: Layout, kind: Kind, kpath: PathKey, document: LocatedDocument, catalog: Catalog
) -> None:
    ids = [c.id for c in kind.columns]
    by_id: dict[str, Column] = {}
    headers: set[str] = set()
    for c_pos, column in enumerate(kind.columns):
        cpath: PathKey = (*kpath, "columns", c_pos)
        if column.id in by_id:
            reading.error(document, (*cpath, "id"), f"列の id「{column.id}」が重複しています")
        by_id.setdefault(column.id, column)
        if column.header in headers:
            reading.error(document, (*cpath, "header"), f"見出し「{column.header}」が重複しています")
        headers.add(column.header)
        if not holds(column.header, layout.encoding):
            reading.error(
                document,
                (*cpath, "header"),
                f"見出しに{ENCODING_LABELS[layout.encoding]}で書けない文字があります",
            )
        if column.value is not None and not holds(column.value, layout.encoding):
            reading.error(
                document,
                (*cpath, "value"),
                f"固定の値に{ENCODING_LABELS[layout.encoding]}で書けない文字があります",
            )
        if column.codes is not None and column.codes not in layout.code_tables:
            reading.error(
                document, (*cpath, "codes"), f"コード表「{column.codes}」は code_tables にありません"
            )
        if column.codes in RELATIONSHIP_TABLES and column.source not in (
            "person.relationship",
            "applicant.relationship",
        ):
            reading.error(document, (*cpath, "codes"), "続柄のコード表は続柄の列にだけ使えます")
        if column.codes in REASON_TABLES and column.source != "notification.reason":
            reading.error(document, (*cpath, "codes"), "異動事由のコード表は異動事由の列にだけ使えます")
        if column.source == "notification.reason" and not layout.reasons:
            reading.error(
                document, (*cpath, "source"), "異動事由の列には reasons(届出の種類ごとの異動事由)が必要です"
            )
        if column.check == "katakana" and column.source != "person.furigana":
            reading.error(
                document, (*cpath, "check"), f"{CHECKS['katakana']}の検査はフリガナの列にだけ使えます"
            )
        if column.check is not None and column.source in TEXT_SOURCES and column.check != "katakana":
            reading.error(
                document, (*cpath, "check"), f"「{CHECKS[column.check]}」の検査は文章の列には使えません"
            )
        if column.source is not None and column.source.startswith(("answer:", "member_answer:")):
            scope_word, qid = column.source.split(":", 1)
            question = catalog.questions.get(qid)
            wanted = "household" if scope_word == "answer" else "member"
            if question is None:
                reading.error(document, (*cpath, "source"), f"質問「{qid}」はカタログにありません")
            elif question.scope != wanted:
                which = "世帯" if wanted == "household" else "世帯員ごと"
                reading.error(document, (*cpath, "source"), f"質問「{qid}」は{which}の質問ではありません")
            elif column.date is not None and question.type != "date":
                reading.error(document, (*cpath, "date"), f"質問「{qid}」は日付の質問ではありません")
    for c_pos, column in enumerate(kind.columns):
        if column.flag_of is None:
            continue
        target = by_id.get(column.flag_of)
        cpath = (*kpath, "columns", c_pos, "flag_of")
        if target is None or column.flag_of == column.id:
            reading.error(
                document,
                cpath,
                f"flag_of の列「{column.flag_of}」はこの種類にありません(列: {', '.join(ids)})",
            )
        elif target.flag_of is not None:
            reading.error(document, cpath, "flag_of で指す列が、それ自身 flag_of の列です")


def check_handoff(catalog: Catalog) -> list[CatalogIssue]:
    """The problems of the catalog's hand-off layouts (for ``catalog check``)."""
    return read_handoff(catalog)[1]


def load_layouts(catalog: Catalog) -> Mapping[str, HandoffLayout]:
    """The catalog's layouts by id; :class:`CatalogError` when one has an error."""
    layouts, issues = read_handoff(catalog)
    if any(i.severity is Severity.ERROR for i in issues):
        raise CatalogError(str(catalog.directory / HANDOFF_DIR), issues)
    return {layout.id: layout for layout in layouts}
