"""A generated resident registry for the registry tests and the bench (no real person in it).

Households of 1–6 (世帯主 first; 妻/夫, 子, 父/母 as the 住民票 writes them since 1995), names that
include MJ / 異体字 characters (髙, 﨑, 邊, 齋, and 𠮷 outside the BMP), ~3 % foreign residents (alphabet
names, katakana readings, no 本籍), a few moved-out / deceased / removed members, and numbers with valid
modulus-11 check digits (宛名番号 and 世帯番号: 7 digits + 1; 住民票コード: 10 + 1). Deterministic: the
same seed gives the same registry.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Iterator
from pathlib import Path

from counter_app.workflow.registry import mod11_check_digit

COLUMNS = (
    "宛名番号", "世帯番号", "住民票コード", "氏名", "氏名_フリガナ", "生年月日", "性別", "続柄",
    "住民状態", "住民種別", "住所_都道府県", "住所_市区郡町村名", "住所_町字", "住所_番地号表記",
    "住所_方書", "本籍", "筆頭者",
)  # fmt: skip

SURNAMES = (
    ("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"), ("髙橋", "タカハシ"), ("田中", "タナカ"),
    ("伊藤", "イトウ"), ("渡辺", "ワタナベ"), ("渡邊", "ワタナベ"), ("山本", "ヤマモト"),
    ("中村", "ナカムラ"), ("小林", "コバヤシ"), ("加藤", "カトウ"), ("吉田", "ヨシダ"), ("𠮷田", "ヨシダ"),
    ("山田", "ヤマダ"),
    ("佐々木", "ササキ"), ("山口", "ヤマグチ"), ("松本", "マツモト"), ("井上", "イノウエ"),
    ("木村", "キムラ"), ("斎藤", "サイトウ"), ("齋藤", "サイトウ"), ("山崎", "ヤマザキ"),
    ("山﨑", "ヤマザキ"),
    ("森", "モリ"),
    ("池田", "イケダ"), ("橋本", "ハシモト"), ("阿部", "アベ"), ("石川", "イシカワ"), ("前田", "マエダ"),
)  # fmt: skip
MALE = (
    ("太郎", "タロウ"), ("一郎", "イチロウ"), ("健太", "ケンタ"), ("翔太", "ショウタ"), ("大輔", "ダイスケ"),
    ("蓮", "レン"), ("悠真", "ユウマ"), ("湊", "ミナト"), ("浩", "ヒロシ"), ("隆", "タカシ"),
    ("誠", "マコト"),
)  # fmt: skip
FEMALE = (
    ("花子", "ハナコ"), ("陽菜", "ヒナ"), ("結衣", "ユイ"), ("美咲", "ミサキ"), ("さくら", "サクラ"),
    ("恵子", "ケイコ"), ("裕子", "ユウコ"), ("芽依", "メイ"), ("葵", "アオイ"), ("真由美", "マユミ"),
)  # fmt: skip
FOREIGN = (
    ("SMITH", "スミス"), ("NGUYEN", "グエン"), ("KIM", "キム"), ("WANG", "ワン"), ("SILVA", "シルバ"),
    ("GARCIA", "ガルシア"), ("TRAN", "チャン"),
)  # fmt: skip
FOREIGN_GIVEN = (("JOHN", "ジョン"), ("MAI", "マイ"), ("MINHO", "ミンホ"), ("LI", "リー"), ("ANA", "アナ"))
TOWNS = ("港町一丁目", "港町二丁目", "中央三丁目", "桜台", "さざなみ台四丁目", "北原", "南浜五丁目")
PREFECTURE = "東京都"
CITY = "さざなみ区"


def with_check(body: int, digits: int) -> str:
    text = f"{body:0{digits}d}"
    return text + str(mod11_check_digit(text))


def atena_of(index: int) -> str:
    return with_check(1_000_000 + index, 7)


def household_of(index: int) -> str:
    return with_check(5_000_000 + index, 7)


def _date(rng: random.Random, start: int, end: int) -> dt.date:
    return dt.date(start, 1, 1) + dt.timedelta(
        days=rng.randrange((dt.date(end, 12, 31) - dt.date(start, 1, 1)).days)
    )


def generate(residents: int = 100_000, households: int = 45_000, seed: int = 20) -> list[dict[str, str]]:
    """``residents`` rows in ``households`` households (each with a 世帯主), as CSV-ready strings."""
    rng = random.Random(seed)
    sizes = [1] * households
    for _ in range(residents - households):
        sizes[rng.randrange(households)] += 1
    rows: list[dict[str, str]] = []
    for h, size in enumerate(sizes):
        foreign = rng.random() < 0.03
        surname = rng.choice(FOREIGN if foreign else SURNAMES)
        town = rng.choice(TOWNS)
        banchi = f"{rng.randrange(1, 40)}番{rng.randrange(1, 30)}号"
        katagaki = f"さざなみハイツ{rng.randrange(1, 9)}0{rng.randrange(1, 9)}" if rng.random() < 0.3 else ""
        head_birth = _date(rng, 1935, 2003)
        head_male = rng.random() < 0.7
        for m in range(size):
            if m == 0:
                relationship, male, birth = "世帯主", head_male, head_birth
            elif m == 1 and size > 2:
                relationship, male = ("妻" if head_male else "夫"), not head_male
                birth = min(head_birth + dt.timedelta(days=rng.randrange(-1500, 1500)), dt.date(2004, 1, 1))
            elif m == size - 1 and size >= 5 and head_birth.year > 1960:
                relationship, male = ("母", False)
                birth = head_birth - dt.timedelta(days=rng.randrange(7000, 12000))
            else:
                relationship, male = "子", rng.random() < 0.5
                birth = head_birth + dt.timedelta(days=rng.randrange(7000, 15000))
                if birth > dt.date(2026, 11, 1):
                    birth = _date(rng, 2004, 2025)
            given = rng.choice(FOREIGN_GIVEN if foreign else (MALE if male else FEMALE))
            status = "1"
            if m > 0:
                roll = rng.random()
                status = "2" if roll < 0.02 else "3" if roll < 0.03 else "9" if roll < 0.035 else "1"
            index = len(rows)
            rows.append({
                "宛名番号": atena_of(index),
                "世帯番号": household_of(h),
                "住民票コード": with_check(rng.randrange(10**9, 10**10), 10),
                "氏名": f"{surname[0]} {given[0]}" if foreign else f"{surname[0]}　{given[0]}",
                "氏名_フリガナ": f"{surname[1]}　{given[1]}",
                "生年月日": birth.isoformat(),
                "性別": "1" if male else "2",
                "続柄": relationship,
                "住民状態": status,
                "住民種別": "2" if foreign else "1",
                "住所_都道府県": PREFECTURE,
                "住所_市区郡町村名": CITY,
                "住所_町字": town,
                "住所_番地号表記": banchi,
                "住所_方書": katagaki,
                "本籍": "" if foreign else f"{PREFECTURE}{CITY}{town}{banchi.split('番', maxsplit=1)[0]}番地",
                "筆頭者": "" if foreign else f"{surname[0]}　{rng.choice(MALE)[0]}",
            })  # fmt: skip
    return rows


def card_address(row: dict[str, str]) -> str:
    """The address as a My Number card writes it (full, 方書 after a space)."""
    main = f"{row['住所_都道府県']}{row['住所_市区郡町村名']}{row['住所_町字']}{row['住所_番地号表記']}"
    return f"{main} {row['住所_方書']}" if row["住所_方書"] else main


def to_csv(rows: list[dict[str, str]], header: dict[str, str] | None = None) -> str:
    """The rows as the nightly extract (``header`` renames items to the ward's column names)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([(header or {}).get(c, c) for c in COLUMNS])
    for row in rows:
        writer.writerow([row[c] for c in COLUMNS])
    return out.getvalue()


def write_csv(path: Path, rows: list[dict[str, str]], header: dict[str, str] | None = None) -> Path:
    path.write_text(to_csv(rows, header), encoding="utf-8")
    return path


def copy_lines(rows: list[dict[str, str]]) -> Iterator[tuple[str | None, ...]]:
    """Rows for PostgreSQL's COPY (empty strings as NULL)."""
    for row in rows:
        yield tuple(row[c] or None for c in COLUMNS)


# The ward's own column names (what its core system calls them); registry.yaml maps them.
WARD = {
    item: f"C{i:02d}_{name}"
    for i, (item, name) in enumerate(zip(COLUMNS, (
        "ATENA_NO", "SETAI_NO", "JUMINHYO_CD", "SHIMEI", "SHIMEI_KANA", "SEINENGAPPI", "SEIBETSU", "ZOKUGARA",
        "JUMIN_JOTAI", "JUMIN_SHUBETSU", "JUSHO_TODOFUKEN", "JUSHO_SHIKUCHOSON", "JUSHO_MACHIAZA",
        "JUSHO_BANCHI", "JUSHO_KATAGAKI", "HONSEKI", "HITTOSHA",
    ), strict=True))
}  # fmt: skip


def registry_yaml(view: str = "juki.madoguchi_view") -> str:
    mapping = "".join(f"  {item}: {column}\n" for item, column in WARD.items())
    return f"format: madoguchi-registry/1\nsource: sql\nview: {view}\ncolumns:\n{mapping}"


def load_postgres(admin_url: str, database: str, rows: list[dict[str, str]]) -> None:
    """The ward's core table (with a 個人番号 column the view leaves out) filled with COPY, the indexes
    of docs/registry.md, the view under the ward's column names and the read-only role ``madoguchi_ro``
    that may read the view only."""
    import psycopg

    columns = ", ".join(
        f'"{WARD[item]}" {"date" if item == "生年月日" else "text"}'
        + (" NOT NULL" if item in ("宛名番号", "世帯番号") else "")
        for item in COLUMNS
    )
    names = ", ".join(f'"{WARD[c]}"' for c in COLUMNS)
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute("CREATE SCHEMA juki")
        connection.execute(f'CREATE TABLE juki.jumin ({columns}, "KOJIN_NO" text)')
        with connection.cursor() as cursor, cursor.copy(f"COPY juki.jumin ({names}) FROM STDIN") as copy:
            for line in copy_lines(rows):
                copy.write_row(line)
        connection.execute("UPDATE juki.jumin SET \"KOJIN_NO\" = '123456789018' WHERE random() < 0.01")
        shimei = f"replace(replace(\"{WARD['氏名']}\", ' ', ''), '\u3000', '')"
        kana = f"replace(replace(\"{WARD['氏名_フリガナ']}\", ' ', ''), '\u3000', '')"
        connection.execute(f'CREATE INDEX ON juki.jumin ("{WARD["生年月日"]}", ({shimei}))')
        connection.execute(f'CREATE INDEX ON juki.jumin ("{WARD["生年月日"]}", ({kana}))')
        connection.execute(f'CREATE UNIQUE INDEX ON juki.jumin ("{WARD["宛名番号"]}")')
        connection.execute(f'CREATE INDEX ON juki.jumin ("{WARD["世帯番号"]}")')
        connection.execute(f"CREATE VIEW juki.madoguchi_view AS SELECT {names} FROM juki.jumin")
        connection.execute("ANALYZE juki.jumin")
        connection.execute(
            "DO $$ BEGIN CREATE ROLE madoguchi_ro LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$"
        )
        connection.execute(f'GRANT CONNECT ON DATABASE "{database}" TO madoguchi_ro')
        connection.execute("GRANT USAGE ON SCHEMA juki TO madoguchi_ro")
        connection.execute("GRANT SELECT ON juki.madoguchi_view TO madoguchi_ro")
