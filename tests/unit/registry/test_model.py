"""Check digits, the search box, birth dates, names and addresses — from the rules, not from the code.

Check digits: 住民記録システム標準仕様書 (宛名番号・世帯番号) and the 住民票コード rule — modulus 11, weights
2–7 from the rightmost digit of the body, check = 11 − remainder, 0 when that is 10 or 11. The expected
digits below are worked by hand from that rule.
"""

from __future__ import annotations

import datetime as dt

import pytest

from counter_app.workflow.registry import (
    AtenaQuery,
    Identity,
    NameQuery,
    RegistryAmbiguousError,
    RegistryNoMatchError,
    RegistryPerson,
    RegistryQueryError,
    RegistryStatus,
    address_agrees,
    differences,
    fold_name,
    household_order,
    mod11_check_digit,
    name_variants,
    parse_birth_date,
    parse_search,
    pick_match,
    relationship_of,
    to_katakana,
    valid_check_digit,
    valid_juminhyo_code,
)
from procedures.visit import Relationship, Sex

TODAY = dt.date(2026, 12, 4)


def person(**changes: object) -> RegistryPerson:
    values: dict[str, object] = {
        "atena_no": "1234567892", "household_no": "50000001", "name": "山田　太郎",
        "birth_date": dt.date(1983, 4, 12), "sex": Sex.MALE, "relationship_label": "世帯主",
        "status": RegistryStatus.RESIDENT, "prefecture": "東京都", "city": "さざなみ区",
        "town": "港町一丁目", "banchi": "3番4号",
    }  # fmt: skip
    values.update(changes)
    return RegistryPerson(**values)  # type: ignore[arg-type]


# --- check digits ------------------------------------------------------------------------------------
def test_check_digit_worked_by_hand() -> None:
    # 1234567892: 9·2 + 8·3 + 7·4 + 6·5 + 5·6 + 4·7 + 3·2 + 2·3 + 1·4 = 174; 174 mod 11 = 9; 11 − 9 = 2
    assert mod11_check_digit("123456789") == 2
    assert valid_check_digit("1234567892")
    assert not valid_check_digit("1234567893")
    # remainder 0: 11 − 0 = 11 → 0
    assert mod11_check_digit("0000000") == 0
    assert mod11_check_digit("6") == 0  # 6·2 = 12, 12 mod 11 = 1 → 11 − 1 = 10 → 0
    assert mod11_check_digit("5") == 1  # 5·2 = 10 → 11 − 10 = 1


def test_weights_cycle_after_seven() -> None:
    # 7 digits of 1: weights 2,3,4,5,6,7,2 = 29; 29 mod 11 = 7; 11 − 7 = 4
    assert mod11_check_digit("1111111") == 4


def test_juminhyo_code_is_eleven_digits_with_its_check_digit() -> None:
    assert valid_juminhyo_code("0123456789" + str(mod11_check_digit("0123456789")))
    assert not valid_juminhyo_code("1234567892")  # 10 digits
    good = "9876543210" + str(mod11_check_digit("9876543210"))
    assert not valid_juminhyo_code(good[:-1] + str((int(good[-1]) + 1) % 10))


# --- the search box --------------------------------------------------------------------------------
def test_name_and_seireki_birth_date() -> None:
    query = parse_search("山田 太郎 19830412", TODAY)
    assert query == NameQuery("山田太郎", False, dt.date(1983, 4, 12))


