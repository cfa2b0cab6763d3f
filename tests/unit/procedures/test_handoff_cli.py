"""``madoguchi handoff export`` and ``madoguchi catalog check`` on a broken layout, through click."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from counter_app.cli import cli
from procedures.catalog import load_catalog, shipped_catalogs
from procedures.handoff import load_layouts, read_csv

VISIT = {
    "event": "tennyu",
    "event_date": "2025-06-01",
    "members": [
        {
            "name": "窓口　花子",
            "furigana": "まどぐち　はなこ",
            "birth_date": "1990-02-02",
            "sex": "female",
            "address": "大阪府大阪市北区梅田1-1-1",
            "relationship": "self",
            "source": "card",
        },
        {"name": "\U00020bb7田　太郎", "birth_date": "1988-11-30", "sex": "male", "relationship": "spouse"},
        {"name": "北\U00029e3d　一郎", "birth_date": "2016-08-15", "sex": "male", "relationship": "child"},
    ],
    "answers": {"from_abroad": False, "tokurei_tennyu": False, "new_address": "東京都さざなみ町1-2-3"},
}
DAY = "2025-06-02"


@pytest.fixture(autouse=True)
def no_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MADOGUCHI_CONFIG", str(tmp_path / "absent-config.toml"))
    monkeypatch.delenv("MADOGUCHI_CATALOG_FOLDER", raising=False)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def visit_file(tmp_path: Path) -> str:
    path = tmp_path / "visit.json"
    path.write_text(json.dumps(VISIT, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_export_writes_every_kind_and_the_stopped_rows(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, _, stderr = run(
        "handoff",
        "export",
        "--date",
        DAY,
        "--out",
        str(out),
        "--visit",
        visit_file(tmp_path),
        "--catalog",
        "sazanami",
    )
    assert code == 0, stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(
        [
            "JUKI_IDOU_20250602.csv",
            "JUKI_TENSHUTSU_20250602.csv",
            "JUKI_SHOUMEI_20250602.csv",
            "JUKI_CARD_20250602.csv",
            "SINSEI_20250602.csv",
            "20250602_juki_sjis_保留.csv",
        ]
    )
    assert all((p.stat().st_mode & 0o777) == 0o600 for p in out.iterdir())  # personal data: owner only
    layout = load_layouts(load_catalog("sazanami"))["juki_sjis"]
    idou = read_csv(layout, "idou", (out / "JUKI_IDOU_20250602.csv").read_bytes())
    # 𠮷 has a substitute (flagged); 𩸽 (JIS X 0213 plane 2) has none: that row is stopped, not "?"
    assert [(r["row"], r["name"], r["name_flag"]) for r in idou] == [
        ("V20250602-001-01-01", "窓口　花子", "0"),
        ("V20250602-001-01-02", "吉田　太郎", "1"),
    ]
    assert all(r["todoke_date"] == "R07.06.02" for r in idou)
    stopped = (out / "20250602_juki_sjis_保留.csv").read_bytes().decode("utf-8-sig")
    assert "V20250602-001-01-03" in stopped and "U+29E3D" in stopped
    assert "止めた行が" in stderr
    # the day's files are never overwritten
    again, _, err = run(
        "handoff",
        "export",
        "--date",
        DAY,
        "--out",
        str(out),
        "--visit",
        visit_file(tmp_path),
        "--catalog",
        "sazanami",
    )
    assert again == 2 and "上書きしません" in err


def test_export_one_kind_and_a_date_after_today_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, _, err = run(
        "handoff",
        "export",
        "--date",
        DAY,
        "--kind",
        "card",
        "--out",
        str(out),
        "--visit",
        visit_file(tmp_path),
    )
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == ["20250602_juki_utf8_card.csv"]
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    code, _, err = run(
        "handoff", "export", "--date", tomorrow, "--out", str(tmp_path / "x"), "--visit", visit_file(tmp_path)
    )
    assert code == 2 and err.startswith("--date:")
    assert not (tmp_path / "x").exists()


def test_catalog_check_reports_a_broken_layout_at_file_and_line(tmp_path: Path) -> None:
    folder = tmp_path / "ward"
    shutil.copytree(shipped_catalogs()["default"], folder)
    layout = folder / "handoff" / "juki_utf8.yaml"
    lines = layout.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, start=1) if "header: 氏名フリガナ" in line)
    lines[number - 1] = lines[number - 1].replace("check: katakana", "check: kana")
    layout.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, _ = run("catalog", "check", str(folder))
    assert code == 6
    assert f"{layout}:{number}: 次のどれかを書いてください" in out


def test_status_deliver_and_redeliver_of_the_counters_outbox(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from counter_app.adapters.storage import CounterStorage
    from counter_app.settings.config import load_settings
    from tests.unit.store.test_handoff_outbox import DAY, payloads

    monkeypatch.setenv("MADOGUCHI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MADOGUCHI_HANDOFF_TARGET", "folder")
    monkeypatch.setenv("MADOGUCHI_HANDOFF_FOLDER", str(tmp_path / "share"))
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    try:
        with CounterStorage(load_settings(), background=False) as storage:
            assert storage.handoff is not None
            (payload,) = payloads()
            storage.handoff.enqueue(payload, DAY)
        code, out, _ = run("handoff", "status", "--date", DAY.isoformat())
        assert code == 0 and "送信待ち" in out and payload.batch_ids[0] in out
        code, out, _ = run("handoff", "deliver")
        assert code == 0 and out.startswith("送りました: 1 件")
        code, out, _ = run("handoff", "status", "--date", DAY.isoformat(), "--json")
        assert code == 0 and json.loads(out)[0]["状態"] == "送信済み"
        code, out, _ = run("handoff", "redeliver", payload.batch_ids[0])
        assert code == 0 and "紙の届書から入力してください" in out
    finally:
        keyring.set_keyring(previous)
    monkeypatch.setenv("MADOGUCHI_HANDOFF_TARGET", "none")
    code, _, err = run("handoff", "status")
    assert code == 2 and "handoff.target" in err
