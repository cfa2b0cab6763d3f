"""QR pre-fill through the kiosk presenter: nothing read is lost, another household is never merged
silently (issue 17). Multi-part sets are framed small so that every case has several parts."""

from __future__ import annotations

import datetime as dt

from counter_app.adapters.card_source import DemoCardSource
from counter_app.presenters.kiosk import KioskPresenter, Step
from counter_app.workflow.tasks import ImmediateRunner
from procedures.catalog import load_catalog
from procedures.prefill import base45
from procedures.prefill.document import compress_document, document_json
from procedures.prefill.parts import frame_parts
from procedures.visit import Member, Relationship, Sex, Visit
from tests.unit.app.kiosk_helpers import Drafts, identify
from tests.unit.prefill.samples import six_member_visit

CATALOG = load_catalog()


def kiosk(drafts: Drafts | None = None) -> KioskPresenter:
    return KioskPresenter(
        CATALOG, DemoCardSource(), ImmediateRunner(), drafts=drafts, today=lambda: dt.date(2026, 11, 23)
    )


def parts(visit: Visit, chunk: int = 40) -> list[str]:
    """The set's codes, cut into small parts (several per set)."""
    document = document_json(visit, CATALOG.id, CATALOG.meta.version, dt.date(2026, 11, 20))
    return frame_parts(compress_document(document), chunk)


def four() -> Visit:
    visit = six_member_visit()
    return visit.model_copy(update={"members": visit.members[:4]})


def other_household() -> Visit:
    people = (
        ("鈴木 一郎", dt.date(1970, 2, 3), Sex.MALE, Relationship.SELF),
        ("鈴木 和子", dt.date(1972, 8, 9), Sex.FEMALE, Relationship.SPOUSE),
        ("鈴木 健太", dt.date(2005, 1, 20), Sex.MALE, Relationship.CHILD),
    )
    members = tuple(
        Member(name=n, birth_date=b, sex=s, relationship=r, is_householder=r is Relationship.SELF)
        for n, b, s, r in people
    )
    return Visit(event="tennyu", event_date=dt.date(2026, 11, 1), members=members)


def names(presenter: KioskPresenter) -> list[str]:
    assert presenter.session is not None
    return [m.name for m in presenter.session.members]


def tamper(text: str) -> str:
    """One byte of the chunk changed: the part's own check fails (a misread)."""
    body = bytearray(base45.decode(text[5:]))
    body[8] ^= 0x01
    return text[:5] + base45.encode(bytes(body))


def test_a_set_in_any_order_fills_the_visit() -> None:
    presenter = kiosk()
    codes = parts(four())
    assert len(codes) >= 3
    for code in reversed(codes):
        presenter.qr_scanned(code)
    assert names(presenter) == [m.name for m in four().members]
    assert presenter.view.value.step is Step.HOUSEHOLD


def test_foreign_codes_between_parts_are_reported_and_lose_nothing() -> None:
    presenter = kiosk()
    first, *rest = parts(four())
    presenter.qr_scanned(first)
    for foreign in ("MDG1:ABCDEF0123", b"https://example.jp/kurashi", "000201010211"):
        presenter.qr_scanned(foreign)
        error = presenter.view.value.error
        assert "事前入力のQRコードではありません" in error or "URL" in error or "支払い" in error
        assert "読み取り済みのQRコードはそのまま" in error
        assert presenter.session is None or not presenter.session.members
    assert "窓口で印刷した書類" in kiosk_error_for(presenter, "MDG1:ABCDEF0123")
    for code in rest:
        presenter.qr_scanned(code)
    assert names(presenter) == [m.name for m in four().members]
    assert presenter.view.value.error == ""


def kiosk_error_for(presenter: KioskPresenter, scan: str) -> str:
    presenter.qr_scanned(scan)
    return presenter.view.value.error


def test_a_misread_part_is_reported_and_the_set_still_completes() -> None:
    presenter = kiosk()
    codes = parts(four())
    presenter.qr_scanned(codes[0])
    presenter.qr_scanned(tamper(codes[1]))
    assert "正しく読み取れませんでした" in presenter.view.value.error
    missing = presenter.view.value.banner
    assert f"2/{len(codes)}" in missing  # still to read: the misread part
    for code in codes[1:]:
        presenter.qr_scanned(code)
    assert names(presenter) == [m.name for m in four().members]


def test_parts_of_another_household_are_kept_apart_and_never_mixed_in() -> None:
    presenter = kiosk()
    ours, theirs = parts(four()), parts(other_household())
    presenter.qr_scanned(ours[0])
    presenter.qr_scanned(theirs[0])
    assert "別の組のQRコード" in presenter.view.value.error
    assert "読み取り済みのQRコードはそのまま" in presenter.view.value.error
    for code in ours[1:]:
        presenter.qr_scanned(code)
    assert names(presenter) == [m.name for m in four().members]  # only ours
    assert presenter.view.value.qr_offer == ""
    # The other household's parts were kept: finishing that set offers it, never merges it.
    for code in theirs[1:]:
        presenter.qr_scanned(code)
    assert names(presenter) == [m.name for m in four().members]
    assert "新しい受付" in presenter.view.value.qr_offer and "3人分" in presenter.view.value.qr_offer


