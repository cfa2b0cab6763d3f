"""Facts, deadlines, reason templates, YAML line numbers, conditions and their descriptions."""

from __future__ import annotations

import datetime as dt

import pytest

from procedures.builtin_facts import age_on, school_age_on
from procedures.catalog import load_catalog
from procedures.conditions import (
    ALWAYS,
    AllOf,
    AnswerRef,
    AnyMember,
    Compare,
    ConditionSyntaxError,
    EventIs,
    FactRef,
    Not,
    Op,
    parse_condition,
)
from procedures.deadlines import add_months, deadline_date
from procedures.describe import describe
from procedures.evaluation import Interval, compare_interval, compare_value, kleene_all, kleene_any
from procedures.positions import load_yaml_text
from procedures.schema import DeadlineRule
from procedures.templates import TemplateSyntaxError, placeholders, render

# ---------------------------------------------------------------- ages


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        ("1950-06-02", "2025-06-02", 75),  # the birthday itself
        ("1950-06-03", "2025-06-02", 74),
        ("2000-02-29", "2025-02-28", 24),
        ("2000-02-29", "2025-03-01", 25),
        ("2025-06-02", "2025-06-02", 0),
    ],
)
def test_age(birth: str, on: str, age: int) -> None:
    assert age_on(dt.date.fromisoformat(birth), dt.date.fromisoformat(on)) == age


@pytest.mark.parametrize(
    ("birth", "on", "school_age"),
    [
        ("2019-04-01", "2025-04-01", 6),  # born 4/1: first grade in the year they turn 6
        ("2019-04-02", "2025-04-01", 5),  # born 4/2: a year later
        ("2019-04-02", "2026-03-31", 5),  # unchanged until the school year ends
        ("2019-04-02", "2026-04-01", 6),
        ("2010-07-07", "2025-06-02", 14),  # 中学3年
        ("2007-04-02", "2025-06-02", 17),  # 18 years old but still 高校3年生の年代
        ("2007-04-01", "2025-06-02", 18),
    ],
)
def test_school_age(birth: str, on: str, school_age: int) -> None:
    assert school_age_on(dt.date.fromisoformat(birth), dt.date.fromisoformat(on)) == school_age


# ---------------------------------------------------------------- deadlines


def rule(**fields: object) -> DeadlineRule:
    return DeadlineRule.model_validate({"text": "t", "text_en": "t", **fields})


@pytest.mark.parametrize(
    ("fields", "start", "end"),
    [
        ({"days": 14}, "2025-04-01", "2025-04-15"),  # 民法140条: the first day is not counted
        ({"days": 14, "include_event_day": True}, "2025-04-01", "2025-04-14"),  # 戸籍法43条
        ({"days": 15}, "2025-04-30", "2025-05-15"),  # 児童手当 15日特例 (江戸川区の例)
        ({"months": 3, "include_event_day": True}, "2025-06-02", "2025-09-01"),
        ({"months": 1}, "2025-01-31", "2025-02-28"),
        ({"years": 2}, "2024-02-29", "2026-02-28"),
        ({"before_event": True}, "2025-06-02", "2025-06-02"),
        ({}, "2025-06-02", None),
    ],
)
def test_deadlines(fields: dict[str, object], start: str, end: str | None) -> None:
    expected = dt.date.fromisoformat(end) if end else None
    assert deadline_date(rule(**fields), dt.date.fromisoformat(start)) == expected


def test_deadline_rules_are_checked() -> None:
    with pytest.raises(ValueError, match="どれか1つだけ"):
        rule(days=1, months=1)
    with pytest.raises(ValueError, match="before_event"):
        rule(before_event=True, days=3)
    assert add_months(dt.date(2024, 12, 31), 2) == dt.date(2025, 2, 28)
    assert deadline_date(rule(days=3), None) is None


# ---------------------------------------------------------------- templates


def test_templates() -> None:
    template = "中学生以下のお子さん({count}人)がいるため {{注}}"
    assert list(placeholders(template)) == ["count"]
    assert render(template, lambda name: "2") == "中学生以下のお子さん(2人)がいるため {注}"
    for broken in ("{count", "count}", "{Count}", "{a.b}", "{0}"):
        with pytest.raises(TemplateSyntaxError):
            list(placeholders(broken))


# ---------------------------------------------------------------- YAML with lines


def test_yaml_lines_and_duplicate_keys() -> None:
    doc = load_yaml_text("a: 1\nlist:\n  - x: 1\n    y: 2\n  - {x: 3}\nb: {c: 4}\n", "f.yaml")
    assert doc.problems == ()
    assert doc.data == {"a": 1, "list": [{"x": 1, "y": 2}, {"x": 3}], "b": {"c": 4}}
    assert doc.line_of(("list", 0, "y")) == 4
    assert doc.line_of(("list", 1)) == 5
    assert doc.line_of(("list", 1, "missing")) == 5  # nearest enclosing value
    assert doc.line_of(("b", "c")) == 6
    duplicate = load_yaml_text("a: 1\nb: 2\na: 3\n", "f.yaml")
    assert [(p.line, p.message) for p in duplicate.problems] == [
        (3, "キー「a」が同じ場所に2回書かれています")
    ]
    broken = load_yaml_text("a: [1, 2\nb: 3\n", "f.yaml")
    assert broken.data is None and broken.problems[0].message.startswith("YAMLの書き方に誤りがあります")
    assert load_yaml_text("", "f.yaml").data is None


