"""Issue 14, items 7 and the missing fields: households rendered to PDF, checked on the page (pdftotext)
and in the back-office QR code scanned from the page image — never against the engine's own output.

Sources of the expectations (named per test):
* 住民基本台帳法 7条 (住民票の記載事項: 本籍・筆頭者, 住民票コード), 30条の45 (外国人住民: 国籍・地域,
  30条の45の区分, 在留資格, 在留期間の満了の日, 在留カード等の番号), 24条の2 (特例転入), 25条 (世帯主変更);
  https://elaws.e-gov.go.jp/document?lawid=342AC0000000081
* 児童手当法 4条1項 (父母のうち生計を維持する程度の高い者が受給), 令和6年10月改正の多子加算 (大学生年代:
  18歳に達する日以後の最初の3月31日を経過した後22歳に達する日以後の最初の3月31日までの子 — 葛城市
  https://www.city.katsuragi.nara.jp/soshiki/kosodatesienka/2/1/1314.html, 安城市
  https://www.city.anjo.aichi.jp/shinseisho/kodomo/kanngokakuninnsyo.html)
* 国民健康保険法施行規則 3条 (資格取得の届書: 前に加入していた保険と喪失日), 10条の2 (世帯主の変更)
* 介護保険 資格取得・異動・喪失届 (海陽町 様式第1号 http://www.town.kaiyo.lg.jp/docs/2016042700011/):
  届出人と「被保険者との関係」— the 届出人's relation to the insured person.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from card_reader.qr import decode_file
from counter_app.workflow.visit_fields import FormJob, college_age, form_jobs
from forms import FormRenderer, decode_payload
from procedures.catalog import Catalog, load_catalog
from procedures.engine import Guidance, guide
from procedures.visit import JsonAnswer, Visit, parse_visit

TODAY = dt.date(2025, 4, 14)
NEW = "東京都みどり川区若葉町一丁目二番三号"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(None)


def _run(
    catalog: Catalog, data: dict[str, Any], answers: dict[tuple[str, int | None], JsonAnswer]
) -> tuple[Visit, Guidance]:
    visit = parse_visit(json.dumps({"format": "madoguchi-visit/1", **data}, ensure_ascii=False))
    for _ in range(200):
        guidance = guide(catalog, visit)
        pending = guidance.next_question
        if pending is None:
            return visit, guidance
        key = (pending.id, pending.member)
        if key in answers:
            value = answers[key]
        elif (pending.id, None) in answers:
            value = answers[(pending.id, None)]
        else:
            q = pending.question
            value = {"yes_no": False, "choice": None, "date": data["event_date"]}.get(q.type, "テスト")
            if q.type == "choice":
                value = str(q.choices[0].value)
            elif q.type == "number":
                value = int(q.min or 0)
        visit = visit.with_answer(pending.id, value, pending.member)
    raise AssertionError("the flow did not finish")


def _jobs(visit: Visit, guidance: Guidance) -> dict[str, FormJob]:
    return {job.file_stem: job for job in form_jobs(visit, guidance, today=TODAY)}


def _printed(renderer: FormRenderer, job: FormJob, tmp_path: Path) -> tuple[str, list[dict[str, Any]]]:
    """The extracted text of every page, and the values of the QR code scanned from each page image."""
    pdf = tmp_path / f"{job.file_stem}.pdf"
    pdf.write_bytes(renderer.render(job.form_id, job.values).pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    subprocess.run(
        ["pdftoppm", "-r", "200", "-gray", "-png", str(pdf), str(tmp_path / job.file_stem)], check=True
    )
    scans = []
    for image in sorted(tmp_path.glob(f"{job.file_stem}-*.png")):
        payloads = decode_file(image)
        assert len(payloads) == 1, image.name
        scans.append(decode_payload(payloads[0]).values)
    return text, scans


# ------------------------------------------------------------------ 介護保険: 被保険者との関係


def test_kaigo_relation_is_to_the_insured_or_left_for_the_office(
    catalog: Catalog, renderer: FormRenderer, tmp_path: Path
) -> None:
    """The 介護保険 届 asks the 届出人's relation to the 被保険者 (not to the householder). The householder
    notifying for his mother is her 子; the householder's wife notifying for his grandmother may be her
    grandchild's wife or not related by blood — the visit cannot say, so the box says 窓口で確認."""
    members = [
        {"name": "介護　一郎", "birth_date": "1970-01-01", "sex": "male", "relationship": "self"},
        {"name": "介護　花子", "birth_date": "1972-01-01", "sex": "female", "relationship": "spouse"},
        {"name": "介護　ハル", "birth_date": "1945-01-01", "sex": "female", "relationship": "parent"},
        {"name": "介護　トメ", "birth_date": "1930-01-01", "sex": "female", "relationship": "grandparent"},
    ]
    data = {
        "event": "tennyu",
        "event_date": "2025-04-01",
        "members": members,
        "answers": {"new_address": NEW},
    }
    visit, guidance = _run(catalog, data, {("arrival", None): "domestic"})
    jobs = _jobs(visit, guidance)
    text, scans = _printed(renderer, jobs["kaigo_idou-3"], tmp_path)
    assert "被保険者との関係" in text and scans[0]["subject_name"] == "介護　ハル"
    assert scans[0]["applicant_name"] == "介護　一郎" and scans[0]["applicant_relationship"] == "子"
    assert "窓口で確認" not in text
    # No phone in the visit: the box says why the resident writes it, and the QR carries nothing.
    assert "ご本人が記入(住民記録にない連絡先のため)" in text and "applicant_phone" not in scans[0]

    # The same household, the wife at the counter: her relation to the householder's grandmother is open.
    data["members"] = [members[1], members[0], *members[2:]]
    visit, guidance = _run(catalog, data, {("arrival", None): "domestic"})
    jobs = _jobs(visit, guidance)
    text, scans = _printed(renderer, jobs["kaigo_idou-4"], tmp_path)
    assert scans[0]["subject_name"] == "介護　トメ" and scans[0]["applicant_name"] == "介護　花子"
    assert "applicant_relationship" not in scans[0]  # nothing guessed in the QR …
    assert "窓口で確認" in text  # … and the page says who settles it
    assert "配偶者" not in text.split("被保険者との関係")[1][:40]  # not her relation to the householder