def test_hiragana_reading_and_wareki_seven_digits() -> None:
    query = parse_search("やまだ たろう 3580412", TODAY)  # 昭和58年4月12日
    assert isinstance(query, NameQuery) and query.reading
    assert query.birth_date == dt.date(1983, 4, 12)
    assert to_katakana(query.text) == "ヤマダタロウ"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("4010108", dt.date(1989, 1, 8)),  # 平成元年1月8日: the first day of 平成
        ("3640107", dt.date(1989, 1, 7)),  # 昭和64年1月7日: the last day of 昭和
        ("5010501", dt.date(2019, 5, 1)),  # 令和元年5月1日
        ("1450729", dt.date(1912, 7, 29)),  # 明治45年7月29日
        ("２０００－０２－２９", dt.date(2000, 2, 29)),  # full-width, leap day
    ],
)
def test_birth_dates_by_era(typed: str, expected: dt.date) -> None:
    assert parse_birth_date(typed, TODAY) == expected


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("3650101", "昭和65年1月1日はありません"),  # 昭和 ended on 64年1月7日
        ("4010107", "平成1年1月7日はありません"),
        ("6010101", "先頭は元号の番号"),
        ("19830230", "存在しない日付"),
        ("20991231", "範囲外"),
        ("83412", "読めません"),
    ],
)
def test_wrong_birth_dates_are_named(typed: str, says: str) -> None:
    with pytest.raises(RegistryQueryError, match=says):
        parse_birth_date(typed, TODAY)


def test_atena_number_alone_needs_its_check_digit() -> None:
    assert parse_search("1234567892", TODAY) == AtenaQuery("1234567892")
    assert parse_search("１２３４５６７８９２", TODAY) == AtenaQuery("1234567892")
    with pytest.raises(RegistryQueryError, match="チェックデジット"):
        parse_search("1234567893", TODAY)


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "入力してください"),
        ("山田太郎", "生年月日"),  # a name alone lists every 山田太郎
        ("19830412 19830413", "生年月日だけでは"),
        ("山田% 19830412", "記号"),
        ("山田* 19830412", "記号"),
        ("山田 19830412 19830413", "1つ"),
    ],
)
def test_no_search_by_one_condition(typed: str, says: str) -> None:
    with pytest.raises(RegistryQueryError, match=says):
        parse_search(typed, TODAY)


def test_a_birth_date_alone_is_read_as_an_atena_number_and_refused_unless_it_checks() -> None:
    # 19830412 as a 宛名番号: 1·2+4·3+0·4+3·5+8·6+9·7+1·2 = 142, mod 11 = 10 → check 1, not 2
    with pytest.raises(RegistryQueryError, match="チェックデジット"):
        parse_search("19830412", TODAY)


# --- names ------------------------------------------------------------------------------------------
def test_name_variants_cover_the_registry_spellings() -> None:
    variants = name_variants("高橋 一郎")
    assert "高橋一郎" in variants and "髙橋一郎" in variants
    assert "𠮷田花子" in name_variants("吉田　花子")
    assert fold_name("山﨑　太郎") == fold_name("山崎 太郎")
    assert fold_name("渡邊") == fold_name("渡辺") == fold_name("渡邉")
    assert fold_name("山田太郎") != fold_name("山田次郎")


def test_name_variants_are_capped() -> None:
    assert len(name_variants("髙﨑齋邊澤濱櫻廣國")) <= 32


def test_relationship_labels_of_the_juminhyo() -> None:
    assert relationship_of("世帯主") is Relationship.SELF
    assert relationship_of("妻") is Relationship.SPOUSE
    assert relationship_of("夫(未届)") is Relationship.SPOUSE
    assert relationship_of("子") is Relationship.CHILD
    assert relationship_of("妻の母") is Relationship.SPOUSE_PARENT
    assert relationship_of("子の妻") is Relationship.CHILD_SPOUSE
    assert relationship_of("兄の子") is Relationship.OTHER_RELATIVE
    assert relationship_of("同居人") is Relationship.UNRELATED


# --- addresses and matching --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "card",
    [
        "東京都さざなみ区港町一丁目3番4号",
        "東京都さざなみ区港町1丁目3-4",
        "東京都さざなみ区港町一丁目３－４",
        "東京都さざなみ区港町一丁目3番地4 さざなみハイツ101",
    ],
)
def test_address_notations_agree(card: str) -> None:
    assert address_agrees(card, person())


