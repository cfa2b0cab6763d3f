"""Base + overlay catalogs: national rules once, a municipality's catalog on top.

A municipality inherits every entry of its base, adds its own, may redefine counters, departments,
sources and forms (its own places and wording), and changes or switches off a national entry only
through ``overrides.yaml`` with a reason that ``catalog check`` shows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from procedures import guide
from procedures.catalog import check_catalog, load_catalog, shipped_catalogs
from procedures.errors import CatalogError, Severity
from tests.unit.procedures.flow import member, visit

BASE_META = """\
format: madoguchi-catalog/1
id: kuni
base: true
municipality: 国の共通ルール
municipality_en: National rules
version: "1"
effective_from: 2025-04-01
sources:
  - {id: juki_hou, title: 住民基本台帳法, url: https://laws.e-gov.go.jp/law/342AC0000000081}
forms:
  - {id: jumin_idou, name: 住民異動届, name_en: Resident move notification}
departments:
  - {id: shimin, name: 市民課, name_en: Citizens Division}
  - {id: kankyo, name: 環境課, name_en: Environment Division}
counters:
  - {id: juminhyo, name: 住民票の窓口, name_en: Resident records, department: shimin}
  - {id: inu, name: 犬の登録の窓口, name_en: Dog registration, department: kankyo}
"""
BASE_EVENTS = """\
events:
  - id: tennyu
    name: 転入
    name_en: Moving in
    date_label: 住み始めた日
    date_label_en: Date of moving in
"""
BASE_QUESTIONS = """\
questions:
  - id: has_dog
    text: 犬を飼っていますか
    text_en: Do you keep a dog?
    type: yes_no
  - id: from_abroad
    text: 国外からの転入ですか
    text_en: Moving in from abroad?
    type: yes_no
"""
BASE_PROCEDURES = """\
procedures:
  - id: tennyu_todoke
    name: 転入届
    name_en: Moving-in notification
    department: shimin
    counter: juminhyo
    when: {event: tennyu}
    reason: 住所を移したため
    reason_en: You moved in
    forms: [jumin_idou]
    deadline:
      days: 14
      text: 住み始めた日から14日以内
      text_en: Within 14 days of moving in
      basis: 住民基本台帳法22条1項
    legal_basis: [{law: 住民基本台帳法, article: 22条}]
    sources: [juki_hou]
  - id: inu_jusho
    name: 犬の所在地変更
    name_en: Dog address change
    department: kankyo
    counter: inu
    when: {all: [{event: tennyu}, {answer: has_dog}]}
    reason: 犬を飼っている方が転入したため
    reason_en: A dog owner moved in
    deadline:
      days: 30
      text: 30日以内
      text_en: Within 30 days
      basis: 狂犬病予防法施行規則
    legal_basis: [{law: 狂犬病予防法, article: 4条}]
    sources: [juki_hou]
  - id: kokugai_tennyu
    name: 国外からの転入
    name_en: Moving in from abroad
    department: shimin
    counter: juminhyo
    when: {all: [{event: tennyu}, {answer: from_abroad}]}
    reason: 国外から転入したため
    reason_en: You moved in from abroad
    legal_basis: [{law: 住民基本台帳法, article: 22条}]
    sources: [juki_hou]
"""
TOWN_META = """\
format: madoguchi-catalog/1
id: town
extends: ../kuni
municipality: テスト町
municipality_en: Test Town
version: "1"
effective_from: 2025-04-01
sources:
  - {id: town_guide, title: 町のくらしの案内, url: https://example.jp/guide}
departments:
  - {id: sougou, name: 総合窓口課, name_en: One-stop Division}
counters:
  - {id: juminhyo, name: 総合窓口, name_en: One-stop counter, department: sougou, place: 1階}
  - {id: suidou, name: 水道の窓口, name_en: Waterworks, department: sougou}
"""
TOWN_QUESTIONS = """\
questions:
  - id: wants_water
    text: 水道を使い始めますか
    text_en: Will you start using tap water?
    type: yes_no
    after: has_dog
"""
TOWN_PROCEDURES = """\
procedures:
  - id: suidou_kaishi
    name: 水道の使用開始
    name_en: Starting the water supply
    department: sougou
    counter: suidou
    when: {all: [{event: tennyu}, {answer: wants_water}]}
    reason: 水道を使い始めるため
    reason_en: You start using tap water
    sources: [town_guide]
"""


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def base(tmp_path: Path) -> Path:
    return write(
        tmp_path / "kuni",
        {
            "catalog.yaml": BASE_META,
            "events.yaml": BASE_EVENTS,
            "questions.yaml": BASE_QUESTIONS,
            "procedures/10-kumin.yaml": BASE_PROCEDURES,
        },
    )


def town(tmp_path: Path, **extra: str) -> Path:
    files = {
        "catalog.yaml": TOWN_META,
        "questions.yaml": TOWN_QUESTIONS,
        "procedures/10-town.yaml": TOWN_PROCEDURES,
    }
    files.update({name.replace("__", "/"): text for name, text in extra.items()})
    return write(tmp_path / "town", files)


def messages(folder: Path, severity: Severity = Severity.ERROR) -> list[str]:
    return [str(i) for i in check_catalog(folder).issues if i.severity is severity]


def test_the_town_inherits_every_national_entry_and_adds_its_own(base: Path, tmp_path: Path) -> None:
    catalog = load_catalog(town(tmp_path))
    assert list(catalog.procedures) == ["tennyu_todoke", "inu_jusho", "kokugai_tennyu", "suidou_kaishi"]
    assert catalog.base_directory == base.resolve()
    assert catalog.is_national("procedure", "tennyu_todoke")
    assert not catalog.is_national("procedure", "suidou_kaishi")
    # The town's own question is asked right after the one it names.
    assert list(catalog.questions) == ["has_dog", "wants_water", "from_abroad"]
    # The town's counter of the same id replaces the base's (its own name and place).
    assert catalog.counters["juminhyo"].name == "総合窓口"
    assert catalog.counters["inu"].name == "犬の登録の窓口"

    household = (
        visit("tennyu", "2025-06-02", member("self", "1990-01-01"))
        .with_answer("has_dog", True)
        .with_answer("wants_water", True)
        .with_answer("from_abroad", False)
    )
    result = guide(catalog, household)
    assert result.procedure_keys() == frozenset({"tennyu_todoke", "inu_jusho", "suidou_kaishi"})


def test_an_id_of_the_base_cannot_be_defined_again(base: Path, tmp_path: Path) -> None:
    again = (
        TOWN_PROCEDURES
        + BASE_PROCEDURES.split("procedures:\n", 1)[1].split("  - id: inu_jusho", maxsplit=1)[0]
    )
    folder = town(tmp_path)
    (folder / "procedures/10-town.yaml").write_text(again, encoding="utf-8")
    found = messages(folder)
    assert any(
        "10-town.yaml:" in m and "手続「tennyu_todoke」は基になるカタログ" in m and "overrides.yaml" in m
        for m in found
    ), found


def test_a_national_procedure_is_switched_off_only_with_a_reason_that_check_shows(
    base: Path, tmp_path: Path
) -> None:
    folder = town(
        tmp_path,
        **{
            "overrides.yaml": (
                "overrides:\n"
                "  - procedure: inu_jusho\n"
                "    disable: true\n"
                "    reason: 犬の登録は県の保健所が受け付けるため\n"
            )
        },
    )
    report = check_catalog(folder)
    assert report.ok, [str(i) for i in report.issues]
    assert "inu_jusho" not in report.catalog.procedures  # type: ignore[union-attr]
    shown = [str(i) for i in report.warnings]
    assert any(
        "overrides.yaml:2:" in m and "inu_jusho" in m and "犬の登録は県の保健所が受け付けるため" in m
        for m in shown
    ), shown

    no_reason = town(
        tmp_path / "b", **{"overrides.yaml": "overrides:\n  - procedure: inu_jusho\n    disable: true\n"}
    )
    (tmp_path / "b" / "kuni").symlink_to(base)
    assert any("reason" in m for m in messages(no_reason)), messages(no_reason)


def test_changes_to_a_national_entry_are_validated_and_reported(base: Path, tmp_path: Path) -> None:
    folder = town(
        tmp_path,
        **{
            "overrides.yaml": (
                "overrides:\n"
                "  - procedure: tennyu_todoke\n"
                "    set: {note: 総合窓口でまとめて受け付けます, note_en: At the one-stop counter}\n"
                "    reason: 総合窓口で受け付けるため\n"
                "  - procedure: inu_jusho\n"
                "    set: {deadline: {days: 60, text: 60日以内, text_en: Within 60 days, basis: 町の規則}}\n"
                "    reason: 町の規則で60日まで受け付けるため\n"
            )
        },
    )
    report = check_catalog(folder)
    assert report.ok, [str(i) for i in report.issues]
    catalog = report.catalog
    assert catalog is not None
    assert catalog.procedures["tennyu_todoke"].note == "総合窓口でまとめて受け付けます"
    assert catalog.procedures["tennyu_todoke"].deadline is not None  # untouched keys stay
    assert [str(i) for i in report.notes] == [
        f"{folder / 'overrides.yaml'}:2: 注記: 国の手続「tennyu_todoke」の note、note_en を変えています"
        " — 理由: 総合窓口で受け付けるため"
    ]
    # A change of the deadline of a national procedure is a warning, with the reason.
    assert any("inu_jusho" in str(i) and "deadline" in str(i) for i in report.warnings)

    bad = town(
        tmp_path / "c",
        **{
            "overrides.yaml": (
                "overrides:\n"
                "  - procedure: tennyu_todoke\n"
                "    set: {counter: nowhere}\n"
                "    reason: 間違い\n"
                "  - procedure: no_such\n"
                "    set: {note: x}\n"
                "    reason: 間違い\n"
                "  - question: has_dog\n"
                "    set: {typo_key: x}\n"
                "    reason: 間違い\n"
            )
        },
    )
    (tmp_path / "c" / "kuni").symlink_to(base)
    found = messages(bad)
    assert any("overrides.yaml:3:" in m and "nowhere" in m for m in found), found
    assert any("overrides.yaml:5:" in m and "no_such" in m for m in found), found
    assert any("overrides.yaml:9:" in m and "typo_key" in m for m in found), found


def test_every_national_procedure_names_its_law_and_deadline_rule(base: Path, tmp_path: Path) -> None:
    no_basis = BASE_PROCEDURES.replace("    legal_basis: [{law: 狂犬病予防法, article: 4条}]\n", "").replace(
        "      basis: 住民基本台帳法22条1項\n", ""
    )
    (base / "procedures/10-kumin.yaml").write_text(no_basis, encoding="utf-8")
    found = messages(town(tmp_path))
    assert any("inu_jusho" in m and "legal_basis" in m for m in found), found
    assert any("tennyu_todoke" in m and "basis" in m and "期限" in m for m in found), found
    # A municipality's own procedure needs neither (its source is its own rule).
    assert not any("suidou_kaishi" in m for m in found), found


def test_a_base_is_not_usable_alone_and_a_missing_base_is_named(base: Path, tmp_path: Path) -> None:
    with pytest.raises(CatalogError) as refused:
        load_catalog(base)
    assert "単独では使えません" in str(refused.value.issues[0])
    assert load_catalog(base, allow_base=True).is_base

    folder = town(tmp_path / "d")
    found = messages(folder)
    assert any("catalog.yaml:3:" in m and "「../kuni」が見つかりません" in m for m in found), found


def test_a_plain_catalog_used_as_base_is_refused(base: Path, tmp_path: Path) -> None:
    (base / "catalog.yaml").write_text(BASE_META.replace("base: true\n", ""), encoding="utf-8")
    found = messages(town(tmp_path))
    assert any("base: true" in m for m in found), found


def test_the_shipped_catalogs_extend_the_national_base() -> None:
    assert "national" not in shipped_catalogs()
    assert "national" in shipped_catalogs(include_bases=True)
    national = load_catalog("national", allow_base=True)
    for name in shipped_catalogs():
        catalog = load_catalog(name)
        assert catalog.base_directory == shipped_catalogs(include_bases=True)["national"]
        # Every national procedure reaches every municipality unless switched off with a reason.
        disabled = {o.ident for o in catalog.overrides if o.disabled}
        assert set(national.procedures) - disabled <= set(catalog.procedures), name
        assert all(o.reason.strip() for o in catalog.overrides)