# ------------------------------------------------------------------ 児童手当: 請求者, 大学生年代


def _family(first: str) -> list[dict[str, Any]]:
    father = {"name": "手当　父", "birth_date": "1978-06-01", "sex": "male", "relationship": "self"}
    mother = {"name": "手当　母", "birth_date": "1980-06-01", "sex": "female", "relationship": "spouse"}
    children = [
        # 大学生年代 on 2025-04-01: reached 18 on 2025-03-31 (born 2007-04-01), past that 31 March
        {"name": "手当　長女", "birth_date": "2007-04-01", "sex": "female", "relationship": "child"},
        # still a 児童 (reached 18 on 2025-04-01: the first 31 March after is 2026-03-31)
        {"name": "手当　長男", "birth_date": "2007-04-02", "sex": "male", "relationship": "child"},
        {"name": "手当　次男", "birth_date": "2015-09-09", "sex": "male", "relationship": "child"},
    ]
    parents = [mother, father] if first == "mother" else [father, mother]
    return [*parents, *children]


def test_college_age_follows_the_school_year_after_18_and_22() -> None:
    on = dt.date(2025, 4, 1)
    assert college_age(dt.date(2007, 4, 1), on)  # 18 reached 2025-03-31
    assert not college_age(dt.date(2007, 4, 2), on)  # 18 reached 2025-04-01: a 児童 until 2026-03-31
    assert college_age(dt.date(2003, 4, 2), on)  # 22 reached 2025-04-01: until 2026-03-31
    assert not college_age(dt.date(2003, 4, 1), on)  # 22 reached 2025-03-31: over
    assert not college_age(dt.date(2007, 4, 1), dt.date(2025, 3, 31))


