"""From a visit and its guidance to what is printed: form values (per form) and the guide sheet.

``forms`` knows layouts and a field vocabulary; ``procedures`` knows the household, the answers and
the procedures; this module is the one place that knows both. It is pure: same visit, guidance and
date, same values.

Conventions (documented in docs/forms.md):

* The first member of the visit is the person at the counter (届出人・申請者・請求者).
* A form that a procedure needs is printed once for the household (its rows are the members the
  procedures concern), except the forms about one person (印鑑登録, 介護保険, 葬祭費), printed once per
  person.
* Question ids of the shipped catalog give the values that are not on the card: ``new_address``,
  ``has_mynumber_card``, ``kaigo_certified``, ``funeral_date``, ``insurance``. A municipality's catalog
  that keeps these ids gets the same pre-filling; other boxes stay empty for the resident to write.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from procedures.visit import FormDetails, Member, Relationship, Sex, Source, Visit

if TYPE_CHECKING:  # forms (reportlab) is imported when a sheet or the 外字 are made, not at start-up
    from forms import GuideProcedure, GuideSheet
    from forms.gaiji import Gaiji
    from procedures.catalog import Catalog
    from procedures.engine import Guidance, NeededProcedure

PER_PERSON_FORMS = frozenset({"inkan_touroku", "kaigo_idou", "sousaihi"})
MOVES = {"tennyu": "転入", "tenkyo": "転居", "tenshutsu": "転出"}
KOKUHO_REASONS = {
    "tennyu": "転入",
    "tenshutsu": "転出",
    "tenkyo": "転居",
    "shussei": "出生",
    "shibou": "死亡",
}
KAIGO_REASONS = {"tennyu": "転入", "tenkyo": "転居", "tenshutsu": "転出", "shibou": "死亡"}
INSURANCE_KINDS = {"kokuho": "国民健康保険", "employee": "健康保険(社会保険)"}
CHILD_RELATIONSHIPS = {Relationship.CHILD, Relationship.GRANDCHILD}
# 住民異動届の関連手続欄: which national procedures (by id prefix) tick which box.
RELATED = (
    ("related_kokuho", ("kokuho_", "sousaihi_kokuho", "shussan_ikuji")),
    ("related_nenkin", ("nenkin_", "izoku_kiso_nenkin")),
    ("related_kouki", ("kouki_", "sousaihi_kouki")),
    ("related_kaigo", ("kaigo_",)),
    ("related_jidou", ("jidou_", "kodomo_", "hitorioya_", "hoiku_", "gakudou_")),
    ("related_gakkou", ("tennyuugaku", "tengaku", "shuugaku", "gakkou_")),
    ("related_inkan", ("inkan_",)),
    ("related_card", ("mynumber_",)),
)
NO_DETAILS = FormDetails()


@dataclass(frozen=True, slots=True)
class FormJob:
    """One form to print: its values, the procedures that asked for it, and its person if per-person."""

    form_id: str
    values: dict[str, Any]
    procedures: tuple[str, ...]
    member: int | None = None
    variant: str = ""  # a notification of its own on the same form (世帯主変更 beside a 転出届)

    @property
    def file_stem(self) -> str:
        stem = self.form_id if self.member is None else f"{self.form_id}-{self.member + 1}"
        return f"{stem}-{self.variant}" if self.variant else stem

    def __repr__(self) -> str:
        return f"FormJob(form_id={self.form_id!r}, member={self.member}, values=<redacted>)"


def municipal_gaiji(catalog_dir: Path) -> Gaiji | None:
    """The municipality's registered 外字 (``<catalog folder>/gaiji/``), or ``None`` when it has none.

    The hook between a catalog folder and :func:`forms.load_fonts`; a broken map raises
    :class:`forms.gaiji.GaijiError` with every problem in Japanese.
    """
    from forms.gaiji import GAIJI_DIR, load_gaiji

    folder = catalog_dir / GAIJI_DIR
    return load_gaiji(folder) if folder.is_dir() else None


def _sex(member: Member) -> str:
    return "男" if member.sex is Sex.MALE else "女"


def _relationship(member: Member) -> str:
    return member.relationship.label_ja


def _gendered(member: Member, male: str, female: str) -> str:
    return male if member.sex is Sex.MALE else female


def relation_to(visit: Visit, person: int, subject: int) -> str | None:
    """What ``person`` is to ``subject`` (本人, 妻, 子, 父…), from both relationships to the householder.

    The visit records each member's relationship to the householder only, so a relation between two
    other members is given only where it follows without doubt (the householder's spouse is the
    child of the spouse's parent…). ``None`` where it does not — e.g. the householder's spouse and
    the householder's child (the child may be the spouse's stepchild) — and the box is left for the
    resident to write.
    """
    if person == subject:
        return "本人"
    a, s = visit.members[person], visit.members[subject]
    if s.relationship is Relationship.SELF:  # the subject is the householder: a's own relationship
        match a.relationship:
            case Relationship.SPOUSE:
                return _gendered(a, "夫", "妻")
            case Relationship.PARENT:
                return _gendered(a, "父", "母")
            case Relationship.UNRELATED:
                return None
            case _:
                return a.relationship.label_ja
    if a.relationship is Relationship.SELF:  # the person is the householder: the converse
        match s.relationship:
            case Relationship.SPOUSE:
                return _gendered(a, "夫", "妻")
            case Relationship.CHILD:
                return _gendered(a, "父", "母")
            case Relationship.PARENT:
                return "子"
            case Relationship.SPOUSE_PARENT | Relationship.GRANDPARENT:
                return "子の配偶者" if s.relationship is Relationship.SPOUSE_PARENT else "孫"
            case Relationship.GRANDCHILD:
                return _gendered(a, "祖父", "祖母")
            case Relationship.SIBLING:
                return "兄弟姉妹"
            case Relationship.CHILD_SPOUSE:
                return _gendered(a, "配偶者の父", "配偶者の母")
            case _:
                return None
    certain = {
        (Relationship.SPOUSE, Relationship.SPOUSE_PARENT): "子",
        (Relationship.SPOUSE, Relationship.PARENT): "子の配偶者",
        (Relationship.CHILD, Relationship.PARENT): "孫",
        (Relationship.CHILD, Relationship.CHILD): "兄弟姉妹",
        (Relationship.PARENT, Relationship.CHILD): _gendered(a, "祖父", "祖母"),
    }
    return certain.get((a.relationship, s.relationship))


def _householder(visit: Visit) -> Member | None:
    return next((m for m in visit.members if m.householder), None)


def _answer(visit: Visit, question: str, member: int | None = None) -> Any:
    return visit.answer(question, member)


def _yes_no(value: Any) -> str | None:
    if value is True:
        return "有"
    if value is False:
        return "無"
    return None


def _date(value: Any) -> dt.date | None:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return value if isinstance(value, dt.date) else None


def _person(member: Member, prefix: str) -> dict[str, Any]:
    return {
        f"{prefix}_name": member.name,
        f"{prefix}_kana": member.furigana,
        f"{prefix}_birth_date": member.birth_date,
        f"{prefix}_sex": _sex(member),
    }


def _details(member: Member) -> FormDetails:
    return member.details or NO_DETAILS


def _row(visit: Visit, index: int) -> dict[str, Any]:
    member = visit.members[index]
    has_card = True if member.source is Source.CARD else _answer(visit, "has_mynumber_card", index)
    d = _details(member)
    return {
        "name": member.name,
        "kana": member.furigana,
        "birth_date": member.birth_date,
        "sex": _sex(member),
        "relationship": _relationship(member),
        "card": _yes_no(has_card),
        "cohabiting": "同居",
        # 住民票の記載事項 and a foreign resident's (住基法7条・30条の45), only where the visit has them
        "honseki": d.honseki,
        "hittousha": d.hittousha,
        "juminhyo_code": d.juminhyo_code,
        "nationality": d.nationality,
        "residence_category": d.residence_category.label_ja if d.residence_category else None,
        "residence_status": d.residence_status,
        "residence_expiry": d.residence_expiry,
        "residence_card_number": d.residence_card_number,
        "tsushou": d.tsushou,
        "previous_insurance": d.previous_insurance,
        "insurance_lost_date": d.insurance_lost_date,
    }


POSTCODE = re.compile(r"^\s*〒?\s*([0-9]{3})-?([0-9]{4})[\s　]+(.+)$", re.DOTALL)


def _split_postcode(address: str | None) -> tuple[str | None, str | None]:
    """A new address typed with its postcode first (〒123-4567 東京都…) fills the 〒 box too."""
    if address is None:
        return None, None
    match = POSTCODE.match(address)
    if match is None:
        return None, address
    return f"{match[1]}-{match[2]}", match[3].strip()


def _addresses(visit: Visit) -> dict[str, Any]:
    """住所 (new address for a move), 前住所 and the move itself."""
    applicant = visit.members[0]
    householder = _householder(visit) or applicant
    current = householder.address or applicant.address
    values: dict[str, Any] = {"address": current}
    kind = MOVES.get(visit.event or "")
    if kind is not None:
        new_address = _answer(visit, "new_address")
        postal, new_address = _split_postcode(new_address if isinstance(new_address, str) else None)
        values.update(
            notification_kind=kind,
            move_date=visit.event_date,
            postal_code=postal,
            address=new_address,
            previous_address=current,
            previous_householder_name=householder.name if _householder(visit) else None,
        )
    return values


def common_values(visit: Visit, today: dt.date) -> dict[str, Any]:
    """The values every form shares: the date, the person at the counter, the household, the address."""
    applicant = visit.members[0]
    householder = _householder(visit)
    addresses = _addresses(visit)
    values: dict[str, Any] = {
        "notification_date": today,
        **_person(applicant, "applicant"),
        "applicant_address": addresses.get("address") or applicant.address,
        "applicant_role": "本人",
        "applicant_phone": _details(applicant).phone,
        "identity_document": "マイナンバーカード" if applicant.source is Source.CARD else None,
        "householder_name": householder.name if householder else None,
        "householder_kana": householder.furigana if householder else None,
        **addresses,
    }
    return values


def _registered_address(visit: Visit, index: int) -> str | None:
    """Where ``index`` lives once this visit's notification is made: the new address for a move in or
    within the municipality, else the address already known (the card's, or the householder's)."""
    if visit.event in ("tennyu", "tenkyo"):
        new_address = _answer(visit, "new_address")
        if isinstance(new_address, str) and new_address:
            return _split_postcode(new_address)[1]
    member = visit.members[index]
    householder = _householder(visit)
    return member.address or (householder.address if householder else None)


def _moving_out(visit: Visit) -> dict[str, Any]:
    """転入: how the previous municipality released the household and its 転出予定日 (住基法24条の2)."""
    if visit.event != "tennyu":
        return {}
    proof = None
    if _answer(visit, "from_abroad") is True:
        proof = "国外から"
    elif _answer(visit, "tokurei_tennyu") is True:
        proof = "特例転入(カード)"
    elif _answer(visit, "tokurei_tennyu") is False:
        proof = "転出証明書"
    return {"moving_out_proof": proof, "planned_move_out_date": _date(_answer(visit, "tenshutsu_yotei"))}


def _related(guidance: Guidance, own: Iterable[str]) -> dict[str, Any]:
    """The related-procedures boxes of the 住民異動届: ticked for what else this visit needs."""
    others = [p.id for p in guidance.procedures if p.id not in set(own)]
    return {field: True for field, prefixes in RELATED if any(pid.startswith(prefixes) for pid in others)}


def _claimant(visit: Visit, members: tuple[int, ...]) -> int | None:
    """The 児童手当 請求者: the parent with the higher income (児童手当法4条1項), as the catalog question
    ``teate_claimant`` answered; a lone parent who is the householder or spouse; else ``None`` (left to
    the office rather than guessing)."""
    answer = _answer(visit, "teate_claimant")
    wanted = {"householder": Relationship.SELF, "spouse": Relationship.SPOUSE}.get(str(answer))
    if wanted is not None:
        return next((i for i, m in enumerate(visit.members) if m.relationship is wanted), None)
    children = {visit.members[i].relationship for i in members}
    parents = [
        i for i, m in enumerate(visit.members) if m.relationship in (Relationship.SELF, Relationship.SPOUSE)
    ]
    if len(parents) == 1 and children <= {Relationship.CHILD}:
        return parents[0]
    return None


def college_age(birth: dt.date, on: dt.date) -> bool:
    """大学生年代 under the October 2024 児童手当: past the first 31 March after reaching 18, up to the
    first 31 March after reaching 22 (児童手当法6条1項・施行令; an age is reached the day before the
    birthday, 年齢計算ニ関スル法律)."""

    def end_of_school_year_after(age: int) -> dt.date:
        try:
            birthday = birth.replace(year=birth.year + age)
        except ValueError:  # 29 February
            birthday = dt.date(birth.year + age, 3, 1)
        reached = birthday - dt.timedelta(days=1)
        return dt.date(reached.year if reached.month <= 3 else reached.year + 1, 3, 31)

    return end_of_school_year_after(18) < on <= end_of_school_year_after(22)


def _subject(visit: Visit, index: int) -> dict[str, Any]:
    member = visit.members[index]
    return {**_person(member, "subject"), "subject_address": member.address}


def _form_specific(form_id: str, visit: Visit, members: tuple[int, ...], today: dt.date) -> dict[str, Any]:
    event = visit.event or ""
    rows = [_row(visit, i) for i in members]
    first = members[0] if members else 0
    match form_id:
        case "jumin_idou":
            values: dict[str, Any] = {"members": rows, **_moving_out(visit)}
            return values
        case "jumin_copy_request":
            return {
                "members": [_row(visit, i) for i in range(len(visit.members))],
                "certificate_scope": "世帯全員",
                "include_householder": True,
                "copies": 1,
                "applicant_relationship": "本人",
            }
        case "inkan_touroku":
            values = _subject(visit, first)
            # The seal is registered at the address after the move: a member moving in has no other
            # address here (the card still shows the old one), and typed members none at all.
            registered = _registered_address(visit, first)
            if registered is not None:
                values["subject_address"] = registered
            # Each member who registers applies in person (印鑑登録 needs the person themself, or a
            # 代理人 with a 委任状 — which the clerk chooses, never assumed from the order of entry).
            values.update(
                applicant_role="本人", applicant_name=None, applicant_kana=None, applicant_address=None
            )
            return values
        case "inkan_cert_request":
            return {
                **_subject(visit, first),
                "copies": 1,
                "applicant_role": "本人" if first == 0 else "代理人",
            }
        case "kokuho_idou":
            leaving = event in ("tenshutsu", "shibou")
            return {
                "members": rows,
                "kokuho_change": "脱退" if leaving else "加入",
                "kokuho_reason": KOKUHO_REASONS.get(event, "その他"),
                "move_date": visit.event_date,
                "applicant_relationship": _relationship(visit.members[0]),
            }
        case "jidou_teate" | "kodomo_iryou":
            applicant = visit.members[0]
            values = {"members": rows}
            if form_id == "jidou_teate":
                return _jidou_teate(visit, members)
            else:
                parent = applicant.relationship in (Relationship.SELF, Relationship.SPOUSE) and all(
                    visit.members[i].relationship in CHILD_RELATIONSHIPS for i in members
                )
                insurance = _answer(visit, "insurance", first)
                values.update(
                    applicant_relationship=("父" if applicant.sex is Sex.MALE else "母") if parent else None,
                    insurance_kind=INSURANCE_KINDS.get(insurance) if isinstance(insurance, str) else None,
                )
            return values
        case "kaigo_idou":
            change = (
                "資格取得" if event == "tennyu" else "喪失" if event in ("tenshutsu", "shibou") else "異動"
            )
            return {
                **_subject(visit, first),
                "kaigo_change": change,
                "kaigo_reason": KAIGO_REASONS.get(event, "その他"),
                "move_date": visit.event_date,
                "care_certified": _yes_no(_answer(visit, "kaigo_certified", first)),
                # 被保険者との関係: the applicant's relation to the insured, not to the householder.
                "applicant_relationship": relation_to(visit, 0, first),
            }
        case "mynumber_card_change":
            # konin_name_change is yes/no; rikon_name is a choice where only "revert" changes the name.
            changes_name = any(
                _answer(visit, "konin_name_change", i) is True or _answer(visit, "rikon_name", i) == "revert"
                for i in members
            )
            moved = event in ("tennyu", "tenkyo") or _answer(visit, "address_change") is True
            return {
                "members": rows,
                "card_continue": event == "tennyu",
                "card_change_address": moved,
                "card_change_name": changes_name,
            }
        case "sousaihi":
            deceased = visit.members[first]
            applicant_index = 0 if first != 0 else (1 if len(visit.members) > 1 else 0)
            applicant = visit.members[applicant_index]
            values = {
                **_subject(visit, first),
                "death_date": visit.event_date,
                "funeral_date": _date(_answer(visit, "funeral_date")),
                **_person(applicant, "applicant"),
                "applicant_address": applicant.address or deceased.address,
            }
            if deceased.householder and applicant_index != first:
                values["applicant_relationship"] = _relationship(applicant)
            return values
    return {"members": rows} if rows else {}


def _jidou_teate(visit: Visit, members: tuple[int, ...]) -> dict[str, Any]:
    """児童手当 認定請求書 (October 2024 form): the claimant is the parent with the higher income; the
    rows are the children it is claimed for, then the household's 大学生年代 children (counted for the
    多子加算 when the claimant supports them: the office confirms with the 確認書)."""
    on = visit.event_date or dt.date.today()
    rows = [{**_row(visit, i), "child_kind": "児童"} for i in members]
    claimed = set(members)
    for i, m in enumerate(visit.members):
        if i not in claimed and m.relationship in CHILD_RELATIONSHIPS and college_age(m.birth_date, on):
            rows.append({**_row(visit, i), "child_kind": "大学生年代"})
    values: dict[str, Any] = {"members": rows}
    claimant = _claimant(visit, members)
    if claimant is None:
        # Not settled by the visit: the 請求者 boxes stay for the office, never the first person entered.
        values.update(
            applicant_name=None,
            applicant_kana=None,
            applicant_birth_date=None,
            applicant_sex=None,
            applicant_address=None,
            applicant_phone=None,
            identity_document=None,
        )
        return values
    person = visit.members[claimant]
    spouse_rel = {Relationship.SELF: Relationship.SPOUSE, Relationship.SPOUSE: Relationship.SELF}.get(
        person.relationship
    )
    spouse = next((m for m in visit.members if spouse_rel and m.relationship is spouse_rel), None)
    values.update(
        _person(person, "applicant"),
        applicant_address=_registered_address(visit, claimant),
        applicant_phone=_details(person).phone,
        has_spouse="有" if spouse else None,
        spouse_name=spouse.name if spouse else None,
        spouse_kana=spouse.furigana if spouse else None,
    )
    if claimant != 0:  # the 本人確認 recorded is that of the person at the counter, not the claimant's
        values["identity_document"] = None
    return values


# Procedures whose form is a notification of its own even when another procedure prints the same form:
# the 世帯主変更 of the household that stays is not part of the leaving householder's 転出届.
OWN_NOTIFICATION = frozenset({"setainushi_henkou", "kokuho_setainushi"})


def _remaining(visit: Visit, guidance: Guidance) -> tuple[int, ...]:
    """The members who stay in the household (not the deceased, not those moving out)."""
    return tuple(i for i in range(len(visit.members)) if i not in guidance.subjects)


def _householder_change(visit: Visit, guidance: Guidance, rows: tuple[int, ...]) -> dict[str, Any]:
    """世帯主変更 (住基法25条) for the household that stays: the kind, the date of the change, the
    householder who left; the new householder and the 届出人 are chosen by the household, so they are
    left for the resident to confirm (never the person who died or left)."""
    leaving = next((i for i in guidance.subjects if visit.members[i].householder), None)
    values: dict[str, Any] = {
        # 住民異動届: 異動の種類 世帯変更; 国民健康保険異動届: 区分 世帯主変更 (国保法施行規則10条の2)
        "notification_kind": "世帯変更",
        "kokuho_change": "世帯主変更",
        "kokuho_reason": "世帯変更",
        "move_date": visit.event_date,
        "householder_name": None,
        "applicant_name": None,
        "applicant_kana": None,
        "members": [_row(visit, i) for i in rows],
    }
    if leaving is not None:
        values["previous_householder_name"] = visit.members[leaving].name
    return values


def _concerned(procedure: NeededProcedure, guidance: Guidance) -> tuple[int, ...]:
    return procedure.members or guidance.subjects


def _people(visit: Visit, needed: NeededProcedure) -> tuple[str, ...]:
    """Whom a procedure concerns, by name, when that is not simply the whole household."""
    if not needed.members:
        return ()
    if needed.procedure.scope != "member" and len(needed.members) == len(visit.members):
        return ()
    return tuple(visit.members[i].name for i in needed.members)


def with_known_answers(visit: Visit, guidance: Guidance) -> Visit:
    """The visit with every answer the guidance knows, not only those typed: a household answer
    ("everyone is on 国保", "everyone 15+ has a card") gives each member's value on the forms."""
    for (question, member), value in guidance.known_answers.items():
        if visit.answer(question, member) is None:
            json_value = value.isoformat() if isinstance(value, dt.date) else value
            visit = visit.with_answer(question, json_value, member)
    return visit


