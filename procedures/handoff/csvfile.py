"""Writing and reading the hand-off CSV files exactly as a layout says (encoding, BOM, line ends,
quoting, header row), and the list of stopped rows for the back office.

Every value reaching :func:`write_csv` was fitted to the encoding by :mod:`procedures.handoff.charset`,
so encoding is strict: a character that slipped through would raise, never turn into "?".
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Collection, Iterable, Sequence

from procedures.errors import ProceduresError
from procedures.handoff.load import HandoffLayout
from procedures.handoff.model import KIND_LABELS, Kind
from procedures.handoff.rows import HandoffRow, RowProblem, Rows

BOM = b"\xef\xbb\xbf"
PROBLEMS_HEADER = ("種類", "一括番号", "行番号", "手続", "項目", "理由")


class HandoffFileError(ProceduresError):
    """A hand-off file does not match its layout (header, encoding); ``problem`` is Japanese."""

    def __init__(self, problem: str) -> None:
        self.problem = problem
        super().__init__(problem)


def file_name(layout: HandoffLayout, kind: Kind, day: dt.date, visit_id: str | None = None) -> str:
    """The kind's file of the day; with ``visit_id``, one visit's file (``…_V20250601-1a2b3c4d5e6f.csv``),
    as the kiosk's outbox delivers them."""
    name = kind.file.replace("{date}", day.strftime("%Y%m%d")).replace("{layout}", layout.id)
    return name if visit_id is None else f"{name[: -len('.csv')]}_{visit_id}.csv"


def problems_file_name(layout: HandoffLayout, day: dt.date, visit_id: str | None = None) -> str:
    suffix = "" if visit_id is None else f"_{visit_id}"
    return f"{day.strftime('%Y%m%d')}_{layout.id}_保留{suffix}.csv"


def _kind(layout: HandoffLayout, kind_id: str) -> Kind:
    kind = layout.kind(kind_id)
    if kind is None:
        raise HandoffFileError(
            f"レイアウト「{layout.id}」に「{KIND_LABELS.get(kind_id, kind_id)}」はありません"
        )
    return kind


def write_csv(layout: HandoffLayout, kind_id: str, rows: Iterable[HandoffRow]) -> bytes:
    spec = layout.layout
    kind = _kind(layout, kind_id)
    buffer = io.StringIO(newline="")
    writer = csv.writer(
        buffer,
        lineterminator="\r\n" if spec.line_ending == "crlf" else "\n",
        quoting=csv.QUOTE_ALL if spec.quoting == "all" else csv.QUOTE_MINIMAL,
    )
    if spec.header:
        writer.writerow([c.header for c in kind.columns])
    for row in rows:
        if row.kind != kind_id:
            raise ValueError("row of another kind")
        writer.writerow([row.values[c.id] for c in kind.columns])
    data = buffer.getvalue().encode(spec.encoding)
    return BOM + data if spec.bom else data


def read_csv(layout: HandoffLayout, kind_id: str, data: bytes) -> list[dict[str, str]]:
    """The rows of a file written for ``kind_id``, as column id → text."""
    spec = layout.layout
    kind = _kind(layout, kind_id)
    if spec.bom:
        if not data.startswith(BOM):
            raise HandoffFileError("ファイルの先頭に BOM がありません")
        data = data[len(BOM) :]
    try:
        text = data.decode(spec.encoding)
    except UnicodeDecodeError as exc:
        raise HandoffFileError(f"{spec.encoding} として読めません(バイト{exc.start})") from None
    ending = "\r\n" if spec.line_ending == "crlf" else "\n"
    if text and not text.endswith(ending):
        raise HandoffFileError("行の終わり(改行コード)がレイアウトと違います")
    records = list(csv.reader(io.StringIO(text, newline="")))
    columns: Sequence[str] = [c.id for c in kind.columns]
    if spec.header:
        if not records or records[0] != [c.header for c in kind.columns]:
            raise HandoffFileError("見出しの行がレイアウトと違います")
        records = records[1:]
    result = []
    for number, record in enumerate(records, start=2 if spec.header else 1):
        if len(record) != len(columns):
            raise HandoffFileError(f"{number}行目の列の数が{len(columns)}ではありません")
        result.append(dict(zip(columns, record, strict=True)))
    return result


def _write_records(layout: HandoffLayout, kind: Kind, records: Iterable[Sequence[str]]) -> bytes:
    spec = layout.layout
    buffer = io.StringIO(newline="")
    writer = csv.writer(
        buffer,
        lineterminator="\r\n" if spec.line_ending == "crlf" else "\n",
        quoting=csv.QUOTE_ALL if spec.quoting == "all" else csv.QUOTE_MINIMAL,
    )
    if spec.header:
        writer.writerow([c.header for c in kind.columns])
    writer.writerows(records)
    data = buffer.getvalue().encode(spec.encoding)
    return BOM + data if spec.bom else data


def merge_files(layout: HandoffLayout, kind_id: str, parts: Iterable[bytes]) -> bytes:
    """One file of ``kind_id`` from several (one visit's each, as the outbox delivers them): every part
    is read and checked against the layout, and the rows written once under one header."""
    kind = _kind(layout, kind_id)
    columns = [c.id for c in kind.columns]
    records = [[row[c] for c in columns] for part in parts for row in read_csv(layout, kind_id, part)]
    return _write_records(layout, kind, records)


def merge_problems(parts: Iterable[bytes]) -> bytes:
    """One list of stopped rows from several (UTF-8 with BOM, as :func:`write_problems` writes)."""
    records: list[list[str]] = []
    for part in parts:
        try:
            text = part.removeprefix(BOM).decode("utf-8")
        except UnicodeDecodeError:
            raise HandoffFileError("保留一覧が UTF-8 として読めません") from None
        rows = list(csv.reader(io.StringIO(text, newline="")))
        if not rows or tuple(rows[0]) != PROBLEMS_HEADER:
            raise HandoffFileError("保留一覧の見出しの行が違います")
        records += rows[1:]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(PROBLEMS_HEADER)
    writer.writerows(records)
    return BOM + buffer.getvalue().encode("utf-8")


def write_problems(problems: Iterable[RowProblem]) -> bytes:
    """The stopped rows, for the back office: UTF-8 with BOM (opens in Excel), CRLF."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(PROBLEMS_HEADER)
    for p in problems:
        writer.writerow((KIND_LABELS[p.kind], p.batch_id, p.row_id, p.procedure_id, p.column, p.message))
    return BOM + buffer.getvalue().encode("utf-8")


def day_files(
    layout: HandoffLayout, row_sets: Iterable[Rows], day: dt.date, kinds: Collection[str] | None = None
) -> dict[str, bytes]:
    """The files of one day for ``layout``: one per kind (a header-only file when the kind has no row,
    so the receiver's job sees that nothing came), plus the list of stopped rows when there is one."""
    rows: list[HandoffRow] = []
    problems: list[RowProblem] = []
    for row_set in row_sets:
        rows += row_set.rows
        problems += row_set.problems
    files: dict[str, bytes] = {}
    for kind in layout.layout.kinds:
        if kinds is not None and kind.kind not in kinds:
            continue
        files[file_name(layout, kind, day)] = write_csv(
            layout, kind.kind, [r for r in rows if r.kind == kind.kind]
        )
    chosen = [p for p in problems if kinds is None or p.kind in kinds]
    if chosen:
        files[problems_file_name(layout, day)] = write_problems(chosen)
    return files
