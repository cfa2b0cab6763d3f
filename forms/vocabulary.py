"""The field vocabulary: every value a form layout can bind, with its kind and Japanese label.

This is the contract between layouts (data a municipality edits) and ``counter_app`` (which maps a
visit to values). A layout that names a field not listed here is rejected by the layout check
("unknown field"), and a value handed to :func:`forms.render_form` under a name not listed here is a
:class:`~forms.errors.FieldValueError` — a typo never silently leaves a box empty.

Top-level fields hold one value per form. Group fields (``members``) hold one row per person; a
layout binds them inside a ``repeat`` element, which flows onto continuation pages.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class FieldKind(enum.StrEnum):
    TEXT = "text"  # str; "\n" is an explicit line break
    DATE = "date"  # datetime.date or ISO "YYYY-MM-DD"; printed in 和暦 unless the layout says otherwise
    CHOICE = "choice"  # one of ``options``
    FLAG = "flag"  # bool (a check box)
    NUMBER = "number"  # non-negative int


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    label: str
    kind: FieldKind
    options: tuple[str, ...] = ()


def _f(name: str, label: str, kind: FieldKind = FieldKind.TEXT, options: tuple[str, ...] = ()) -> FieldSpec:
    return FieldSpec(name, label, kind, options)


T, D, C, F, N = FieldKind.TEXT, FieldKind.DATE, FieldKind.CHOICE, FieldKind.FLAG, FieldKind.NUMBER
SEX = ("男", "女")
YES_NO = ("有", "無")

_TOP_LEVEL: tuple[FieldSpec, ...] = (
    # The notification itself
    _f("notification_date", "届出日・申請日", D),
    _f("notification_kind", "異動の種類", C, ("転入", "転居", "転出", "世帯変更")),
    _f("move_date", "異動日(転入・転居・転出予定の日)", D),
    # 転入: how the previous municipality released the household (転出証明書 or the card: 特例転入,
    # 住民基本台帳法24条の2) and the 転出予定日 it recorded (児童手当の15日特例 counts from it)
    _f("moving_out_proof", "転出の証明", C, ("転出証明書", "特例転入(カード)", "国外から")),
    _f("planned_move_out_date", "転出予定日(前住所地)", D),
    # 同時に必要な手続 (住民異動届の関連手続欄): ticked from the procedures the visit needs
    _f("related_kokuho", "関連手続: 国民健康保険", F),
    _f("related_nenkin", "関連手続: 国民年金", F),
    _f("related_kouki", "関連手続: 後期高齢者医療", F),
    _f("related_kaigo", "関連手続: 介護保険", F),
    _f("related_jidou", "関連手続: 児童手当・子ども", F),
    _f("related_gakkou", "関連手続: 学校", F),
    _f("related_inkan", "関連手続: 印鑑登録", F),
    _f("related_card", "関連手続: マイナンバーカード", F),
    # The person at the counter (届出人・申請者・請求者)
    _f("applicant_name", "届出人・申請者の氏名"),
    _f("applicant_kana", "届出人・申請者のフリガナ"),
    _f("applicant_address", "届出人・申請者の住所"),
    _f("applicant_birth_date", "届出人・申請者の生年月日", D),
    _f("applicant_sex", "届出人・申請者の性別", C, SEX),
    _f("applicant_phone", "日中の連絡先電話番号"),
    _f("applicant_role", "届出人・申請者の区分", C, ("本人", "同一世帯員", "代理人")),
    _f("applicant_relationship", "対象者との続柄・関係"),
    _f("applicant_occupation", "職業・勤務先"),
    # The household
    _f("householder_name", "世帯主の氏名"),
    _f("householder_kana", "世帯主のフリガナ"),
    _f("previous_householder_name", "異動前の世帯主の氏名"),
    _f("address", "住所(新しい住所)"),
    _f("previous_address", "前住所(従前の住所)"),
    _f("postal_code", "郵便番号"),
    # The person the form is about (登録者・被保険者・死亡者 …) when it is not the applicant
    _f("subject_name", "対象者の氏名"),
    _f("subject_kana", "対象者のフリガナ"),
    _f("subject_birth_date", "対象者の生年月日", D),
    _f("subject_sex", "対象者の性別", C, SEX),
    _f("subject_address", "対象者の住所"),
    _f(
        "identity_document",
        "本人確認書類",
        C,
        ("マイナンバーカード", "運転免許証", "パスポート", "在留カード等", "その他"),
    ),
    # Certificates (住民票の写し・印鑑登録証明書)
    _f("copies", "通数", N),
    _f("certificate_purpose", "使用目的・提出先"),
    _f("certificate_scope", "請求の範囲", C, ("世帯全員", "世帯の一部")),
    _f("include_householder", "世帯主・続柄の記載", F),
    _f("include_honseki", "本籍・筆頭者の記載", F),
    _f("include_mynumber", "個人番号の記載", F),
    _f("include_juminhyo_code", "住民票コードの記載", F),
    _f("inkan_card_number", "印鑑登録証の番号"),
    # Health insurance and care
    _f("kokuho_change", "国民健康保険の異動", C, ("加入", "脱退", "変更", "世帯主変更")),
    _f(
        "kokuho_reason",
        "国民健康保険の異動の理由",
        C,
        (
            "転入",
            "転出",
            "転居",
            "職場の保険をやめた",
            "職場の保険に加入",
            "出生",
            "死亡",
            "世帯変更",
            "その他",
        ),
    ),
    _f("previous_insurance", "前に加入していた健康保険(保険者名)"),
    _f("insurance_lost_date", "前の健康保険の資格喪失日", D),
    _f("insurance_number", "被保険者番号・記号番号"),
    _f(
        "insurance_kind",
        "加入している健康保険",
        C,
        ("国民健康保険", "健康保険(社会保険)", "共済組合", "後期高齢者医療"),
    ),
    _f("kaigo_change", "介護保険の届出の種類", C, ("資格取得", "異動", "喪失")),
    _f("kaigo_reason", "介護保険の届出の理由", C, ("転入", "転居", "転出", "死亡", "65歳到達", "その他")),
    _f("care_certified", "要介護・要支援認定", C, YES_NO),
    _f("juushochi_tokurei", "住所地特例の対象", F),
    # Child benefits
    _f("pension_type", "加入している年金", C, ("厚生年金", "国民年金", "共済組合", "未加入")),
    _f("has_spouse", "配偶者の有無", C, YES_NO),
    _f("spouse_name", "配偶者の氏名"),
    _f("spouse_kana", "配偶者のフリガナ"),
    _f("insured_person_name", "健康保険の被保険者(加入者)の氏名"),
    # My Number card
    _f("card_continue", "マイナンバーカードの継続利用", F),
    _f("card_change_address", "券面記載事項の変更(住所)", F),
    _f("card_change_name", "券面記載事項の変更(氏名)", F),
    # Death and funeral
    _f("death_date", "死亡年月日", D),
    _f("funeral_date", "葬祭を行った日", D),
    _f("insurer", "保険者(給付をする制度)"),
    _f("benefit_amount", "支給額"),
    # Payment account (振込先); 公金受取口座 (公金受取口座登録法) instead of writing an account
    _f("use_kouki_account", "公金受取口座を利用する", F),
    _f("bank_name", "金融機関名"),
    _f("bank_branch", "支店名"),
    _f("account_type", "預金種目", C, ("普通", "当座")),
    _f("account_number", "口座番号"),
    _f("account_holder_kana", "口座名義(カナ)"),
)

_MEMBER: tuple[FieldSpec, ...] = (
    _f("name", "氏名"),
    _f("kana", "フリガナ"),
    _f("birth_date", "生年月日", D),
    _f("sex", "性別", C, SEX),
    _f("relationship", "続柄"),
    _f("cohabiting", "同居・別居", C, ("同居", "別居")),
    _f("card", "マイナンバーカードの有無", C, YES_NO),
    _f("note", "備考・摘要"),
    # 住民票の記載事項 (住民基本台帳法7条): 本籍・筆頭者, 住民票コード
    _f("honseki", "本籍"),
    _f("hittousha", "筆頭者"),
    _f("juminhyo_code", "住民票コード"),
    # 外国人住民 (住民基本台帳法30条の45, 同法施行令30条の26): 国籍・地域, 区分, 在留資格, 在留期間の
    # 満了の日, 在留カード等の番号, 通称
    _f("nationality", "国籍・地域"),
    _f(
        "residence_category",
        "法30条の45の区分",
        C,
        ("中長期在留者", "特別永住者", "一時庇護許可者", "仮滞在許可者", "経過滞在者"),
    ),
    _f("residence_status", "在留資格"),
    _f("residence_expiry", "在留期間の満了の日", D),
    _f("residence_card_number", "在留カード等の番号"),
    _f("tsushou", "通称"),
    # 国民健康保険の加入: the insurance the member had and the day it ended (国保法施行規則3条)
    _f("previous_insurance", "前の健康保険"),
    _f("insurance_lost_date", "前の健康保険の資格喪失日", D),
    # 児童手当 (令和6年10月改正): 支給対象の児童 or 大学生年代の子 (多子加算の算定に入る子, 児童手当法
    # 6条1項・施行令)
    _f("child_kind", "児童の区分", C, ("児童", "大学生年代")),
)

FIELDS: dict[str, FieldSpec] = {spec.name: spec for spec in _TOP_LEVEL}
GROUPS: dict[str, dict[str, FieldSpec]] = {"members": {spec.name: spec for spec in _MEMBER}}
