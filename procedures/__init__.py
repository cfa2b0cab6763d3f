"""The procedure catalog (data), the guided question flow (手続ナビ) and the visit model.

No Qt, no card access, no forms here: plain values in, typed values out.

Public API (what ``counter_app`` calls)::

    catalog = load_catalog()                    # shipped default; or a folder / shipped name
    visit = parse_visit(json_text)              # docs/visit-format.md; raises VisitFormatError
    guidance = guide(catalog, visit)            # pure, deterministic
    guidance.questions                          # PendingQuestion(question, member, needed_for)
    guidance.procedures                         # NeededProcedure(procedure, members, reason, deadline …)
    visit = visit.with_answer("has_dog", True)  # a new visit; call guide() again
    report = check_catalog("path/or/name")      # every issue as file:line: message (Japanese)

Modules: ``schema`` (pydantic models of the YAML files), ``positions`` (YAML with line numbers),
``conditions`` (conditions as data), ``catalog`` (loading), ``check`` and ``satisfiability``
(cross-checks), ``builtin_facts``, ``evaluation`` (three-valued evaluation), ``engine`` (the flow),
``deadlines``, ``templates`` (reason texts), ``describe`` (conditions in words for staff),
``visit`` (the household and answers), ``errors``. Catalog data ships in ``procedures/catalogs/``:
``default`` (みどり川区, a fictional ward) and ``sazanami`` (さざなみ町, a fictional town).
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from procedures.catalog import (
        Catalog,
        CheckReport,
        check_catalog,
        default_catalog_dir,
        load_catalog,
        resolve_catalog_dir,
        shipped_catalogs,
    )
    from procedures.deadlines import Deadline
    from procedures.engine import Guidance, NeededProcedure, PendingQuestion, guide
    from procedures.errors import (
        AnswerError,
        CatalogCycleError,
        CatalogError,
        CatalogIssue,
        CatalogNotFoundError,
        ProceduresError,
        SubjectCountError,
        UnknownEventError,
        VisitFormatError,
    )
    from procedures.visit import Member, Relationship, Sex, Source, Visit, parse_visit

# Each public name is imported from its module on first use (PEP 562): importing one module of the
# package (say ``procedures.errors``) does not load the rest, which keeps the kiosk's cold start short.
_EXPORTS = {
    "Catalog": "procedures.catalog",
    "CheckReport": "procedures.catalog",
    "check_catalog": "procedures.catalog",
    "default_catalog_dir": "procedures.catalog",
    "load_catalog": "procedures.catalog",
    "resolve_catalog_dir": "procedures.catalog",
    "shipped_catalogs": "procedures.catalog",
    "Deadline": "procedures.deadlines",
    "Guidance": "procedures.engine",
    "NeededProcedure": "procedures.engine",
    "PendingQuestion": "procedures.engine",
    "guide": "procedures.engine",
    "AnswerError": "procedures.errors",
    "CatalogCycleError": "procedures.errors",
    "CatalogError": "procedures.errors",
    "CatalogIssue": "procedures.errors",
    "CatalogNotFoundError": "procedures.errors",
    "ProceduresError": "procedures.errors",
    "SubjectCountError": "procedures.errors",
    "UnknownEventError": "procedures.errors",
    "VisitFormatError": "procedures.errors",
    "Member": "procedures.visit",
    "Relationship": "procedures.visit",
    "Sex": "procedures.visit",
    "Source": "procedures.visit",
    "Visit": "procedures.visit",
    "parse_visit": "procedures.visit",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


__all__ = [
    "AnswerError",
    "Catalog",
    "CatalogCycleError",
    "CatalogError",
    "CatalogIssue",
    "CatalogNotFoundError",
    "CheckReport",
    "Deadline",
    "Guidance",
    "Member",
    "NeededProcedure",
    "PendingQuestion",
    "ProceduresError",
    "Relationship",
    "Sex",
    "Source",
    "SubjectCountError",
    "UnknownEventError",
    "Visit",
    "VisitFormatError",
    "check_catalog",
    "default_catalog_dir",
    "guide",
    "load_catalog",
    "parse_visit",
    "resolve_catalog_dir",
    "shipped_catalogs",
]
