"""``madoguchi catalog check|show|list`` and ``madoguchi guide`` through click, and once as a real process."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from counter_app.cli import cli
from procedures.catalog import shipped_catalogs
from tests.conftest import MadoguchiRunner
from tests.unit.procedures.test_catalog_check import PROCEDURES, line_of, write

NAME = "窓口　花子"
VISIT: dict[str, Any] = {
    "format": "madoguchi-visit/1",
    "event": "tennyu",
    "event_date": "2025-06-02",
    "members": [
        {"name": NAME, "birth_date": "1990-02-02", "sex": "female", "relationship": "self", "source": "card"},
        {"name": "窓口　一郎", "birth_date": "2016-08-15", "sex": "male", "relationship": "child"},
    ],
    "answers": {
        "from_abroad": False,
        "tokurei_tennyu": True,
        "tenshutsu_yotei": "2025-05-31",
        "has_dog": True,
        "dog_count": 1,
    },
}


@pytest.fixture(autouse=True)
def no_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read the machine's settings file."""
    monkeypatch.setenv("MADOGUCHI_CONFIG", str(tmp_path / "absent-config.toml"))
    monkeypatch.delenv("MADOGUCHI_CATALOG_FOLDER", raising=False)


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def visit_file(tmp_path: Path, data: Mapping[str, Any] = VISIT) -> str:
    path = tmp_path / "visit.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


# ---------------------------------------------------------------- catalog check


def test_check_default_catalog() -> None:
    code, out, _ = run("catalog", "check")
    assert code == 0
    # The ward's overrides of national entries are shown first, each with its reason, then the summary.
    lines = out.splitlines()
    # Everything a resident reads is translated in all eight languages: no untranslated-count warning.
    assert not [line for line in lines if "翻訳されていないもの" in line or "警告" in line]
    assert all("overrides.yaml" in line and "注記" in line and "理由: " in line for line in lines[:-1])
    assert lines[-1].startswith("OK: みどり川区(架空) 手続カタログ 2025.04(2025-04-01 から) — 届出の種類 8、")
    assert "(うち国の共通ルール 66)" in lines[-1]