def form_jobs(visit: Visit, guidance: Guidance, *, today: dt.date) -> list[FormJob]:
    """The forms the needed procedures ask for, with their values, in the order of the procedures."""
    visit = with_known_answers(visit, guidance)
    groups: dict[tuple[str, int | None, str], tuple[list[int], list[str]]] = {}
    for procedure in guidance.procedures:
        variant = procedure.id if procedure.id in OWN_NOTIFICATION else ""
        members = _remaining(visit, guidance) if variant else _concerned(procedure, guidance)
        for form_id in procedure.forms:
            keys: Iterable[int | None] = members if form_id in PER_PERSON_FORMS else [None]
            for member in keys:
                rows, procedures = groups.setdefault((form_id, member, variant), ([], []))
                for index in [member] if member is not None else members:
                    if index not in rows:
                        rows.append(index)
                if procedure.id not in procedures:
                    procedures.append(procedure.id)
    common = common_values(visit, today)
    by_id = {p.id: p.procedure for p in guidance.procedures}
    jobs = []
    for (form_id, member, variant), (rows, procedures) in groups.items():
        values = {**common, **_form_specific(form_id, visit, tuple(sorted(rows)), today)}
        if variant:
            values.update(_householder_change(visit, guidance, tuple(sorted(rows))))
        if form_id == "jumin_idou":
            values.update(_related(guidance, procedures))
        for procedure_id in procedures:  # the municipality's data for this form (insurer, amount)
            for key, value in by_id[procedure_id].form_values.items():
                values.setdefault(key, value)
        jobs.append(FormJob(form_id, values, tuple(procedures), member, variant))
    return jobs


