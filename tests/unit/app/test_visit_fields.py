"""counter_app.workflow.visit_fields: a visit and its guidance → the forms to print, their values, the
guide sheet.

Runs the real default catalog and engine; every value produced must be accepted by the real renderer.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from counter_app.cli import cli
from counter_app.workflow.resident_guide import bilingual_guide
from counter_app.workflow.visit_fields import FormJob, form_jobs, guide_sheet
from forms import FontSet, FormRenderer, render_guide_sheet
from forms.guide_bilingual import format_date
from forms.samples import ADDRESS
from procedures.catalog import Catalog, load_catalog
from procedures.visit import JsonAnswer
from tests.helpers.visits import MEMBERS, OLD_ADDRESS, TODAY, answered, tennyu


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(None)


def _render_all(renderer: FormRenderer, jobs: list[FormJob]) -> None:
    for job in jobs:
        renderer.render(job.form_id, job.values)  # the renderer accepts every value produced


def test_moving_in_fills_the_notification_and_the_per_person_forms(
    catalog: Catalog, renderer: FormRenderer
) -> None:
    visit, guidance = tennyu(catalog)
    jobs = {job.file_stem: job for job in form_jobs(visit, guidance, today=TODAY)}
    _render_all(renderer, list(jobs.values()))
    idou = jobs["jumin_idou"].values
    assert idou["notification_kind"] == "転入" and idou["move_date"] == dt.date(2025, 4, 1)
    assert idou["address"] == ADDRESS and idou["previous_address"] == OLD_ADDRESS
    assert idou["applicant_name"] == "髙﨑　𠮷太郎" and idou["identity_document"] == "マイナンバーカード"
    assert idou["notification_date"] == TODAY
    rows = idou["members"]
    assert [r["name"] for r in rows] == [m["name"] for m in MEMBERS]
    assert [r["relationship"] for r in rows] == ["世帯主", "配偶者", "子", "父母"]
    assert rows[0]["card"] == "有" and rows[1]["card"] == "有" and rows[0]["sex"] == "男"
    kaigo = jobs["kaigo_idou-4"].values  # the member over 65, one sheet for that person
    assert kaigo["subject_name"] == "髙﨑　剛" and kaigo["kaigo_change"] == "資格取得"
    assert kaigo["care_certified"] == "有"
    teate = jobs["jidou_teate"].values
    assert [r["name"] for r in teate["members"]] == ["髙﨑　𠮷"] and teate["spouse_name"] == "髙﨑　花子"
    assert "mynumber_card_change" in jobs
    assert jobs["mynumber_card_change"].values["card_continue"] is True


def test_the_guide_sheet_groups_by_counter_and_marks_this_counter_done(
    catalog: Catalog, fonts: FontSet
) -> None:
    visit, guidance = tennyu(catalog)
    first_counter = guidance.procedures[0].counter.id
    sheet = guide_sheet(visit, guidance, catalog, today=TODAY, here=first_counter)
    assert sheet.household == "髙﨑　𠮷太郎"
    counter_order = list(dict.fromkeys(p.counter.name for p in guidance.procedures))
    assert [c.name for c in sheet.counters] == counter_order
    for counter in sheet.counters:
        # One block per procedure and reason: per-person entries with the same reason are merged.
        here = [(p.procedure.name, p.reason) for p in guidance.procedures if p.counter.name == counter.name]
        expected = [name for (name, _reason), _ in itertools.groupby(here)]
        assert [p.name for p in counter.procedures] == expected
    done = {p.name for c in sheet.counters for p in c.procedures if p.done_today}
    assert done == {p.procedure.name for p in guidance.procedures if p.counter.id == first_counter}
    english = guide_sheet(visit, guidance, catalog, today=TODAY, language="en")
    assert english.counters[0].name == guidance.procedures[0].counter.name_en
    assert render_guide_sheet(english, fonts).page_count >= 1


def test_the_guide_sheet_prints_the_moved_deadline_and_why(catalog: Catalog) -> None:
    # Moved in on Sunday 2025-06-01: the 14 days end on Sunday 6/15, a closed day of the ward.
    data = {
        "format": "madoguchi-visit/1",
        "event": "tennyu",
        "event_date": "2025-06-01",
        "members": MEMBERS[:1],
        "answers": {"new_address": ADDRESS},
    }
    visit, guidance = answered(catalog, data, {("insurance", None): "employee"})
    japanese = guide_sheet(visit, guidance, catalog, today=dt.date(2025, 6, 1))
    todoke = japanese.counters[0].procedures[0]
    assert todoke.name == "転入届" and todoke.deadline == dt.date(2025, 6, 16)
    assert todoke.deadline_note == "期限の6月15日(日)は閉庁日のため、翌開庁日の6月16日(月)まで"
    english = guide_sheet(visit, guidance, catalog, today=dt.date(2025, 6, 1), language="en")
    assert english.counters[0].procedures[0].deadline_note == (
        "The last day, Sunday 15 June, is a closed day: the deadline is the next open day, Monday 16 June"
    )
    # Beside the Japanese, in the resident's language: the same two days, not the Japanese marked.
    for language in ("vi", "ne", "ja-easy"):
        ja_sheet, resident = bilingual_guide(visit, guidance, catalog, language, today=dt.date(2025, 6, 1))
        assert ja_sheet.counters[0].procedures[0].deadline_note == todoke.deadline_note
        theirs = resident.counters[0].procedures[0]
        assert format_date(dt.date(2025, 6, 15), language) in theirs.deadline_note
        assert format_date(dt.date(2025, 6, 16), language) in theirs.deadline_note
        assert todoke.deadline_note not in theirs.untranslated_parts


def test_a_death_fills_the_funeral_benefit_for_the_deceased(catalog: Catalog, renderer: FormRenderer) -> None:
    members = [dict(MEMBERS[1]), dict(MEMBERS[0], source="typed")]
    members[0]["relationship"], members[1]["relationship"] = "spouse", "self"
    members[1]["subject"] = True  # the householder died; his wife is at the counter
    data: dict[str, Any] = {
        "format": "madoguchi-visit/1",
        "event": "shibou",
        "event_date": "2025-03-20",
        "members": members,
        "answers": {},
    }
    visit, guidance = answered(
        catalog, data, {("funeral_date", None): "2025-03-24", ("insurance", None): "kokuho"}
    )
    jobs = form_jobs(visit, guidance, today=TODAY)
    _render_all(renderer, jobs)
    funeral = [j for j in jobs if j.form_id == "sousaihi"]
    assert [j.member for j in funeral] == [1]  # the default catalog pays 葬祭費 for a deceased 国保 member
    values = funeral[0].values
    assert values["subject_name"] == "髙﨑　𠮷太郎" and values["death_date"] == dt.date(2025, 3, 20)
    assert values["funeral_date"] == dt.date(2025, 3, 24)
    assert values["applicant_name"] == "髙﨑　花子" and values["applicant_relationship"] == "配偶者"


def test_forms_render_writes_pdfs_a_guide_and_a_manifest(catalog: Catalog, tmp_path: Path) -> None:
    visit, _ = tennyu(catalog)
    visit_file = tmp_path / "visit.json"
    visit_file.write_text(json.dumps(visit.to_json(), ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli,
        [
            "forms",
            "render",
            "--visit",
            str(visit_file),
            "--out",
            str(out),
            "--language",
            "both",
            "--date",
            "2025-04-14",
        ],
    )
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    kinds = [d["kind"] for d in manifest["documents"]]
    assert kinds.count("guide_sheet") == 2 and "form" in kinds
    assert {d["form"] for d in manifest["documents"] if d["kind"] == "form"} >= {"jumin_idou"}
    for document in manifest["documents"]:
        assert Path(document["path"]).read_bytes().startswith(b"%PDF-") and document["pages"] >= 1
    assert manifest["complete"] is True and manifest["pages"] == sum(
        d["pages"] for d in manifest["documents"]
    )


def test_forms_render_refuses_an_unfinished_visit(tmp_path: Path) -> None:
    visit_file = tmp_path / "visit.json"
    visit_file.write_text(
        json.dumps(
            {
                "format": "madoguchi-visit/1",
                "event": "tennyu",
                "event_date": "2025-04-01",
                "members": MEMBERS,
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        cli, ["forms", "render", "--visit", str(visit_file), "--out", str(tmp_path / "o")]
    )
    assert result.exit_code != 0 and "未回答の質問" in result.output


@pytest.mark.parametrize(("choice", "changes"), [("revert", True), ("keep", False), ("unchanged", False)])
def test_divorce_name_change_is_read_from_the_choice(catalog: Catalog, choice: str, changes: bool) -> None:
    data = {
        "format": "madoguchi-visit/1",
        "event": "rikon",
        "event_date": "2025-04-01",
        "members": [{**MEMBERS[1], "relationship": "self", "subject": True}],
    }
    visit, guidance = answered(catalog, data, {("rikon_name", 0): choice, ("has_mynumber_card", 0): True})
    jobs = {job.form_id: job for job in form_jobs(visit, guidance, today=TODAY)}
    if changes:
        assert jobs["mynumber_card_change"].values["card_change_name"] is True
    else:
        job = jobs.get("mynumber_card_change")
        assert job is None or job.values["card_change_name"] is False


def test_household_answers_reach_every_member_on_the_forms(catalog: Catalog, renderer: FormRenderer) -> None:
    """ "Everyone has a card" answered once for the household fills each member's 有/無 on the 住民異動届,
    and a care certification derived for the 65+ member reaches the 介護保険 form: the forms carry what
    the engine knows, not only what was typed."""
    data = {
        "format": "madoguchi-visit/1",
        "event": "tennyu",
        "event_date": "2025-04-01",
        "members": MEMBERS,
        "answers": {"new_address": ADDRESS},
    }
    visit, guidance = answered(
        catalog,
        data,
        {
            ("household_cards", None): "all",
            ("household_insurance", None): "kokuho",
            ("kaigo_certified", 3): True,
        },
    )
    assert visit.answer("has_mynumber_card", 1) is None  # nobody typed it for the spouse
    assert guidance.known("has_mynumber_card", 1) is True
    jobs = {job.file_stem: job for job in form_jobs(visit, guidance, today=TODAY)}
    _render_all(renderer, list(jobs.values()))
    rows = jobs["jumin_idou"].values["members"]
    assert [r["card"] for r in rows] == ["有", "有", "有", "有"]


@pytest.mark.parametrize(
    ("catalog_name", "insured", "insurer", "amount"),
    [
        # 高確法86条 / 国保法58条: the benefit is paid by the deceased's insurer, in the amount its
        # ordinance sets (the fictional ward: 7万円 for both; the town: 5万円 for both).
        ("default", "kouki", "東京都後期高齢者医療広域連合長(後期高齢者医療)", "70,000円"),
        ("default", "kokuho", "みどり川区長(国民健康保険)", "70,000円"),
        ("sazanami", "kouki", "県後期高齢者医療広域連合長(後期高齢者医療)", "50,000円"),
        ("sazanami", "kokuho", "さざなみ町長(国民健康保険)", "50,000円"),
    ],
)
def test_the_funeral_benefit_form_names_the_insurer_and_amount_that_chose_it(
    catalog_name: str, insured: str, insurer: str, amount: str, renderer: FormRenderer
) -> None:
    catalog = load_catalog(catalog_name)
    deceased = {**MEMBERS[3], "subject": True}  # 髙﨑 剛, born 1949: 75+ on the day of death
    if insured == "kokuho":
        deceased["birth_date"] = "1955-01-07"  # 70: still on 国保
    data = {
        "format": "madoguchi-visit/1",
        "event": "shibou",
        "event_date": "2025-04-01",
        "members": [MEMBERS[0], deceased],
        "answers": {},
    }
    answers: dict[tuple[str, int | None], JsonAnswer] = {
        ("insurance", 1): "kokuho",
        ("funeral_held", None): True,
        ("funeral_date", None): "2025-04-05",
    }
    visit, guidance = answered(catalog, data, answers)
    chosen = {p.id for p in guidance.procedures}
    other = "sousaihi_kokuho" if insured == "kouki" else "sousaihi_kouki"
    assert f"sousaihi_{insured}" in chosen and other not in chosen
    jobs = [job for job in form_jobs(visit, guidance, today=TODAY) if job.form_id == "sousaihi"]
    assert len(jobs) == 1
    assert jobs[0].values["insurer"] == insurer
    assert jobs[0].values["benefit_amount"] == amount
    renderer.render("sousaihi", jobs[0].values)


HOUSEHOLD_OF_THREE: list[dict[str, Any]] = [
    {
        "name": "山田　一郎",
        "birth_date": "1950-01-01",
        "sex": "male",
        "relationship": "self",
        "address": OLD_ADDRESS,
    },
    {"name": "山田　花子", "birth_date": "1952-01-01", "sex": "female", "relationship": "spouse"},
    {"name": "山田　太郎", "birth_date": "1980-01-01", "sex": "male", "relationship": "child"},
]


@pytest.mark.parametrize("event", ["shibou", "tenshutsu"])
def test_the_householder_change_is_for_the_household_that_stays(
    event: str, catalog: Catalog, renderer: FormRenderer
) -> None:
    """住基法25条: when the householder dies or moves out alone and two people aged 15+ stay, the
    household that stays notifies its new householder — on its own form: 異動の種類 世帯変更, the day of
    the change, the members who stay; never the person who left as the new householder or 届出人."""
    members = [{**HOUSEHOLD_OF_THREE[0], "subject": True}, *HOUSEHOLD_OF_THREE[1:]]
    if event == "tenshutsu":
        members = [{**m, "subject": i == 0} for i, m in enumerate(members)]
    data = {
        "format": "madoguchi-visit/1",
        "event": event,
        "event_date": "2025-04-01",
        "members": members,
        "answers": {"new_address": "大阪府大阪市北区梅田1-1-1"},
    }
    visit, guidance = answered(catalog, data, {})
    assert "setainushi_henkou" in guidance.procedure_keys()
    jobs = {job.file_stem: job for job in form_jobs(visit, guidance, today=TODAY)}
    change = jobs["jumin_idou-setainushi_henkou"].values
    assert change["notification_kind"] == "世帯変更"
    assert change["move_date"] == dt.date(2025, 4, 1)
    assert [r["name"] for r in change["members"]] == ["山田　花子", "山田　太郎"]
    assert change["previous_householder_name"] == "山田　一郎"
    assert change["householder_name"] is None and change["applicant_name"] is None
    renderer.render("jumin_idou", change)
    if event == "tenshutsu":  # the 転出届 of the one who leaves is a notification of its own
        moving = jobs["jumin_idou"].values
        assert moving["notification_kind"] == "転出"
        assert [r["name"] for r in moving["members"]] == ["山田　一郎"]


def test_seal_registration_after_moving_in_is_at_the_new_address_and_in_person(
    catalog: Catalog, renderer: FormRenderer
) -> None:
    """印鑑登録 is made at the address the registrant lives at once the 転入届 is in (the card still shows
    the old one; a typed member has none), by the person themself: nobody becomes a 代理人 merely for
    being entered second."""
    data = {
        "format": "madoguchi-visit/1",
        "event": "tennyu",
        "event_date": "2025-04-01",
        "members": MEMBERS[:2],
        "answers": {"new_address": ADDRESS},
    }
    visit, guidance = answered(catalog, data, {("inkan_who", None): "couple"})
    jobs = {job.file_stem: job for job in form_jobs(visit, guidance, today=TODAY)}
    for stem, name in (("inkan_touroku-1", "髙﨑　𠮷太郎"), ("inkan_touroku-2", "髙﨑　花子")):
        values = jobs[stem].values
        assert values["subject_name"] == name
        assert values["subject_address"] == ADDRESS  # not OLD_ADDRESS from the card, not empty
        assert values["applicant_role"] == "本人"
        renderer.render("inkan_touroku", values)
