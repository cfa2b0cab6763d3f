"""What a visit carries besides the household and the answers (issue 18, item 10).

* the 整理券 number (typed, or read from the ticket's QR code / barcode by the same scanner): printed
  on the guide sheet so each counter calls the same number;
* a 代理人 (the 届出人 is not the person concerned) with a 委任状: the forms' 届出人・申請者 fields name the
  代理人 and tick 代理人 (住民基本台帳法12条・戸籍法10条3項 for certificates; for notifications the
  届出人 signs, and a 代理人's authority is shown by the 委任状);
* procedures added by the clerk by hand, with the reason (recorded, on the guide sheet), next to those
  left out (``VisitSession.deselected``);
* a note for the back office (on the guide sheet, which travels with the resident to each counter);
* a certificate request (:mod:`counter_app.workflow.certificates`).

Pure values; :class:`~counter_app.workflow.visit_session.VisitSession` keeps one and saves it in the draft.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any

from counter_app.workflow import certificates
from counter_app.workflow.certificates import CertificateKind, CertificateRequest, Requester

MAX_NOTE = 200
_TICKET = re.compile(
    r"^(?:整理券|整理番号|受付番号|TICKET|NO\.?|No\.?|T)?[\s:：#＃-]*(\d{1,6})$", re.IGNORECASE
)


class ExtrasError(Exception):
    """Bad input for the extras; ``message`` is for the clerk."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_ticket(text: str) -> str | None:
    """The 整理券 number in ``text`` (typed, or a ticket's QR / barcode: ``123``, ``整理券:0123``,
    ``T-045``); None when ``text`` is not a ticket. Leading zeros are kept as printed on the ticket."""
    normal = unicodedata.normalize("NFKC", text).strip()
    match = _TICKET.match(normal)
    return match.group(1) if match else None


@dataclass(frozen=True)
class Representative:
    """The person at the counter when they are not the person concerned (代理人)."""

    name: str
    address: str = ""
    relationship: str = ""  # to the person concerned (e.g. 知人, 勤務先, 司法書士)
    power_of_attorney: bool = False  # 委任状 presented


@dataclass(frozen=True)
class VisitExtras:
    ticket: str = ""
    note: str = ""
    representative: Representative | None = None
    added: dict[str, str] = field(default_factory=dict)  # procedure id -> reason (added by hand)
    certificate: CertificateRequest | None = None

    # --- changes (each checked) ------------------------------------------------------------------
    def with_ticket(self, text: str) -> VisitExtras:
        if not text.strip():
            return replace(self, ticket="")
        ticket = parse_ticket(text)
        if ticket is None:
            raise ExtrasError("整理券の番号は数字6桁までで入力してください")
        return replace(self, ticket=ticket)

    def with_note(self, text: str) -> VisitExtras:
        note = " ".join(text.split())
        if len(note) > MAX_NOTE:
            raise ExtrasError(f"担当課への連絡は{MAX_NOTE}文字までにしてください")
        return replace(self, note=note)

    def with_representative(self, representative: Representative | None) -> VisitExtras:
        if representative is not None and not representative.name.strip():
            raise ExtrasError("代理人の氏名を入力してください")
        return replace(self, representative=representative)

    def with_added(self, procedure_id: str, reason: str) -> VisitExtras:
        if not reason.strip():
            raise ExtrasError("手続を追加する理由を入力してください")
        return replace(self, added={**self.added, procedure_id: reason.strip()})

    def without_added(self, procedure_id: str) -> VisitExtras:
        return replace(self, added={k: v for k, v in self.added.items() if k != procedure_id})

    def with_certificate(self, request: CertificateRequest | None) -> VisitExtras:
        if request is not None:
            try:
                certificates.check(request)
            except certificates.CertificateError as exc:
                raise ExtrasError(exc.message) from None
        return replace(self, certificate=request)

    # --- on paper --------------------------------------------------------------------------------
    def guide_notes(self, procedure_names: dict[str, str], left_out: dict[str, str]) -> tuple[str, ...]:
        """Lines for the guide sheet: ticket, 代理人, procedures added or left out by hand, the note."""
        notes = []
        if self.ticket:
            notes.append(f"整理券番号 {self.ticket}")
        if self.representative is not None:
            poa = "委任状あり" if self.representative.power_of_attorney else "委任状なし"
            notes.append(f"代理人による手続({self.representative.name}・{poa})")
        for procedure_id, reason in self.added.items():
            notes.append(
                f"窓口で追加した手続: {procedure_names.get(procedure_id, procedure_id)}(理由: {reason})"
            )
        for name, reason in left_out.items():
            notes.append(f"今回は手続しない: {name}(理由: {reason})")
        if self.certificate is not None:
            request = self.certificate
            notes.append(
                f"証明書: {certificates.KIND_LABELS[request.kind]} {request.copies}通"
                f"(使用目的: {request.purpose_text or certificates.PURPOSES[request.purpose].label})"
            )
        if self.note:
            notes.append(f"担当課への連絡: {self.note}")
        return tuple(notes)

    def form_values(self, form_id: str, values: dict[str, Any]) -> dict[str, Any]:
        """``values`` of one form with the 代理人 as 届出人 and the certificate request's options."""
        out = dict(values)
        agent = self.representative
        if agent is not None and "applicant_name" in out:
            # The 届出人 is the 代理人, not the first member: the form says so in its 届出人 fields.
            out.update(
                applicant_name=agent.name,
                applicant_kana=None,
                applicant_address=agent.address or None,
                applicant_role="代理人",
                applicant_relationship=agent.relationship or "代理人",
                applicant_phone=None,
                identity_document=None,
            )
        request = self.certificate
        if (
            form_id == "jumin_copy_request"
            and request is not None
            and request.kind is CertificateKind.JUMINHYO
        ):
            out.update(certificates.form_values(request))
            if agent is not None:
                out.update(applicant_role="代理人", applicant_relationship=agent.relationship or "代理人")
        return out

    # --- draft -----------------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        agent = self.representative
        request = self.certificate
        return {
            "ticket": self.ticket,
            "note": self.note,
            "representative": None
            if agent is None
            else [agent.name, agent.address, agent.relationship, agent.power_of_attorney],
            "added": dict(self.added),
            "certificate": None
            if request is None
            else {
                "kind": request.kind.value,
                "copies": request.copies,
                "purpose": request.purpose,
                "purpose_text": request.purpose_text,
                "contents": sorted(request.contents),
                "requester": request.requester.value,
                "power_of_attorney": request.power_of_attorney,
                "in_person": request.in_person,
                "photo_id": request.photo_id,
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> VisitExtras:
        if not data:
            return cls()
        agent = data.get("representative")
        cert = data.get("certificate")
        return cls(
            ticket=str(data.get("ticket", "")),
            note=str(data.get("note", "")),
            representative=None
            if not agent
            else Representative(str(agent[0]), str(agent[1]), str(agent[2]), bool(agent[3])),
            added={str(k): str(v) for k, v in dict(data.get("added", {})).items()},
            certificate=None
            if not cert
            else CertificateRequest(
                kind=CertificateKind(cert["kind"]),
                copies=int(cert["copies"]),
                purpose=str(cert["purpose"]),
                purpose_text=str(cert.get("purpose_text", "")),
                contents=frozenset(str(c) for c in cert.get("contents", [])),
                requester=Requester(cert["requester"]),
                power_of_attorney=bool(cert.get("power_of_attorney")),
                in_person=bool(cert.get("in_person", True)),
                photo_id=bool(cert.get("photo_id")),
            ),
        )
