"""The certificate counter's issuance judgement, written from the law (not from the code's output):
住民基本台帳法12条・12条の3, 戸籍法10条・10条の2・120条の2; and the 住民票 contents defaulting
from the purpose, each one a choice (12条5項: left out unless asked for)."""

from __future__ import annotations

import dataclasses

import pytest

from counter_app.workflow.certificates import (
    CertificateError,
    CertificateKind,
    CertificateRequest,
    Requester,
    form_values,
    judge,
)

JUMINHYO = CertificateRequest(kind=CertificateKind.JUMINHYO)
KOSEKI = CertificateRequest(kind=CertificateKind.KOSEKI)
KOUIKI = CertificateRequest(kind=CertificateKind.KOSEKI_KOUIKI, photo_id=True)


def ask(request: CertificateRequest, **changes: object) -> bool:
    return judge(dataclasses.replace(request, **changes)).allowed  # type: ignore[arg-type]


def test_juminhyo_self_or_same_household_but_not_another_household_without_more() -> None:
    # 12条1項: 自己又は自己と同一の世帯に属する者.
    assert ask(JUMINHYO, requester=Requester.SELF)
    assert ask(JUMINHYO, requester=Requester.SAME_HOUSEHOLD)
    # A parent living apart is not 同一世帯: an agent with a 委任状, or a third party with a purpose.
    assert not ask(JUMINHYO, requester=Requester.SPOUSE_OR_LINEAL)


def test_an_agent_needs_a_power_of_attorney() -> None:
    refused = judge(dataclasses.replace(JUMINHYO, requester=Requester.AGENT))
    assert not refused.allowed and "委任状" in refused.needs
    assert ask(JUMINHYO, requester=Requester.AGENT, power_of_attorney=True)
    assert not ask(KOSEKI, requester=Requester.AGENT)  # 戸籍法10条3項
    assert ask(KOSEKI, requester=Requester.AGENT, power_of_attorney=True)


def test_a_third_party_states_the_purpose_and_never_gets_the_code_or_the_my_number() -> None:
    request = dataclasses.replace(
        JUMINHYO,
        requester=Requester.THIRD_PARTY,
        contents=frozenset({"mynumber", "juminhyo_code", "householder"}),
    )
    assert not judge(request).allowed  # 12条の3: the purpose must be stated
    stated = dataclasses.replace(request, purpose_text="債権回収のため(貸金返還請求訴訟)")
    judgement = judge(stated)
    assert judgement.allowed
    assert set(judgement.left_out) == {"mynumber", "juminhyo_code"}
    values = form_values(stated)
    assert values["include_mynumber"] is False and values["include_juminhyo_code"] is False
    assert values["include_householder"] is True
    assert values["applicant_relationship"] == "第三者"
    assert not ask(KOSEKI, requester=Requester.THIRD_PARTY)  # 戸籍法10条の2
    assert ask(KOSEKI, requester=Requester.THIRD_PARTY, purpose_text="相続登記のため")


def test_koseki_for_the_person_spouse_and_lineal_relatives() -> None:
    # 戸籍法10条1項: 本人・配偶者・直系尊属・直系卑属.
    assert ask(KOSEKI, requester=Requester.SELF)
    assert ask(KOSEKI, requester=Requester.SPOUSE_OR_LINEAL)
    assert not ask(KOSEKI, requester=Requester.SAME_HOUSEHOLD)  # a sibling in the household is not


def test_kouiki_only_in_person_with_photo_id_and_never_by_an_agent() -> None:
    # 戸籍法120条の2: 広域交付 — 本人・配偶者・直系, in person, with a photo ID.
    assert ask(KOUIKI, requester=Requester.SELF)
    assert ask(KOUIKI, requester=Requester.SPOUSE_OR_LINEAL)
    assert not ask(KOUIKI, requester=Requester.AGENT, power_of_attorney=True)
    assert not ask(KOUIKI, requester=Requester.THIRD_PARTY, purpose_text="相続")
    assert not ask(KOUIKI, requester=Requester.SELF, in_person=False)
    refused = judge(dataclasses.replace(KOUIKI, photo_id=False))
    assert not refused.allowed and refused.needs == ("顔写真付きの本人確認書類",)
    assert "120条の2" in refused.reason


def test_contents_default_from_the_purpose_and_stay_the_clerks_choice() -> None:
    license_ = JUMINHYO.with_purpose("license")
    assert license_.contents == frozenset({"honseki"})  # 運転免許: 本籍の記載
    assert JUMINHYO.with_purpose("other").contents == frozenset()  # 12条5項: left out unless asked
    chosen = dataclasses.replace(license_, contents=license_.contents | {"householder"})
    values = form_values(chosen)
    assert values["include_honseki"] is True and values["include_householder"] is True
    assert values["include_mynumber"] is False
    assert values["certificate_purpose"] == "運転免許(本籍の記載が必要)"


def test_copies_are_checked() -> None:
    with pytest.raises(CertificateError) as error:
        judge(dataclasses.replace(JUMINHYO, copies=0))
    assert error.value.message == "通数は1から20までで入力してください"
