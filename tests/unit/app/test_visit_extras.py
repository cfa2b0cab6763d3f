"""整理券 (typed or scanned), 代理人 with 委任状 in the forms' 届出人 fields, procedures added and left out
by hand with their reasons, the back-office note and the certificate request — in the visit, its draft,
the forms and the guide sheet (issue 18)."""

from __future__ import annotations

import datetime as dt

import pypdfium2 as pdfium
import pytest

from counter_app.adapters.card_source import DemoCardSource
from counter_app.adapters.store.records import AuditKind
from counter_app.presenters.kiosk import KioskPresenter, Step, reason_labels
from counter_app.workflow.certificates import CertificateKind, CertificateRequest, Requester
from counter_app.workflow.documents import DocumentService
from counter_app.workflow.tasks import ImmediateRunner
from counter_app.workflow.visit_extras import Representative, VisitExtras, parse_ticket
from counter_app.workflow.visit_fields import form_jobs
from counter_app.workflow.visit_session import VisitSession
from forms import FormRenderer, load_fonts, load_library
from procedures.catalog import load_catalog
from tests.unit.app.kiosk_helpers import Drafts, answer_all, identify
from tests.unit.procedures.flow import any_answer

TODAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "ticket"),
    [
        ("123", "123"),
        ("0045", "0045"),
        ("整理券:0123", "0123"),
        ("T-045", "045"),
        ("１２３", "123"),
        ("No.7", "7"),
    ],
)
def test_ticket_numbers_typed_or_scanned(text: str, ticket: str) -> None:
    assert parse_ticket(text) == ticket


@pytest.mark.parametrize("text", ["", "abc", "1234567", "MDG1:xyz", "東京都千代田区千代田1-1"])
def test_not_a_ticket(text: str) -> None:
    assert parse_ticket(text) is None


def _kiosk() -> KioskPresenter:
    return KioskPresenter(
        load_catalog(), DemoCardSource(), ImmediateRunner(), drafts=Drafts(), today=lambda: TODAY
    )


def _certificate_visit(kiosk: KioskPresenter) -> VisitSession:
    identify(kiosk)
    answer_all(kiosk, "shoumei", {"want_juminhyo": True})
    assert kiosk.session is not None
    return kiosk.session


def test_a_scanned_ticket_is_taken_as_the_visits_number_and_bad_input_is_told() -> None:
    kiosk = _kiosk()
    identify(kiosk)
    kiosk.qr_scanned("整理券:0123")  # the ticket's QR code through the scanner
    assert kiosk.session is not None and kiosk.session.extras.ticket == "0123"
    assert kiosk.view.value.banner == "整理券番号 0123"
    assert not kiosk.set_ticket("12a")
    assert kiosk.extras.value.error == "整理券の番号は数字6桁までで入力してください"
    assert kiosk.session.extras.ticket == "0123"


class _Audit:
    def __init__(self) -> None:
        self.events: list[tuple[AuditKind, str | None, str]] = []

    def visit_finished(self, *args: object) -> None:
        pass

    def audit(self, kind: AuditKind, visit_id: str | None, reason: str = "") -> None:
        self.events.append((kind, visit_id, reason))


def test_extras_survive_the_draft_and_are_cleared_with_the_visit() -> None:
    kiosk = _kiosk()
    audit = _Audit()
    kiosk.visit_log = audit
    session = _certificate_visit(kiosk)
    assert kiosk.set_ticket("45")
    assert kiosk.set_note("転出証明書は後日郵送で提出")
    assert kiosk.set_representative(Representative("代理\u3000太郎", "東京都千代田区千代田1-1", "知人", True))
    assert kiosk.add_procedure("inkan_touroku", "本人の希望")
    assert not kiosk.add_procedure("inkan_touroku", " ")
    assert kiosk.extras.value.error == "手続を追加する理由を入力してください"
    added = [e for e in audit.events if e[0] is AuditKind.PROCEDURE_ADDED]
    assert added == [
        (AuditKind.PROCEDURE_ADDED, session.visit_id, "inkan_touroku")
    ]  # the id, never the reason
    data = session.to_draft("review")
    again, _ = VisitSession.from_draft(kiosk.catalog, data)
    assert again.extras == session.extras
    kiosk.cancel("resident_request")
    assert kiosk.extras.value.extras == VisitExtras()


