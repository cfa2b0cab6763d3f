"""The registry as a nightly CSV extract, for wards without a database link: an encrypted local index.

The ward's 住基 system writes a CSV each night (header: the 基本データリスト items, or the ward's own
names mapped in ``registry.yaml``). :func:`load_extract` checks every row first — one broken row
rejects the whole file with ``file:line: problem`` in Japanese, and the index of the night before
stays — then writes a new index and puts it in place of the old one in one rename.

Nothing readable is written to disk: each resident is one row sealed with AES-256-GCM (a fresh nonce,
the index's generation and the row id as associated data), and the only things in clear beside it are
keyed hashes (HMAC-SHA256, truncated to 128 bits) of the three lookups the port allows — 生年月日 with
the name or the reading, 宛名番号, 世帯番号. Without the counter's key the file says neither who is in it
nor how many share a birthday. The key is the counter's draft key's sub-key ``registry-index``
(:meth:`counter_app.adapters.drafts.DraftKeys.subkey`: OS key store, or the per-counter fallback).

An index older than ``max_age`` (36 h: one missed night) is refused and removed: a stale registry
would show people who moved or died since.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import hmac
import io
import json
import os
import secrets
import sqlite3
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from counter_app.adapters.registry.config import RegistryConfig
from counter_app.adapters.registry.model import (
    FORBIDDEN_ITEMS,
    MAX_HOUSEHOLD,
    REQUIRED_ITEMS,
    RegistryDataError,
    RegistryPerson,
    RegistryStatus,
    RegistryUnavailableError,
    compact,
    to_katakana,
)
from counter_app.adapters.registry.rows import person_from_row
from printing.spool import open_with, seal_with
from procedures.visit import Sex

INDEX_FILE_NAME = "registry-index.sqlite3"
KEY_PURPOSE = "registry-index"
MAX_EXTRACT_BYTES = 512 * 1024 * 1024
MAX_ROWS = 2_000_000
DEFAULT_MAX_AGE = dt.timedelta(hours=36)
_AAD = b"madoguchi-registry-index-v1|"
_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    k_name BLOB NOT NULL,
    k_kana BLOB,
    k_atena BLOB NOT NULL,
    k_household BLOB NOT NULL,
    nonce BLOB NOT NULL,
    sealed BLOB NOT NULL
);
"""
_INDEXES = """
CREATE INDEX people_name ON people (k_name);
CREATE INDEX people_kana ON people (k_kana);
CREATE UNIQUE INDEX people_atena ON people (k_atena);
CREATE INDEX people_household ON people (k_household);
"""


@dataclass(frozen=True)
class _Keys:
    lookup: bytes
    seal: bytes

    @classmethod
    def derive(cls, key: bytes) -> _Keys:
        def part(info: bytes) -> bytes:
            return HKDF(hashes.SHA256(), 32, b"madoguchi-registry-v1", info).derive(key)

        return cls(part(b"lookup"), part(b"seal"))

    def tag(self, *parts: str) -> bytes:
        return hmac.new(self.lookup, "\x1f".join(parts).encode("utf-8"), hashlib.sha256).digest()[:16]


def _name_tag(keys: _Keys, birth: dt.date, name: str) -> bytes:
    return keys.tag("n", birth.isoformat(), compact(name))


def _kana_tag(keys: _Keys, birth: dt.date, kana: str) -> bytes:
    return keys.tag("k", birth.isoformat(), to_katakana(kana))