@pytest.mark.parametrize("card", ["東京都さざなみ区港町二丁目3番4号", "東京都さざなみ区港町一丁目3番14号"])
def test_other_addresses_do_not(card: str) -> None:
    assert not address_agrees(card, person())


def identity(**changes: object) -> Identity:
    values: dict[str, object] = {
        "name": "山田 太郎", "birth_date": dt.date(1983, 4, 12),
        "address": "東京都さざなみ区港町一丁目3番4号", "sex": Sex.MALE,
    }  # fmt: skip
    values.update(changes)
    return Identity(**values)  # type: ignore[arg-type]


def test_match_needs_name_birth_date_and_address() -> None:
    wanted = person()
    assert pick_match(identity(), [wanted]) is wanted
    with pytest.raises(RegistryNoMatchError, match="住所が住民記録と一致しません"):
        pick_match(identity(address="東京都さざなみ区北原1番1号"), [wanted])
    with pytest.raises(RegistryNoMatchError, match="氏名と生年月日が一致する方がいません"):
        pick_match(identity(name="山田 次郎"), [wanted])
    with pytest.raises(RegistryNoMatchError, match="氏名と生年月日が一致する方がいません"):
        pick_match(identity(birth_date=dt.date(1983, 4, 13)), [wanted])
    with pytest.raises(RegistryNoMatchError, match="住所が必要"):
        pick_match(identity(address=None), [wanted])


def test_two_residents_that_agree_are_refused_not_guessed() -> None:
    twin = person(atena_no="1234567906", household_no="50000019")
    with pytest.raises(RegistryAmbiguousError, match="2人"):
        pick_match(identity(), [person(), twin])


def test_address_picks_one_of_two_namesakes() -> None:
    elsewhere = person(atena_no="1234567906", town="北原", banchi="1番1号")
    assert pick_match(identity(), [elsewhere, person()]).atena_no == "1234567892"


def test_a_current_resident_wins_over_a_removed_record_at_the_same_address() -> None:
    old = person(atena_no="1234567906", status=RegistryStatus.REMOVED)
    assert pick_match(identity(), [old, person()]).status is RegistryStatus.RESIDENT


def test_variant_spelling_matches_and_is_shown_as_a_difference() -> None:
    registered = person(name="髙橋　一郎")
    card = identity(name="高橋 一郎")
    assert pick_match(card, [registered]) is registered
    diffs = differences(card, registered)
    assert [d.item for d in diffs] == ["氏名"]
    assert diffs[0].card == "高橋 一郎" and diffs[0].registry == "髙橋　一郎"


def test_same_details_in_other_notation_are_no_difference() -> None:
    assert differences(identity(address="東京都さざなみ区港町1丁目3-4"), person()) == ()


def test_household_order_householder_first_then_residents_by_age() -> None:
    child = person(atena_no="2", relationship_label="子", birth_date=dt.date(2010, 1, 1))
    wife = person(atena_no="3", relationship_label="妻", birth_date=dt.date(1985, 1, 1))
    gone = person(atena_no="4", relationship_label="子", birth_date=dt.date(2000, 1, 1),
                  status=RegistryStatus.MOVED_OUT)  # fmt: skip
    head = person(atena_no="1", birth_date=dt.date(1990, 1, 1))
    assert [p.atena_no for p in household_order([child, gone, wife, head])] == ["1", "3", "2", "4"]


def test_badges() -> None:
    assert [s.badge for s in RegistryStatus] == ["", "転出", "死亡", "消除"]
    assert RegistryStatus.parse("転出者") is RegistryStatus.MOVED_OUT
    assert RegistryStatus.parse("９") is RegistryStatus.REMOVED


def test_no_personal_data_in_reprs() -> None:
    text = repr(person()) + repr(identity()) + repr(parse_search("山田 太郎 19830412", TODAY))
    assert "山田" not in text and "1983" not in text and "港町" not in text
