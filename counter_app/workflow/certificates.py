"""Certificate requests at the counter: what is asked for, and whether it may be issued to this requester.

Options (kind, copies, purpose, what a 住民票の写し shows) and the issuance judgement a certificate
counter makes. The law is the spec:

* 住民基本台帳法12条1項: a person may ask for the 写し of themself or of a member of their own household
  (本人・同一世帯); 12条5項: unless specially asked for, the 写し leaves out 世帯主・続柄, 本籍・筆頭者
  (戸籍の表示), 住民票コード and 個人番号 — so each of the four is a choice the clerk confirms (the
  defaults below only come from the purpose); a 代理人 asks with a 委任状 (12条3項, 施行令15条の2).
* 住民基本台帳法12条の3: anybody else (第三者) may ask with a legitimate purpose (their own right or duty,
  a submission to a public body, another legitimate reason), stated with the request; such a 写し never
  shows the 住民票コード or the 個人番号.
* 戸籍法10条1項: the person on the register, their spouse, lineal ascendants and descendants; 10条3項:
  a 代理人 with a 委任状; 10条の2: anybody else only with the purpose and its reason.
* 戸籍法120条の2 (広域交付, since 1 March 2024): a 戸籍証明書 of another municipality's register, at any
  municipality — only 本人・配偶者・直系, in person (no 代理人, no post), with a photo ID (施行規則).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class CertificateKind(enum.StrEnum):
    JUMINHYO = "juminhyo"  # 住民票の写し
    KOSEKI = "koseki"  # 戸籍証明書(謄本・抄本)of this municipality's register
    KOSEKI_KOUIKI = "koseki_kouiki"  # 戸籍証明書 of another municipality's register (広域交付)


KIND_LABELS = {
    CertificateKind.JUMINHYO: "住民票の写し",
    CertificateKind.KOSEKI: "戸籍証明書(謄本・抄本)",
    CertificateKind.KOSEKI_KOUIKI: "戸籍証明書(広域交付: 本籍が他の市区町村)",
}


class Requester(enum.StrEnum):
    """Who asks, relative to the person the certificate is about."""

    SELF = "self"  # 本人
    SAME_HOUSEHOLD = "same_household"  # 同一世帯の方(住民票)
    SPOUSE_OR_LINEAL = "spouse_or_lineal"  # 配偶者・直系尊属・直系卑属(戸籍)
    AGENT = "agent"  # 代理人(委任状)
    THIRD_PARTY = "third_party"  # 第三者(請求の理由)


REQUESTER_LABELS = {
    Requester.SELF: "本人",
    Requester.SAME_HOUSEHOLD: "同一世帯の方",
    Requester.SPOUSE_OR_LINEAL: "配偶者・直系の親族(父母・祖父母・子・孫)",
    Requester.AGENT: "代理人",
    Requester.THIRD_PARTY: "第三者",
}

CONTENTS = ("householder", "honseki", "juminhyo_code", "mynumber")
CONTENT_LABELS = {
    "householder": "世帯主・続柄",
    "honseki": "本籍・筆頭者",
    "juminhyo_code": "住民票コード",
    "mynumber": "個人番号",
}


@dataclass(frozen=True)
class Purpose:
    id: str
    label: str
    contents: frozenset[str]  # what a 住民票の写し for this purpose usually shows (the clerk confirms)


# Defaults only: the submitting office decides what it needs, so the clerk confirms each item.
PURPOSES: dict[str, Purpose] = {
    p.id: p
    for p in (
        Purpose("license", "運転免許(本籍の記載が必要)", frozenset({"honseki"})),
        Purpose("employer_family", "勤務先(扶養・手当)", frozenset({"householder"})),
        Purpose("inheritance", "相続・登記", frozenset({"householder", "honseki"})),
        Purpose("mynumber_submission", "個人番号の届出(勤務先・年金など)", frozenset({"mynumber"})),
        Purpose("pension", "年金の手続", frozenset({"householder"})),
        Purpose("other", "その他", frozenset()),
    )
}


@dataclass(frozen=True)
class CertificateRequest:
    kind: CertificateKind = CertificateKind.JUMINHYO
    copies: int = 1
    purpose: str = "other"
    purpose_text: str = ""  # 使用目的・提出先 as the requester states it (required for a 第三者)
    contents: frozenset[str] = frozenset()
    requester: Requester = Requester.SELF
    power_of_attorney: bool = False  # 委任状 presented
    in_person: bool = True
    photo_id: bool = False  # a photo ID shown (マイナンバーカード, 運転免許証, パスポート…)

    def with_purpose(self, purpose: str) -> CertificateRequest:
        """A new purpose resets the 住民票 contents to its defaults (the clerk confirms them)."""
        return _replace(self, purpose=purpose, contents=PURPOSES[purpose].contents)


def _replace(request: CertificateRequest, **changes: object) -> CertificateRequest:
    import dataclasses

    return dataclasses.replace(request, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Judgement:
    allowed: bool
    reason: str  # the rule applied, for the clerk (Japanese, with the article)
    needs: tuple[str, ...] = ()  # what must be presented before issuing
    left_out: tuple[str, ...] = ()  # contents that cannot be on this 写し

    def lines(self) -> list[str]:
        head = ("交付できます: " if self.allowed else "交付できません: ") + self.reason
        lines = [head]
        if self.needs:
            lines.append("確認するもの: " + "、".join(self.needs))
        if self.left_out:
            lines.append("記載できない事項: " + "、".join(CONTENT_LABELS[c] for c in self.left_out))
        return lines


class CertificateError(Exception):
    """A request that cannot be made as entered (the message is for the clerk)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