def _to_json(person: RegistryPerson) -> bytes:
    data = {
        "a": person.atena_no, "h": person.household_no, "n": person.name, "b": person.birth_date.isoformat(),
        "s": person.sex.value, "r": person.relationship_label, "st": person.status.value, "t": person.town,
        "j": person.juminhyo_code, "k": person.kana, "f": person.foreign, "p": person.prefecture,
        "c": person.city, "bn": person.banchi, "kg": person.katagaki, "hs": person.honseki,
        "hp": person.hittosha,
    }  # fmt: skip
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _from_json(raw: bytes) -> RegistryPerson:
    d = json.loads(raw)
    return RegistryPerson(
        atena_no=d["a"], household_no=d["h"], name=d["n"], birth_date=dt.date.fromisoformat(d["b"]),
        sex=Sex(d["s"]), relationship_label=d["r"], status=RegistryStatus(d["st"]), town=d["t"],
        juminhyo_code=d["j"], kana=d["k"], foreign=d["f"], prefecture=d["p"], city=d["c"], banchi=d["bn"],
        katagaki=d["kg"], honseki=d["hs"], hittosha=d["hp"],
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------------
def _decode(path: Path, config: RegistryConfig, shown: str) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_EXTRACT_BYTES:
            raise RegistryDataError(
                shown, None, f"抽出ファイルが大きすぎます({MAX_EXTRACT_BYTES // 2**20} MB まで)"
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise RegistryDataError(
            shown, None, f"抽出ファイルを読めません({exc.strerror or type(exc).__name__})"
        ) from None
    try:
        text = raw.decode(config.csv_encoding)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        encoding = "UTF-8" if config.csv_encoding.startswith("utf") else "Shift_JIS(cp932)"
        raise RegistryDataError(
            shown, line, f"{encoding} として読めない文字があります(registry.yaml の csv_encoding を確認)"
        ) from None
    return text


def read_extract(path: Path, config: RegistryConfig, display: str | None = None) -> Iterator[RegistryPerson]:
    """Every resident of the extract, checked; :class:`RegistryDataError` at the first broken line."""
    shown = display or path.name
    text = _decode(path, config, shown)
    by_column = {column: item for item, column in config.columns.items()}
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise RegistryDataError(shown, 1, "抽出ファイルが空です") from None
    except csv.Error as exc:
        raise RegistryDataError(shown, 1, f"CSVとして読めません({exc})") from None
    header = [h.strip().lstrip("\ufeff") for h in header]
    for column in header:
        if any(word.lower() in column.lower() for word in FORBIDDEN_ITEMS):
            raise RegistryDataError(
                shown, 1, f"列「{column}」(個人番号)があります。個人番号は抽出に含めないでください"
            )
    items = [by_column.get(column) for column in header]
    missing = [item for item in REQUIRED_ITEMS if item not in items]
    if missing:
        raise RegistryDataError(
            shown, 1, f"必須の列がありません: {'、'.join(missing)}(registry.yaml の columns を確認)"
        )
    seen: set[str] = set()
    line = 1
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise RegistryDataError(shown, start, f"CSVの書き方が正しくありません({exc})") from None
        line = start
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if len(row) != len(header):
            raise RegistryDataError(shown, line, f"列の数が {len(row)} です(見出しは {len(header)} 列)")
        if line > MAX_ROWS + 1:
            raise RegistryDataError(shown, line, f"行が多すぎます({MAX_ROWS:,} 行まで)")
        values = {item: value for item, value in zip(items, row, strict=True) if item is not None}
        person = person_from_row(values, shown, line)
        if person.atena_no in seen:
            raise RegistryDataError(shown, line, f"宛名番号「{person.atena_no}」が2回あります")
        seen.add(person.atena_no)
        yield person


@dataclass(frozen=True)
class LoadResult:
    residents: int
    households: int
    loaded_at: dt.datetime


def load_extract(
    csv_path: Path, config: RegistryConfig, index_path: Path, key: bytes,
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC), remove_source: bool = False,
) -> LoadResult:  # fmt: skip
    """Check the whole extract, then replace the index with it (the old index is kept on any error)."""
    keys = _Keys.derive(key)
    index_path.parent.mkdir(parents=True, exist_ok=True)
    temporary = index_path.with_name(f".{index_path.name}.{secrets.token_hex(6)}.tmp")
    generation = secrets.token_hex(16)
    households: set[str] = set()
    count = 0
    try:
        connection = sqlite3.connect(temporary)
        try:
            os.chmod(temporary, 0o600)
            connection.executescript(
                "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA secure_delete=ON;"
            )
            connection.executescript(_SCHEMA)
            batch: list[tuple[object, ...]] = []
            for count, person in enumerate(read_extract(csv_path, config), start=1):
                nonce, sealed = seal_with(
                    keys.seal, _to_json(person), _AAD + f"{generation}|{count}".encode()
                )
                kana = _kana_tag(keys, person.birth_date, person.kana) if person.kana else None
                batch.append((
                    count, _name_tag(keys, person.birth_date, person.name), kana,
                    keys.tag("a", person.atena_no), keys.tag("h", person.household_no), nonce, sealed,
                ))  # fmt: skip
                households.add(person.household_no)
                if len(batch) >= 5000:
                    connection.executemany("INSERT INTO people VALUES (?, ?, ?, ?, ?, ?, ?)", batch)
                    batch.clear()
            connection.executemany("INSERT INTO people VALUES (?, ?, ?, ?, ?, ?, ?)", batch)
            connection.executescript(_INDEXES)
            loaded_at = now()
            connection.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                [("generation", generation), ("loaded_at", loaded_at.isoformat()), ("format", "1")],
            )
            connection.commit()
        finally:
            connection.close()
        os.replace(temporary, index_path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
    if remove_source:
        csv_path.unlink()
    return LoadResult(count, len(households), loaded_at)


def purge_index(index_path: Path) -> bool:
    """Remove the index (day end, or a stale one); True if there was one."""
    removed = False
    for path in (index_path, *index_path.parent.glob(f".{index_path.name}.*.tmp")):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed = True
    return removed


class ExtractRegistrySource:
    """:class:`~counter_app.workflow.registry.RegistrySource` on the encrypted index."""

    def __init__(
        self, index_path: Path, key: bytes, max_age: dt.timedelta = DEFAULT_MAX_AGE,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:  # fmt: skip
        self.index_path = index_path
        self.keys = _Keys.derive(key)
        self.max_age = max_age
        self.now = now
        self._connection: sqlite3.Connection | None = None
        self._generation = ""

    def _open(self) -> sqlite3.Connection:
        if not self.index_path.is_file():
            raise RegistryUnavailableError(
                "住民記録の抽出データが読み込まれていません(夜間の取込を確認してください)。受付はカードまたは"
                "手入力で続けられます。"
            )
        if self._connection is None:
            try:
                connection = sqlite3.connect(
                    f"file:{self.index_path}?mode=ro", uri=True, check_same_thread=False
                )
                meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
            except sqlite3.Error:
                raise RegistryUnavailableError() from None
            self._connection, self._generation = connection, str(meta.get("generation", ""))
            self._loaded_at = dt.datetime.fromisoformat(str(meta.get("loaded_at")))
        if self.now() - self._loaded_at > self.max_age:
            self.close()
            purge_index(self.index_path)
            raise RegistryUnavailableError(
                "住民記録の抽出データが古いため削除しました(前夜の取込が行われていません)。受付はカードまたは"
                "手入力で続けられます。システム担当に連絡してください。"
            )
        return self._connection

    def _select(self, column: str, tags: Collection[bytes], limit: int) -> list[RegistryPerson]:
        if not tags:
            return []
        connection = self._open()
        marks = ", ".join("?" for _ in tags)
        rows = connection.execute(
            f"SELECT id, nonce, sealed FROM people WHERE {column} IN ({marks}) ORDER BY id LIMIT ?",  # noqa: S608
            [*tags, limit],
        ).fetchall()
        out = []
        for row_id, nonce, sealed in rows:
            try:
                raw = open_with(self.keys.seal, nonce, sealed, _AAD + f"{self._generation}|{row_id}".encode())
            except ValueError:
                raise RegistryUnavailableError(
                    "住民記録の抽出データを復号できません(鍵が変わったか、ファイルが壊れています)。"
                    "今夜の取込で作り直されます。受付はカードまたは手入力で続けられます。"
                ) from None
            out.append(_from_json(raw))
        return out

    def find(
        self, birth_date: dt.date, names: Collection[str], readings: Collection[str], limit: int
    ) -> list[RegistryPerson]:
        found = self._select("k_name", [_name_tag(self.keys, birth_date, n) for n in names], limit)
        seen = {p.atena_no for p in found}
        for person in self._select("k_kana", [_kana_tag(self.keys, birth_date, r) for r in readings], limit):
            if person.atena_no not in seen:
                found.append(person)
        return found[:limit]

    def by_atena(self, atena_no: str) -> RegistryPerson | None:
        found = self._select("k_atena", [self.keys.tag("a", atena_no)], 2)
        return found[0] if found else None

    def household(self, household_no: str, limit: int = MAX_HOUSEHOLD) -> list[RegistryPerson]:
        return self._select("k_household", [self.keys.tag("h", household_no)], limit)

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