@pytest.mark.parametrize(("claimant", "expected"), [("householder", "手当　父"), ("spouse", "手当　母")])
def test_child_allowance_claimant_is_the_answer_not_the_first_person(
    claimant: str, expected: str, catalog: Catalog, renderer: FormRenderer, tmp_path: Path
) -> None:
    """児童手当法4条1項: the parent who mainly supports the household claims — asked, never assumed from
    who came to the counter (the mother is entered first here)."""
    data = {
        "event": "tennyu",
        "event_date": "2025-04-01",
        "members": _family("mother"),
        "answers": {"new_address": NEW},
    }
    answers: dict[tuple[str, int | None], JsonAnswer] = {
        ("arrival", None): "domestic",
        ("household_insurance", None): "kokuho",
        ("teate_claimant", None): claimant,
    }
    visit, guidance = _run(catalog, data, answers)
    text, scans = _printed(renderer, _jobs(visit, guidance)["jidou_teate"], tmp_path)
    other = "手当　母" if expected == "手当　父" else "手当　父"
    assert scans[0]["applicant_name"] == expected and scans[0]["spouse_name"] == other
    assert "請求者(父母のうち所得の高い方)" in text and expected in text
    rows = scans[0]["members"]
    # The claimed children (the 児童), then the 大学生年代 daughter counted for the 多子加算; each once.
    assert [(r["name"], r["child_kind"]) for r in rows] == [
        ("手当　長男", "児童"),
        ("手当　次男", "児童"),
        ("手当　長女", "大学生年代"),
    ]
    assert text.count("大学生年代") >= 2 and text.count("手当　長女") == 1
    assert "公金受取口座" in text and "通帳などを見てご本人が記入" in text
    assert "誤りを防ぐため通帳を見てご本人が記入" in text and "account_number" not in scans[0]


def test_child_allowance_claimant_the_visit_cannot_name_is_left_for_the_office(
    catalog: Catalog, renderer: FormRenderer, tmp_path: Path
) -> None:
    """A grandmother moving in with her grandchildren: the claimant may be a parent living elsewhere or
    the grandmother raising them (児童手当法4条1項: 父母, 未成年後見人, 父母指定者 …) — the visit cannot
    say, so no person is printed as 請求者 (not the grandmother just because she came to the counter)."""
    members = [
        {"name": "祖母　ハナ", "birth_date": "1960-02-02", "sex": "female", "relationship": "self"},
        {"name": "祖母　孫一", "birth_date": "2015-05-05", "sex": "male", "relationship": "grandchild"},
    ]
    data = {
        "event": "tennyu",
        "event_date": "2025-04-01",
        "members": members,
        "answers": {"new_address": NEW},
    }
    visit, guidance = _run(catalog, data, {("arrival", None): "domestic"})
    text, scans = _printed(renderer, _jobs(visit, guidance)["jidou_teate"], tmp_path)
    qr = scans[0]
    assert [r["name"] for r in qr["members"]] == ["祖母　孫一"]
    assert not {"applicant_name", "applicant_address", "applicant_birth_date"} & set(qr)
    assert "祖母　ハナ" not in text


# ------------------------------------------------------------------ 住民異動届: the fields real forms have