MAX_COPIES = 20


def check(request: CertificateRequest) -> None:
    if not 1 <= request.copies <= MAX_COPIES:
        raise CertificateError(f"通数は1から{MAX_COPIES}までで入力してください")
    if request.purpose not in PURPOSES:
        raise CertificateError("使用目的を選んでください")
    unknown = request.contents - set(CONTENTS)
    if unknown:
        raise CertificateError("記載する事項の指定が正しくありません")


def judge(request: CertificateRequest) -> Judgement:
    """Whether the certificate may be issued to this requester, and on what condition."""
    check(request)
    kind, who = request.kind, request.requester
    if kind is CertificateKind.JUMINHYO:
        return _juminhyo(request)
    if kind is CertificateKind.KOSEKI_KOUIKI:
        # 戸籍法120条の2: 本人・配偶者・直系 only, in person, with a photo ID.
        if who not in (Requester.SELF, Requester.SPOUSE_OR_LINEAL):
            return Judgement(
                False,
                "広域交付は本人・配偶者・直系の親族だけが請求できます(代理人・第三者は本籍地へ)"
                "(戸籍法120条の2)",
            )
        if not request.in_person:
            return Judgement(False, "広域交付は窓口に来た方だけが請求できます(郵送不可)(戸籍法120条の2)")
        if not request.photo_id:
            return Judgement(
                False,
                "広域交付には顔写真付きの本人確認書類が必要です(戸籍法120条の2・施行規則)",
                needs=("顔写真付きの本人確認書類",),
            )
        return Judgement(
            True, "本人・配偶者・直系の親族が窓口で請求(戸籍法120条の2)", ("顔写真付きの本人確認書類",)
        )
    # 戸籍証明書 of this municipality's register
    if who in (Requester.SELF, Requester.SPOUSE_OR_LINEAL):
        return Judgement(True, "本人・配偶者・直系の親族の請求(戸籍法10条1項)", ("本人確認書類",))
    if who is Requester.AGENT:
        return _agent(request, "代理人の請求には委任状が必要です(戸籍法10条3項)")
    if who is Requester.SAME_HOUSEHOLD:
        return Judgement(
            False,
            "同じ世帯でも配偶者・直系の親族でなければ、第三者として理由を示す請求になります(戸籍法10条・10条の2)",
        )
    return _third_party(request, "第三者の請求は、使用目的と理由を明らかにしてください(戸籍法10条の2)")


def _juminhyo(request: CertificateRequest) -> Judgement:
    who = request.requester
    if who in (Requester.SELF, Requester.SAME_HOUSEHOLD, Requester.SPOUSE_OR_LINEAL):
        if who is Requester.SPOUSE_OR_LINEAL:
            return Judgement(
                False,
                "別世帯の親族は、委任状による代理人か、理由を示す第三者の請求になります"
                "(住民基本台帳法12条1項・12条の3)",
            )
        return Judgement(True, "本人・同一世帯の方の請求(住民基本台帳法12条1項)", ("本人確認書類",))
    if who is Requester.AGENT:
        return _agent(request, "代理人の請求には委任状が必要です(住民基本台帳法12条)")
    # 12条の3: no 住民票コード and no 個人番号 on a 写し for a 第三者.
    judgement = _third_party(
        request, "第三者の請求は、使用目的・提出先を明らかにしてください(住民基本台帳法12条の3)"
    )
    left_out = tuple(c for c in ("juminhyo_code", "mynumber") if c in request.contents)
    return Judgement(judgement.allowed, judgement.reason, judgement.needs, left_out)


def _agent(request: CertificateRequest, missing: str) -> Judgement:
    if not request.power_of_attorney:
        return Judgement(False, missing, needs=("委任状", "代理人の本人確認書類"))
    return Judgement(True, "委任状による代理人の請求", ("委任状", "代理人の本人確認書類"))


def _third_party(request: CertificateRequest, missing: str) -> Judgement:
    if not request.purpose_text.strip():
        return Judgement(False, missing, needs=("使用目的・提出先", "請求の理由を示す資料"))
    return Judgement(
        True, "第三者による正当な理由のある請求", ("請求者の本人確認書類", "請求の理由を示す資料")
    )


def form_values(request: CertificateRequest) -> dict[str, object]:
    """Values of the 住民票の写し等交付請求書 (jumin_copy_request) from the request."""
    judgement = judge(request)
    contents = request.contents - set(judgement.left_out)
    purpose = request.purpose_text.strip() or PURPOSES[request.purpose].label
    return {
        "copies": request.copies,
        "certificate_purpose": purpose,
        "include_householder": "householder" in contents,
        "include_honseki": "honseki" in contents,
        "include_mynumber": "mynumber" in contents,
        "include_juminhyo_code": "juminhyo_code" in contents,
        # The form's 請求者の区分 has 本人・同一世帯員・代理人; a 第三者 is written as the relationship.
        "applicant_role": FORM_ROLES.get(request.requester),
        **({"applicant_relationship": "第三者"} if request.requester is Requester.THIRD_PARTY else {}),
    }


FORM_ROLES = {Requester.SELF: "本人", Requester.SAME_HOUSEHOLD: "同一世帯員", Requester.AGENT: "代理人"}