def guide_sheet(
    visit: Visit,
    guidance: Guidance,
    catalog: Catalog,
    *,
    today: dt.date,
    language: Literal["ja", "en"] = "ja",
    here: str | None = None,
    done: Iterable[str] = (),
    form_titles: dict[str, str] | None = None,
) -> GuideSheet:
    """The guide sheet: procedures grouped by counter in order, marked done at ``here`` or in ``done``."""
    from forms import GuideCounter, GuideProcedure, GuideSheet

    en = language == "en"
    done_ids = set(done)
    declared = catalog.forms
    titles = form_titles or {}
    counters: dict[str, tuple[Any, list[GuideProcedure]]] = {}
    for needed in guidance.procedures:
        p = needed.procedure
        deadline = needed.deadline
        forms = []
        for form_id in needed.forms:
            decl = declared.get(form_id)
            forms.append((decl.name_en if en else decl.name) if decl else titles.get(form_id, form_id))
        entry = GuideProcedure(
            name=p.name_en if en else p.name,
            reason=needed.reason_en if en else needed.reason,
            items_to_bring=tuple(i.name_en if en else i.name for i in needed.items),
            deadline=deadline.date if deadline else None,
            deadline_rule=(deadline.text_en if en else deadline.text) if deadline else "",
            deadline_note=(deadline.note_en if en else deadline.note) if deadline else "",
            done_today=needed.counter.id == here or p.id in done_ids or needed.key in done_ids,
            forms=tuple(forms),
            note=p.note_en if en else p.note,
            people=_people(visit, needed),
        )
        listed = counters.setdefault(needed.counter.id, (needed.counter, []))[1]
        # One block per procedure and reason, naming everyone it concerns (not five identical blocks).
        if listed and entry.people and dataclasses.replace(listed[-1], people=entry.people) == entry:
            listed[-1] = dataclasses.replace(listed[-1], people=listed[-1].people + entry.people)
        else:
            listed.append(entry)
    meta = catalog.meta
    return GuideSheet(
        visit_date=today,
        counters=tuple(
            GuideCounter(c.name_en if en else c.name, c.place_en if en else c.place, tuple(procs))
            for c, procs in counters.values()
        ),
        language=language,
        office=meta.municipality_en if en else meta.municipality,
        household=visit.members[0].name,
    )