def test_check_named_catalog_and_json() -> None:
    code, out, _ = run("catalog", "check", "sazanami", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["ok"] is True and data["summary"]["events"] == 8
    # The town's overrides are noted; nothing is left untranslated in any language (no warning).
    assert {i["severity"] for i in data["issues"]} == {"note"}
    assert all("overrides.yaml" in i["file"] for i in data["issues"]), data["issues"]


def test_check_reports_every_error_with_file_and_line(tmp_path: Path) -> None:
    text = PROCEDURES.replace("forms: [form_a]", "forms: [form_x]").replace("{answer: kind,", "{answer: knd,")
    write(tmp_path, procedures__main_yaml=text)
    code, out, err = run("catalog", "check", str(tmp_path))
    assert code == 6
    main = tmp_path / "procedures" / "main.yaml"
    assert out.splitlines() == [
        f"{main}:{line_of(text, 'form_x')}: "
        "様式「form_x」は catalog.yaml の forms にありません(様式の id を確認してください)",
        f"{main}:{line_of(text, 'knd')}: 質問「knd」は定義されていません",
    ]
    assert err.strip() == f"誤り 2 件、警告 0 件: {tmp_path}"
    code, out, _ = run("catalog", "check", str(tmp_path), "--json")
    assert code == 6 and len(json.loads(out)["issues"]) == 2


def test_check_unknown_catalog(tmp_path: Path) -> None:
    code, _, err = run("catalog", "check", str(tmp_path / "nowhere"))
    assert code == 6
    assert "手続カタログが見つかりません" in err and "default・sazanami" in err


def test_list() -> None:
    code, out, _ = run("catalog", "list")
    assert code == 0
    assert [line.split("\t")[0] for line in out.splitlines()] == ["default", "sazanami"]


# ---------------------------------------------------------------- catalog show


def test_show_one_event_for_staff() -> None:
    code, out, _ = run("catalog", "show", "--event", "shibou")
    assert code == 0
    assert "■ 死亡(おくやみ) [shibou] — 亡くなった日" in out
    assert "■ 転入" not in out
    assert "葬祭費の支給申請(国民健康保険) [sousaihi_kokuho] (世帯員ごと)" in out
    assert "期限: 葬儀を行った日の翌日から2年以内" in out
    assert "条件: 届出が「死亡(おくやみ)」 かつ 届出の対象の方である かつ 年齢が75未満" in out
    assert "犬の所有者変更(飼い主の死亡)" in out
    assert "転入届 [tennyu_todoke]" not in out
    assert out.splitlines()[1] == (
        "閉庁日: 土・日曜日、国民の祝日・休日、12-29〜01-03(年末年始) — 期限が閉庁日なら翌開庁日まで延長"
        "(地方自治法4条の2第4項、みどり川区の休日に関する条例)"
    )


def test_show_json_and_english() -> None:
    code, out, _ = run("catalog", "show", "--catalog", "sazanami", "--json", "--lang", "en")
    assert code == 0
    data = json.loads(out)
    assert data["municipality"] == "Sazanami Town (fictional)"
    assert data["office_calendar"].startswith("Closed: Saturday/Sunday, national holidays, 12-29 to 01-03")
    tennyu = next(e for e in data["events"] if e["id"] == "tennyu")
    assert "kodomo_iryou" in [p["id"] for p in tennyu["procedures"]]
    assert {q["id"] for q in tennyu["questions"]} >= {
        "household_insurance",
        "has_mynumber_card",
        "town_school",
    }


def test_show_unknown_event() -> None:
    code, _, err = run("catalog", "show", "--event", "hikkoshi")
    assert code == 6 and "届出の種類「hikkoshi」はこのカタログにありません" in err


# ---------------------------------------------------------------- guide


def test_guide_json(tmp_path: Path) -> None:
    code, out, _ = run("guide", "--event", "tennyu", "--visit", visit_file(tmp_path), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["complete"] is False
    # The one question on the previous address and nationality (from_abroad was answered: only the
    # 在留カード still depends on it).
    first = data["questions"][0]
    assert (first["id"], first["member"], first["type"]) == ("arrival", None, "choice")
    assert first["needed_for"] == ["zairyu_card_jusho"]
    assert [c["value"] for c in first["choices"]] == [
        "domestic",
        "domestic_card",
        "domestic_foreign",
        "domestic_card_foreign",
        "abroad",
        "abroad_foreign",
    ]
    assert first["text"] == "どこから、どのように引っ越してきましたか。引っ越してきた方に外国籍の方はいますか"
    ids = [p["id"] for p in data["procedures"]]
    assert ids[:2] == ["tennyu_todoke_tokurei", "mynumber_keizoku"]
    assert "inu_tennyu" in ids and "kodomo_iryou_tennyu" in ids
    todoke = data["procedures"][0]
    # 14 days from Monday 2025-06-02 end on Monday 06-16, before 30 days from the 転出予定日 5/31 (6/30)
    assert todoke["deadline"] == {
        "date": "2025-06-16",
        "text": todoke["deadline"]["text"],
        "text_en": todoke["deadline"]["text_en"],
        "period_end": "2025-06-16",
        "moved": False,
        "note": "",
        "note_en": "",
    }
    assert NAME not in out


def test_guide_human_output(tmp_path: Path) -> None:
    code, out, _ = run("guide", "--visit", visit_file(tmp_path))
    assert code == 0
    assert out.startswith("転入(区外からの引っ越し): 転入した日(住み始めた日) 2025-06-02 / 2人")
    assert "次の質問 (" in out
    assert "[[1] 子 8歳] マイナンバーカードをお持ちですか (true / false)  id=has_mynumber_card" in out
    assert "■ 犬の登録事項変更(転入)  [inu_tennyu]" in out
    assert "    期限: 2025-07-02まで (転入した日から30日以内)" in out
    assert "    窓口: 生活衛生課 / みどり川保健所 生活衛生係 保健所2階(本庁舎となり)" in out
    code, out, _ = run("guide", "--visit", visit_file(tmp_path), "--lang", "en")
    assert (
        code == 0 and "Next questions (" in out and "■ Dog registration, change of address (moving in)" in out
    )


def test_guide_shows_a_deadline_moved_off_a_closed_day(tmp_path: Path) -> None:
    # Moved in on Sunday 2025-06-01: 14 days (住基法22条, 民法140条) end on Sunday 6/15, a closed day
    # of the ward, so the deadline is Monday 6/16 (地方自治法4条の2第4項), with the reason printed.
    data = {**VISIT, "event_date": "2025-06-01"}
    code, out, _ = run("guide", "--visit", visit_file(tmp_path, data), "--json")
    assert code == 0
    todoke = next(p for p in json.loads(out)["procedures"] if p["id"] == "tennyu_todoke_tokurei")
    assert todoke["deadline"]["date"] == "2025-06-16"
    assert todoke["deadline"]["period_end"] == "2025-06-15"
    assert todoke["deadline"]["moved"] is True
    assert todoke["deadline"]["note"] == "期限の6月15日(日)は閉庁日のため、翌開庁日の6月16日(月)まで"
    code, out, _ = run("guide", "--visit", visit_file(tmp_path, data))
    assert code == 0
    lines = out.splitlines()
    at = lines.index(next(line for line in lines if line.startswith("■ 転入届")))
    block = lines[at : at + 6]
    assert any(line.startswith("    期限: 2025-06-16まで (") for line in block)
    assert "      ※ 期限の6月15日(日)は閉庁日のため、翌開庁日の6月16日(月)まで" in block
    code, out, _ = run("guide", "--visit", visit_file(tmp_path, data), "--lang", "en")
    assert (
        "※ The last day, Sunday 15 June, is a closed day: the deadline is the next open day, Monday 16 June"
        in out
    )


def test_guide_reads_stdin_and_overrides(tmp_path: Path) -> None:
    data = {**VISIT, "event": None, "event_date": None}
    args = ["--event", "tenkyo", "--date", "2025-07-01", "--catalog", "sazanami", "--json"]
    stdin = json.dumps({k: v for k, v in data.items() if v is not None and k != "answers"})
    code, out, _ = run("guide", "--visit", "-", *args, input=stdin)
    assert code == 0
    result = json.loads(out)
    assert result["catalog"] == "sazanami" and result["event"]["id"] == "tenkyo"
    assert result["event_date"] == "2025-07-01"
    # A move within the town: the national rules (card address change for the card holder) and the town's
    # water supply; the rest waits for the answers.
    ids = [p["id"] for p in result["procedures"]]
    assert ids == ["tenkyo_todoke", "mynumber_jusho", "suidou_kaishi", "suidou_chuushi"]
    assert [q["id"] for q in result["questions"]][:2] == ["foreign_resident", "new_address"]


def test_guide_configured_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MADOGUCHI_CATALOG_FOLDER", str(shipped_catalogs()["sazanami"]))
    plain = {k: v for k, v in VISIT.items() if k != "answers"}
    code, out, _ = run("guide", "--visit", visit_file(tmp_path, plain), "--json")
    assert code == 0 and json.loads(out)["catalog"] == "sazanami"
    # Answers to questions the catalog does not have are an error, not silently dropped.
    ward_only = {**plain, "answers": {"wants_hoiku": True}}
    code, _, err = run("guide", "--visit", visit_file(tmp_path, ward_only), "--json")
    assert (
        code == 6 and "質問「wants_hoiku」への答え(世帯)が正しくありません: このカタログにない質問です" in err
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"event": "hikkoshi"}, "届出の種類「hikkoshi」はこのカタログにありません"),
        ({"answers": {"has_dog": "はい"}}, "質問「has_dog」への答え(世帯)が正しくありません: はい/いいえ"),
        ({"members": [{**VISIT["members"][0], "birth_date": "1990-02-30"}]},
         "受付の内容(JSON)に誤りがあります: members[0].birth_date: 日付を YYYY-MM-DD の形で書いてください"),
    ],
)  # fmt: skip
def test_guide_errors_are_one_japanese_line_without_personal_data(
    tmp_path: Path, change: dict[str, object], message: str
) -> None:
    code, out, err = run("guide", "--visit", visit_file(tmp_path, {**VISIT, **change}))
    assert code == 6
    assert err.startswith(message) and len(err.strip().splitlines()) == 1
    assert NAME not in err and "1990-02" not in err and "Traceback" not in out + err


def test_guide_missing_file(tmp_path: Path) -> None:
    code, _, err = run("guide", "--visit", str(tmp_path / "absent.json"))
    assert code == 6 and "ファイルが見つかりません" in err


def test_real_process(madoguchi: MadoguchiRunner, tmp_path: Path) -> None:
    checked = madoguchi("catalog", "check", "sazanami", env={"MADOGUCHI_CONFIG": str(tmp_path / "none.toml")})
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.splitlines()[-1].startswith("OK: さざなみ町(架空)")
    guided = madoguchi(
        "guide",
        "--visit",
        visit_file(tmp_path),
        "--json",
        env={"MADOGUCHI_CONFIG": str(tmp_path / "none.toml")},
    )
    assert guided.returncode == 0, guided.stderr
    assert json.loads(guided.stdout)["event"]["id"] == "tennyu"