def test_a_second_complete_household_is_offered_not_merged_then_added_on_request() -> None:
    presenter = kiosk()
    for code in parts(four()):
        presenter.qr_scanned(code)
    for code in parts(other_household()):
        presenter.qr_scanned(code)
    assert len(names(presenter)) == 4
    assert presenter.view.value.qr_offer
    presenter.qr_offer_add()
    assert presenter.view.value.qr_offer == ""
    expected = [m.name for m in four().members] + [m.name for m in other_household().members]
    assert sorted(names(presenter)) == sorted(expected)  # the clerk asked for it: seven members
    assert presenter.session is not None
    assert sum(m.relationship is Relationship.SELF for m in presenter.session.members) == 1


def test_a_second_household_as_a_new_visit_puts_the_first_aside() -> None:
    drafts = Drafts()
    presenter = kiosk(drafts)
    for code in parts(four()):
        presenter.qr_scanned(code)
    assert presenter.session is not None
    first_visit = presenter.session.visit_id
    for code in parts(other_household()):
        presenter.qr_scanned(code)
    presenter.qr_offer_new_visit()
    assert presenter.session is not None and presenter.session.visit_id != first_visit
    assert names(presenter) == [m.name for m in other_household().members]
    assert presenter.view.value.qr_offer == ""
    assert len(drafts.saved[first_visit]["members"]) == 4  # resumable from the waiting screen
    assert any(r.visit_id == first_visit for r in presenter.view.value.recoveries)


def test_a_second_household_dismissed_changes_nothing() -> None:
    presenter = kiosk()
    for code in parts(four()):
        presenter.qr_scanned(code)
    for code in parts(other_household()):
        presenter.qr_scanned(code)
    presenter.qr_offer_dismiss()
    assert presenter.view.value.qr_offer == ""
    assert names(presenter) == [m.name for m in four().members]


def test_the_same_set_again_is_not_applied_twice() -> None:
    presenter = kiosk()
    codes = parts(four())
    for code in codes:
        presenter.qr_scanned(code)
    for code in codes:
        presenter.qr_scanned(code)
    assert names(presenter) == [m.name for m in four().members]
    assert presenter.view.value.qr_offer == ""
    assert "すでに受付に反映" in presenter.view.value.banner


def _card_member(presenter: KioskPresenter) -> None:
    identify(presenter)
    presenter.choose_event("tennyu")
    assert presenter.view.value.step is Step.HOUSEHOLD


def test_after_a_card_the_cardholders_own_household_is_applied() -> None:
    presenter = kiosk()
    _card_member(presenter)
    card = presenter.session.members[0] if presenter.session else None
    assert card is not None
    household = Visit(
        event="tennyu",
        event_date=dt.date(2026, 11, 1),
        members=(
            Member(
                name=card.name,
                birth_date=card.birth_date,
                sex=card.sex,
                relationship=Relationship.SELF,
                is_householder=True,
            ),
            Member(
                name="窓口 太郎",
                birth_date=dt.date(2015, 5, 5),
                sex=Sex.MALE,
                relationship=Relationship.CHILD,
                is_householder=False,
            ),
        ),
    )
    for code in parts(household):
        presenter.qr_scanned(code)
    assert presenter.view.value.qr_offer == ""
    assert names(presenter) == [card.name, "窓口 太郎"]


def test_after_a_card_a_household_without_the_cardholder_is_offered() -> None:
    presenter = kiosk()
    _card_member(presenter)
    for code in parts(other_household()):
        presenter.qr_scanned(code)
    assert presenter.view.value.qr_offer
    assert len(names(presenter)) == 1


def test_a_complete_set_while_another_is_being_read_is_offered_and_both_are_kept() -> None:
    presenter = kiosk()
    ours = parts(four())
    [single] = parts(other_household(), chunk=400)  # one code
    presenter.qr_scanned(ours[0])
    presenter.qr_scanned(single)
    assert presenter.session is None or not presenter.session.members  # nothing applied by itself
    assert "この組で受付を始めますか" in presenter.view.value.qr_offer
    assert not presenter.view.value.qr_offer_can_add
    presenter.qr_offer_new_visit()
    assert names(presenter) == [m.name for m in other_household().members]
    for code in ours[1:]:  # the set under way kept its part 1
        presenter.qr_scanned(code)
    assert names(presenter) == [m.name for m in other_household().members]
    assert "4人分" in presenter.view.value.qr_offer and presenter.view.value.qr_offer_can_add


def test_a_members_own_code_joins_the_visit_started_by_card() -> None:
    """A spouse's code made at home (only the spouse, as 配偶者) joins the householder's visit started
    by card: it names no householder of its own, so it is not another household."""
    k = kiosk()
    identify(k)
    k.choose_event("tennyu")
    spouse = Member(
        name="試験 一郎",
        birth_date=dt.date(1979, 9, 30),
        sex=Sex.MALE,
        relationship=Relationship.SPOUSE,
        is_householder=False,
    )
    for code in parts(Visit(members=(spouse,))):
        k.qr_scanned(code)
    assert k.view.value.qr_offer == ""
    assert k.session is not None
    # The person at the counter stays first (the 届出人 on the forms); the spouse follows.
    assert [m.name for m in k.session.members] == ["窓口\u3000花子", "試験 一郎"]