def test_moving_in_prints_foreign_resident_details_and_leaves_the_rest_for_the_office(
    catalog: Catalog, renderer: FormRenderer, tmp_path: Path
) -> None:
    members = [
        {
            "name": "NGUYEN VAN AN",
            "birth_date": "1990-03-03",
            "sex": "male",
            "relationship": "self",
            "address": "大阪府大阪市北区梅田一丁目一番一号",
            "details": {
                "phone": "090-1111-2222",
                "nationality": "ベトナム",
                "residence_category": "mid_long",
                "residence_status": "技術・人文知識・国際業務",
                "residence_expiry": "2027-03-31",
                "residence_card_number": "AB12345678CD",
            },
        },
        {
            "name": "山本　さくら",
            "birth_date": "1992-05-05",
            "sex": "female",
            "relationship": "spouse",
            "details": {"honseki": "京都府京都市左京区一乗寺一番地", "hittousha": "山本　太郎"},
        },
    ]
    data = {
        "event": "tennyu",
        "event_date": "2025-04-01",
        "members": members,
        "answers": {"new_address": "〒150-0001 " + NEW},
    }
    answers: dict[tuple[str, int | None], JsonAnswer] = {
        ("arrival", None): "domestic_card_foreign",
        ("tenshutsu_yotei", None): "2025-03-25",
        ("household_insurance", None): "kokuho",
    }
    visit, guidance = _run(catalog, data, answers)
    jobs = _jobs(visit, guidance)
    text, scans = _printed(renderer, jobs["jumin_idou"], tmp_path)
    qr = scans[0]
    assert qr["postal_code"] == "150-0001" and qr["address"] == NEW
    assert qr["moving_out_proof"] == "特例転入(カード)"  # 住基法24条の2: no 転出証明書
    assert qr["planned_move_out_date"] == "2025-03-25" and "令和7年3月25日" in text
    assert qr["applicant_phone"] == "090-1111-2222"
    first, second = qr["members"]
    assert first["nationality"] == "ベトナム" and first["residence_category"] == "中長期在留者"
    assert first["residence_status"] == "技術・人文知識・国際業務"
    assert first["residence_expiry"] == "2027-03-31" and first["residence_card_number"] == "AB12345678CD"
    assert second["honseki"] == "京都府京都市左京区一乗寺一番地" and second["hittousha"] == "山本　太郎"
    for value in ("ベトナム", "中長期在留者", "AB12345678CD", "令和9年3月31日", "山本　太郎"):
        assert value in text
    # Unknown to the visit (住民票コード for both, 本籍 of the foreign resident): marked, not guessed.
    assert "juminhyo_code" not in first and "honseki" not in first
    assert text.count("窓口で確認") == 4  # 本籍・筆頭者・住民票コード of the 1st, 住民票コード of the 2nd
    # 関連手続: what else this visit needs (国保, 在留カード住居地 is the same notification)
    assert qr["related_kokuho"] is True and "related_kouki" not in qr
    assert "マイナンバーカー\nド" not in text and "\nド\n" not in text  # the header never orphans ド


def test_kokuho_rows_carry_previous_insurance_and_the_householder_change(
    catalog: Catalog, renderer: FormRenderer, tmp_path: Path
) -> None:
    """国保法施行規則3条: joining, each member's previous insurance and the day it ended; 10条の2: a new
    householder of a 国保 household is notified (区分 世帯主変更) for the members who stay."""
    members = [
        {
            "name": "国保　一郎",
            "birth_date": "1985-01-01",
            "sex": "male",
            "relationship": "self",
            "details": {"previous_insurance": "全国健康保険協会", "insurance_lost_date": "2025-03-31"},
        },
        {"name": "国保　花子", "birth_date": "1986-01-01", "sex": "female", "relationship": "spouse"},
    ]
    data = {
        "event": "tennyu",
        "event_date": "2025-04-01",
        "members": members,
        "answers": {"new_address": NEW},
    }
    visit, guidance = _run(
        catalog, data, {("arrival", None): "domestic", ("household_insurance", None): "kokuho"}
    )
    text, scans = _printed(renderer, _jobs(visit, guidance)["kokuho_idou"], tmp_path)
    rows = scans[0]["members"]
    assert (
        rows[0]["previous_insurance"] == "全国健康保険協会" and rows[0]["insurance_lost_date"] == "2025-03-31"
    )
    assert "previous_insurance" not in rows[1]
    assert "全国健康保険協会" in text and "令和7年3月31日" in text

    # A death of the householder in a 国保 household: its own 異動届, 区分 世帯主変更, the members who stay.
    household = [
        {
            "name": "国保　祖父",
            "birth_date": "1955-01-01",
            "sex": "male",
            "relationship": "self",
            "subject": True,
        },
        {"name": "国保　祖母", "birth_date": "1957-01-01", "sex": "female", "relationship": "spouse"},
        {"name": "国保　長男", "birth_date": "1985-01-01", "sex": "male", "relationship": "child"},
    ]
    data = {"event": "shibou", "event_date": "2025-04-01", "members": household}
    visit, guidance = _run(catalog, data, {("survivors_kokuho", None): True, ("insurance", None): "kokuho"})
    jobs = _jobs(visit, guidance)
    assert "kokuho_setainushi" in guidance.procedure_keys()
    text, scans = _printed(renderer, jobs["kokuho_idou-kokuho_setainushi"], tmp_path)
    qr = scans[0]
    assert qr["kokuho_change"] == "世帯主変更" and qr["previous_householder_name"] == "国保　祖父"
    assert [r["name"] for r in qr["members"]] == ["国保　祖母", "国保　長男"]
    assert "householder_name" not in qr  # the new householder is the household's to name
