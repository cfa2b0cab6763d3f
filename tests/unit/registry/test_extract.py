"""The nightly CSV extract: checked row by row (file:line in Japanese), kept only in an encrypted index."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest

from counter_app.adapters.registry.config import RegistryConfig, check_registry_file, load_registry_config
from counter_app.adapters.registry.extract import (
    ExtractRegistrySource,
    load_extract,
    purge_index,
    read_extract,
)
from counter_app.workflow.registry import (
    ITEMS,
    RegistryDataError,
    RegistryStatus,
    RegistryUnavailableError,
    compact,
    name_variants,
)
from tests.registry_data import COLUMNS, generate, to_csv, write_csv

KEY = bytes(range(32))
NOW = dt.datetime(2026, 12, 4, 1, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return generate(residents=2_000, households=900, seed=7)


@pytest.fixture
def index(tmp_path: Path, rows: list[dict[str, str]]) -> Path:
    path = tmp_path / "data" / "registry-index.sqlite3"
    load_extract(
        write_csv(tmp_path / "extract.csv", rows), RegistryConfig(source="csv"), path, KEY, now=lambda: NOW
    )
    return path


def source(index: Path, now: dt.datetime = NOW) -> ExtractRegistrySource:
    return ExtractRegistrySource(index, KEY, now=lambda: now)


def test_lookups_on_the_index(index: Path, rows: list[dict[str, str]]) -> None:
    src = source(index)
    row = rows[123]
    birth = dt.date.fromisoformat(row["生年月日"])
    found = src.find(birth, name_variants(row["氏名"]), (), 50)
    assert row["宛名番号"] in [p.atena_no for p in found]
    by_reading = src.find(birth, (), (compact(row["氏名_フリガナ"]),), 50)
    assert row["宛名番号"] in [p.atena_no for p in by_reading]
    person = src.by_atena(row["宛名番号"])
    assert person is not None and person.name == row["氏名"] and person.juminhyo_code == row["住民票コード"]
    household = src.household(row["世帯番号"])
    expected = {r["宛名番号"] for r in rows if r["世帯番号"] == row["世帯番号"]}
    assert {p.atena_no for p in household} == expected
    assert src.by_atena("1234567892") is None
    src.close()


def test_nothing_readable_on_disk(index: Path, rows: list[dict[str, str]]) -> None:
    raw = index.read_bytes()
    for row in rows[:200]:
        for item in ("氏名", "氏名_フリガナ", "住所_町字", "宛名番号", "住民票コード", "世帯番号"):
            assert row[item].encode() not in raw
        assert row["生年月日"].encode() not in raw
    assert os.stat(index).st_mode & 0o777 == 0o600


def test_another_key_reads_nothing(index: Path, rows: list[dict[str, str]]) -> None:
    other = ExtractRegistrySource(index, bytes(32), now=lambda: NOW)
    assert other.by_atena(rows[0]["宛名番号"]) is None  # the keyed hashes do not even find the row


def test_a_broken_row_rejects_the_file_at_its_line_and_keeps_the_old_index(
    tmp_path: Path, index: Path, rows: list[dict[str, str]]
) -> None:
    broken = [dict(r) for r in rows[:50]]
    broken[9]["生年月日"] = "1983-02-30"
    path = write_csv(tmp_path / "broken.csv", broken)
    before = index.read_bytes()
    with pytest.raises(RegistryDataError) as caught:
        load_extract(path, RegistryConfig(source="csv"), index, KEY)
    assert caught.value.message == "broken.csv:11: 生年月日「1983-02-30」は存在しない日付です"
    assert index.read_bytes() == before
    assert not list(index.parent.glob(".*.tmp"))


@pytest.mark.parametrize(
    ("item", "value", "says"),
    [
        ("宛名番号", "10000008", "宛名番号「10000008」のチェックデジット"),
        ("住民票コード", "12345678901", "住民票コード「12345678901」は11桁で"),
        ("性別", "3", "性別「3」は 1(男)か 2(女)です"),
        ("住民状態", "5", "住民状態「5」は"),
        ("氏名", "", "必須の項目「氏名」が空です"),
        ("氏名_フリガナ", "山田", "フリガナ「山田」はカタカナで"),
        ("住所_町字", "港町\x07", "「住所_町字」が長すぎるか、改行などの制御文字を含みます"),
    ],
)
def test_each_broken_item_is_named(
    tmp_path: Path, rows: list[dict[str, str]], item: str, value: str, says: str
) -> None:
    broken = [dict(r) for r in rows[:5]]
    broken[2][item] = value
    with pytest.raises(RegistryDataError, match="^" + re.escape(f"bad.csv:4: {says}")):
        list(read_extract(write_csv(tmp_path / "bad.csv", broken), RegistryConfig(source="csv")))


def test_a_line_break_inside_quotes_is_refused_at_the_record_s_first_line(
    tmp_path: Path, rows: list[dict[str, str]]
) -> None:
    records = [dict(r) for r in rows[:4]]
    records[1]["住所_方書"] = "ハイツ\n101"  # one record over two lines (lines 3–4)
    with pytest.raises(RegistryDataError, match=r"^x\.csv:3: 「住所_方書」.*制御文字"):
        list(read_extract(write_csv(tmp_path / "x.csv", records), RegistryConfig(source="csv")))


def test_wrong_column_count_duplicate_atena_and_my_number_column(
    tmp_path: Path, rows: list[dict[str, str]]
) -> None:
    text = to_csv(rows[:3]).replace("\r\n", ",extra\r\n", 3)
    (tmp_path / "cols.csv").write_text(
        text.split("\r\n", 1)[0].replace(",extra", "") + "\r\n" + text.split("\r\n", 1)[1], encoding="utf-8"
    )
    with pytest.raises(RegistryDataError, match=r"^cols.csv:2: 列の数が 18 です\(見出しは 17 列\)"):
        list(read_extract(tmp_path / "cols.csv", RegistryConfig(source="csv")))
    twice = [rows[0], rows[1], rows[0]]
    with pytest.raises(RegistryDataError, match=r"^dup\.csv:4: 宛名番号.*2回"):
        list(read_extract(write_csv(tmp_path / "dup.csv", twice), RegistryConfig(source="csv")))
    with pytest.raises(RegistryDataError, match=r"^mn\.csv:1: 列「個人番号」"):
        list(read_extract(write_csv(tmp_path / "mn.csv", rows[:2], {"本籍": "個人番号"}), RegistryConfig()))


def test_shift_jis_extract_and_undecodable_bytes(tmp_path: Path, rows: list[dict[str, str]]) -> None:
    plain = [r for r in rows if "𠮷" not in r["氏名"] and "﨑" not in r["氏名"]][:20]
    path = tmp_path / "sjis.csv"
    path.write_bytes(to_csv(plain).encode("cp932"))
    config = RegistryConfig(csv_encoding="cp932")
    assert len(list(read_extract(path, config))) == 20
    with pytest.raises(RegistryDataError, match=r"^sjis\.csv:1: UTF-8 として読めない文字"):
        list(read_extract(path, RegistryConfig()))


def test_ward_column_names_through_the_mapping(tmp_path: Path, rows: list[dict[str, str]]) -> None:
    ward = {item: f"COL_{i}" for i, item in enumerate(COLUMNS)}
    path = write_csv(tmp_path / "ward.csv", rows[:10], ward)
    config = RegistryConfig(columns={**{i: i for i in ITEMS}, **ward})
    assert [p.atena_no for p in read_extract(path, config)] == [r["宛名番号"] for r in rows[:10]]
    with pytest.raises(RegistryDataError, match="必須の列がありません"):
        list(read_extract(path, RegistryConfig()))


def test_a_stale_index_is_refused_and_removed(index: Path) -> None:
    late = source(index, NOW + dt.timedelta(hours=37))
    with pytest.raises(RegistryUnavailableError, match="古いため削除しました"):
        late.by_atena("1234567892")
    assert not index.exists()
    with pytest.raises(RegistryUnavailableError, match="読み込まれていません"):
        late.by_atena("1234567892")


def test_purge(index: Path) -> None:
    assert purge_index(index)
    assert not index.exists()
    assert not purge_index(index)


def test_statuses_survive_the_index(index: Path, rows: list[dict[str, str]]) -> None:
    gone = next(r for r in rows if r["住民状態"] == "3")
    person = source(index).by_atena(gone["宛名番号"])
    assert person is not None and person.status is RegistryStatus.DECEASED and person.status.badge == "死亡"


# --- registry.yaml ----------------------------------------------------------------------------------
def test_registry_yaml_good(tmp_path: Path) -> None:
    path = tmp_path / "registry.yaml"
    path.write_text(
        "format: madoguchi-registry/1\nsource: sql\nview: juki.madoguchi_view\ncolumns:\n"
        "  宛名番号: ATENA_NO\n  氏名_フリガナ: KANA\nlookups_per_window: 20\nwindow_minutes: 5\n",
        encoding="utf-8",
    )
    config = load_registry_config(path)
    assert config.columns["宛名番号"] == "ATENA_NO" and config.columns["氏名"] == "氏名"
    assert config.schema_and_view == ("juki", "madoguchi_view")
    assert config.lookups_per_window == 20 and config.window == dt.timedelta(minutes=5)


def test_registry_yaml_problems_at_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "registry.yaml"
    path.write_text(
        "format: madoguchi-registry/1\n"  # 1
        "source: oracle\n"  # 2
        "columns:\n"  # 3
        "  宛名番号: ATENA_NO\n"  # 4
        "  氏名: ATENA_NO\n"  # 5
        "  個人番号: KOJIN_NO\n"  # 6
        "  年収: NENSHU\n"  # 7
        "  住所_町字: MY_NUMBER_COL\n"  # 8
        "window_minutes: 0\n"  # 9
        "colour: red\n",  # 10
        encoding="utf-8",
    )
    _, issues = check_registry_file(path, "catalog/registry.yaml")
    lines = {(i.line, i.message.split("。")[0].split("(")[0]) for i in issues}
    assert {line for line, _ in lines} == {2, 5, 6, 7, 8, 9, 10}
    text = "\n".join(str(i) for i in issues)
    assert "catalog/registry.yaml:6: 個人番号(マイナンバー)は住民記録の照会に使いません" in text
    assert "catalog/registry.yaml:5: 列「ATENA_NO」は「宛名番号」にも使われています" in text
    assert "catalog/registry.yaml:2: source は sql" in text


def test_registry_yaml_syntax_error_has_its_line(tmp_path: Path) -> None:
    path = tmp_path / "registry.yaml"
    path.write_text("format: madoguchi-registry/1\ncolumns:\n  宛名番号: [ATENA\n", encoding="utf-8")
    with pytest.raises(RegistryDataError, match=r"registry.yaml:\d+: "):
        load_registry_config(path)