# ---------------------------------------------------------------- conditions


def test_parse_conditions() -> None:
    parsed = parse_condition(
        {"all": [{"event": "tennyu"}, {"fact": "age", "gte": 65}, {"not": {"answer": "x"}},
                 {"any_member": {"fact": "school_age", "in": [6, 7]}}]}
    )  # fmt: skip
    assert parsed == AllOf(
        (
            EventIs(("tennyu",)),
            Compare(FactRef("age"), Op.GTE, 65),
            Not(Compare(AnswerRef("x"), Op.EQ, True)),
            AnyMember(Compare(FactRef("school_age"), Op.IN, (6, 7))),
        )
    )
    assert parse_condition({"all": []}) == ALWAYS


@pytest.mark.parametrize(
    ("raw", "path", "start"),
    [
        ("age >= 65", (), "条件は「キー: 値」の形で書いてください"),
        ({"fact": "age", "gte": 65, "lt": 75}, ("lt",), "比較は1つだけ書けます"),
        (
            {"all": [{"fact": "age", "between": [1, 2]}]},
            ("all", 0, "between"),
            "「between」は比較に使えません",
        ),
        ({"any": []}, ("any",), "「any」が空です"),
        ({"all": {"fact": "age"}}, ("all",), "「all」には条件のリスト"),
        ({"event": "tennyu", "fact": "age"}, (), "1つの条件に event・fact を並べられません"),
        ({"fact": "age", "in": 3}, ("in",), "「in」には値のリストを書いてください"),
        ({"fact": "age", "eq": [1]}, ("eq",), "比較する値は"),
        ({"not": {"all": [{"x": 1}]}}, ("not", "all", 0), "条件には次のどれか1つが必要です"),
    ],
)
def test_condition_syntax_errors_carry_their_path(raw: object, path: tuple[object, ...], start: str) -> None:
    with pytest.raises(ConditionSyntaxError) as caught:
        parse_condition(raw)
    assert caught.value.path == path
    assert caught.value.message.startswith(start)


def test_three_valued_logic_and_intervals() -> None:
    assert kleene_all([True, None]) is None and kleene_all([False, None]) is False
    assert kleene_any([False, None]) is None and kleene_any([True, None]) is True
    assert compare_interval(Interval(1, 3), Op.GTE, 1) is True
    assert compare_interval(Interval(0, 2), Op.GTE, 1) is None
    assert compare_interval(Interval(0, 2), Op.GT, 2) is False
    assert compare_interval(Interval(2, 2), Op.EQ, 2) is True
    assert compare_interval(Interval(0, 2), Op.IN, (5, 6)) is False
    assert compare_value(True, Op.EQ, 1) is False  # a yes/no answer is never the number 1
    assert compare_value(dt.date(2025, 1, 2), Op.GT, dt.date(2025, 1, 1)) is True


def test_descriptions_for_staff() -> None:
    catalog = load_catalog()
    when = catalog.procedures["kouki_tennyu"].members
    assert when is not None
    assert describe(when, catalog) == "届出の対象の方である かつ 年齢が75以上"
    assert describe(when, catalog, "en") == "is concerned by the event and age ≥ 75"
    assert describe(catalog.procedures["rikon_todoke"].when, catalog) == (
        "届出が「離婚」 かつ 「離婚の方法はどれですか」が「協議離婚(届出で成立)」"
    )
    assert describe(ALWAYS, catalog) == "常に"


@pytest.mark.parametrize("loader", ["SafeLoader", "CSafeLoader"])
@pytest.mark.parametrize(
    ("text", "line", "meaning"),
    [
        ("a: 1\n\tb: 2\n", 2, "タブ文字は使えません"),
        ("a: [1, 2\nb: 3\n", 2, "「[」に対応する「]」がありません"),
        ("a: b: c\n", 1, "「:」の位置が正しくありません"),
        ("a: *x\n", 1, "未定義のエイリアス"),
    ],
)
def test_yaml_syntax_errors_in_japanese_with_either_parser(
    monkeypatch: pytest.MonkeyPatch, loader: str, text: str, line: int, meaning: str
) -> None:
    import yaml

    from procedures import positions

    if not hasattr(yaml, loader):
        pytest.skip(f"PyYAML built without {loader}")
    monkeypatch.setattr(positions, "_Loader", getattr(yaml, loader))
    [problem] = load_yaml_text(text, "f.yaml").problems
    assert problem.line == line
    assert problem.message.startswith(f"YAMLの書き方に誤りがあります: {meaning}")


def test_legal_age_is_reached_on_the_day_before_the_birthday() -> None:
    """年齢計算ニ関スル法律: an age is reached at the end of the day before the birthday; 国民年金
    (20) and 介護保険 (65) start on that day, so on it the person already counts as 20 or 65."""
    from procedures.builtin_facts import age_on, legal_age_on

    born = dt.date(2005, 6, 3)
    assert (age_on(born, dt.date(2025, 6, 2)), legal_age_on(born, dt.date(2025, 6, 2))) == (19, 20)
    assert (age_on(born, dt.date(2025, 6, 1)), legal_age_on(born, dt.date(2025, 6, 1))) == (19, 19)
    assert legal_age_on(born, dt.date(2025, 6, 3)) == 20
    leap = dt.date(1960, 2, 29)  # reaches 65 at the end of 2025-02-28
    assert legal_age_on(leap, dt.date(2025, 2, 28)) == 65
    assert age_on(leap, dt.date(2025, 2, 28)) == 64
