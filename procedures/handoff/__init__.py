"""The hand-off of signed visits to the back office as data (住民記録システム標準仕様書 10.8).

A layout (data in the catalog folder, ``handoff/*.yaml``) says which CSV kinds a receiving system
takes — 転出証明書データ, 住民異動届データ, 証明書交付申請書データ, 個人番号カード券面事項 and the generic
``application`` kind — with their columns, code tables, date style, encoding and the substitution of
characters the encoding lacks. This package reads and checks layouts (``load``), builds the rows of a
visit (``rows``) and writes and reads the files (``csvfile``). docs/handoff.md is the guide for the
ward's IT staff.

::

    layouts = load_layouts(catalog)                      # CatalogError if a layout is wrong
    rows = build_rows(layouts["jukimaster"], visit, guidance, visit_id="V20250601-001", today=today)
    data = write_csv(layouts["jukimaster"], "idou", rows.of_kind("idou"))
    rows.problems                                        # rows stopped, with the reason (Japanese)
"""

from procedures.handoff.charset import Policy, Substitution, Unmappable, fit
from procedures.handoff.csvfile import (
    HandoffFileError,
    day_files,
    file_name,
    merge_files,
    merge_problems,
    problems_file_name,
    read_csv,
    write_csv,
    write_problems,
)
from procedures.handoff.load import HandoffLayout, check_handoff, load_layouts, read_handoff
from procedures.handoff.model import KIND_LABELS, Layout, SubstitutionMap
from procedures.handoff.rows import (
    BatchRef,
    HandoffRow,
    PersonNumbers,
    RowProblem,
    Rows,
    batch_refs,
    build_rows,
    standard_relationship,
)
from procedures.handoff.standard import modulus11_digit, modulus11_problem, parse_date

__all__ = [
    "KIND_LABELS",
    "BatchRef",
    "HandoffFileError",
    "HandoffLayout",
    "HandoffRow",
    "Layout",
    "PersonNumbers",
    "Policy",
    "RowProblem",
    "Rows",
    "Substitution",
    "SubstitutionMap",
    "Unmappable",
    "batch_refs",
    "build_rows",
    "check_handoff",
    "day_files",
    "file_name",
    "fit",
    "load_layouts",
    "merge_files",
    "merge_problems",
    "modulus11_digit",
    "modulus11_problem",
    "parse_date",
    "problems_file_name",
    "read_csv",
    "read_handoff",
    "standard_relationship",
    "write_csv",
    "write_problems",
]