def test_the_certificate_judgement_is_shown_to_the_clerk() -> None:
    kiosk = _kiosk()
    _certificate_visit(kiosk)
    request = CertificateRequest(
        CertificateKind.KOSEKI_KOUIKI, requester=Requester.AGENT, power_of_attorney=True
    )
    assert kiosk.set_certificate(request)
    lines = kiosk.extras.value.judgement
    assert lines[0].startswith("交付できません: 広域交付は本人・配偶者・直系の親族だけが請求できます")
    assert not kiosk.set_certificate(CertificateRequest(copies=99))
    assert kiosk.extras.value.error == "通数は1から20までで入力してください"


def _text(pdf: bytes) -> str:
    document = pdfium.PdfDocument(pdf)
    try:
        return "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    finally:
        document.close()


def test_forms_name_the_agent_as_requester_and_the_guide_sheet_lists_the_extras() -> None:
    kiosk = _kiosk()
    session = _certificate_visit(kiosk)
    kiosk.set_ticket("0045")
    kiosk.set_note("本人確認書類の写しを添付")
    kiosk.set_representative(Representative("代理\u3000太郎", "東京都千代田区千代田1-1", "知人", True))
    kiosk.add_procedure("inkan_touroku", "本人の希望")
    request = CertificateRequest(
        requester=Requester.AGENT,
        power_of_attorney=True,
        copies=2,
        purpose="license",
        contents=frozenset({"honseki"}),
    )
    kiosk.set_certificate(request)
    summary = kiosk.extras.value.summary  # what the review step shows before printing
    assert summary[:2] == ("整理券番号 0045", "代理人による手続(代理\u3000太郎・委任状あり)")
    assert "担当課への連絡: 本人確認書類の写しを添付" in summary
    guidance = session.guidance()
    chosen = session.chosen(guidance)
    jobs = {job.form_id: job for job in form_jobs(session.visit(), guidance, today=TODAY)}
    assert "jumin_copy_request" in jobs
    values = session.extras.form_values("jumin_copy_request", jobs["jumin_copy_request"].values)
    assert values["applicant_name"] == "代理\u3000太郎"  # the 届出人 is the agent, not the first member
    assert values["applicant_role"] == "代理人"
    assert values["applicant_relationship"] == "知人"
    assert values["copies"] == 2 and values["include_honseki"] is True and values["include_mynumber"] is False
    catalog = kiosk.catalog
    fonts = load_fonts()
    service = DocumentService(catalog, FormRenderer(load_library([]), fonts), fonts)
    left_out = reason_labels({guidance.procedures[-1].key: "later_visit"})
    papers = service.build(
        session.visit(), guidance, chosen, TODAY, extras=session.extras, deselected=left_out
    )
    guide = _text(papers.documents[-1].pdf)
    assert "今回は手続しない" in guide and "後日あらためて来庁" in guide
    for expected in (
        "整理券番号",
        "0045",
        "代理人による手続",
        "委任状あり",
        "本人の希望",
        "本人確認書類の写しを添付",
    ):
        assert expected in guide, expected
    form = next(d for d in papers.documents if d.kind == "jumin_copy_request")
    assert "代理" in _text(form.pdf)


def test_a_move_notified_by_an_agent_names_the_agent_as_notifier() -> None:
    kiosk = _kiosk()
    identify(kiosk)
    kiosk.choose_event("tennyu")
    kiosk.set_representative(Representative("代理\u3000太郎", "東京都千代田区千代田1-1", "知人", True))
    kiosk.household_done()
    while kiosk.view.value.step is Step.QUESTIONS:
        pending = kiosk.questions.value.question
        assert pending is not None
        kiosk.answer(any_answer(pending.question))
    session = kiosk.session
    assert session is not None
    jobs = {job.form_id: job for job in form_jobs(session.visit(), session.guidance(), today=TODAY)}
    values = session.extras.form_values("jumin_idou", jobs["jumin_idou"].values)
    assert values["applicant_name"] == "代理\u3000太郎" and values["applicant_role"] == "代理人"
    assert values["applicant_kana"] is None  # never the first member's furigana under the agent's name
    # The person concerned stays in the rows of the form.
    assert [row["name"] for row in values["members"]] == ["窓口\u3000花子"]
    kiosk.set_representative(None)
    plain = session.extras.form_values("jumin_idou", jobs["jumin_idou"].values)
    assert plain["applicant_name"] == "窓口\u3000花子" and plain["applicant_role"] == "本人"
