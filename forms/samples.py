"""A fictional household for previews (``madoguchi forms preview``), the benchmark and the tests.

Its names use characters of the resident-record standard that ordinary fonts and naive PDF tools get
wrong: 髙 (U+9AD9), 﨑 (U+FA11, a compatibility ideograph that NFC normalisation would turn into 崎),
𠮷 (U+20BB7, outside the BMP, not in IPAex) — and its address is 60 characters long. Nobody real.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

HOUSEHOLDER = "髙﨑　𠮷太郎"
HOUSEHOLDER_KANA = "タカサキ　ヨシタロウ"
ADDRESS = (
    "東京都みどり区𠮷祥寺南町三丁目二十五番十四号　グランドメゾン髙﨑壱番館南棟一二〇三号室"
    "（管理棟北側入口より左奥の二軒目）"
)
PREVIOUS_ADDRESS = "神奈川県横浜市中区山下町一丁目二番地三　ベイサイド邉見ハイツ二〇一号室"
assert len(ADDRESS) == 60, len(ADDRESS)

MEMBERS: list[dict[str, Any]] = [
    {
        "name": HOUSEHOLDER,
        "kana": HOUSEHOLDER_KANA,
        "birth_date": dt.date(1980, 2, 17),
        "sex": "男",
        "relationship": "世帯主",
        "card": "有",
        "cohabiting": "同居",
    },
    {
        "name": "髙﨑　花子",
        "kana": "タカサキ　ハナコ",
        "birth_date": dt.date(1982, 11, 3),
        "sex": "女",
        "relationship": "妻",
        "card": "有",
        "cohabiting": "同居",
    },
    {
        "name": "髙﨑　𠮷",
        "kana": "タカサキ　キチ",
        "birth_date": dt.date(2019, 5, 1),
        "sex": "男",
        "relationship": "子",
        "card": "無",
        "cohabiting": "同居",
    },
    {
        "name": "髙﨑　邉美",
        "kana": "タカサキ　ナベミ",
        "birth_date": dt.date(2012, 4, 30),
        "sex": "女",
        "relationship": "子",
        "card": "有",
        "cohabiting": "同居",
        "note": "中学校に転入予定",
    },
    {
        "name": "髙﨑　剛",
        "kana": "タカサキ　ツヨシ",
        "birth_date": dt.date(1949, 1, 7),
        "sex": "男",
        "relationship": "父",
        "card": "有",
        "cohabiting": "同居",
    },
    {
        "name": "髙﨑　ミツ",
        "kana": "タカサキ　ミツ",
        "birth_date": dt.date(1951, 8, 15),
        "sex": "女",
        "relationship": "母",
        "card": "無",
        "cohabiting": "同居",
    },
]

_COMMON: dict[str, Any] = {
    "notification_date": dt.date(2025, 4, 14),
    "applicant_name": HOUSEHOLDER,
    "applicant_kana": HOUSEHOLDER_KANA,
    "applicant_address": ADDRESS,
    "applicant_birth_date": dt.date(1980, 2, 17),
    "applicant_sex": "男",
    "applicant_phone": "090-1234-5678",
    "applicant_role": "本人",
    "identity_document": "マイナンバーカード",
    "householder_name": HOUSEHOLDER,
    "householder_kana": HOUSEHOLDER_KANA,
    "address": ADDRESS,
}

_BANK: dict[str, Any] = {
    "bank_name": "みどり信用金庫",
    "bank_branch": "𠮷祥寺南支店",
    "account_type": "普通",
    "account_number": "1234567",
    "account_holder_kana": "タカサキ　ヨシタロウ",
}

_SUBJECT: dict[str, Any] = {
    "subject_name": HOUSEHOLDER,
    "subject_kana": HOUSEHOLDER_KANA,
    "subject_birth_date": dt.date(1980, 2, 17),
    "subject_sex": "男",
    "subject_address": ADDRESS,
}

SAMPLES: dict[str, dict[str, Any]] = {
    "jumin_idou": {
        "notification_kind": "転入",
        "move_date": dt.date(2025, 4, 1),
        "previous_address": PREVIOUS_ADDRESS,
        "previous_householder_name": HOUSEHOLDER,
        "members": MEMBERS,
    },
    "jumin_copy_request": {
        "applicant_relationship": "本人",
        "certificate_scope": "世帯全員",
        "include_householder": True,
        "include_honseki": False,
        "include_mynumber": False,
        "include_juminhyo_code": False,
        "copies": 2,
        "certificate_purpose": "勤務先への提出(通勤手当の申請)",
        "members": MEMBERS[:2],
    },
    # The resident registers in person: the agent's section stays empty.
    "inkan_touroku": {**_SUBJECT, "applicant_name": None, "applicant_kana": None, "applicant_address": None},
    "inkan_cert_request": {
        **_SUBJECT,
        "inkan_card_number": "0012345",
        "copies": 1,
        "certificate_purpose": "不動産の登記",
    },
    "kokuho_idou": {
        "kokuho_change": "加入",
        "kokuho_reason": "転入",
        "move_date": dt.date(2025, 4, 1),
        "previous_insurance": "全国健康保険協会 神奈川支部",
        "insurance_lost_date": dt.date(2025, 3, 31),
        "applicant_relationship": "本人(世帯主)",
        "members": MEMBERS,
    },
    "jidou_teate": {
        **_BANK,
        "applicant_occupation": "会社員(みどり精機株式会社)",
        "pension_type": "厚生年金",
        "has_spouse": "有",
        "spouse_name": "髙﨑　花子",
        "spouse_kana": "タカサキ　ハナコ",
        "members": [MEMBERS[2], MEMBERS[3]],
    },
    "kodomo_iryou": {
        **_BANK,
        "applicant_relationship": "父",
        "insurance_kind": "健康保険(社会保険)",
        "insured_person_name": HOUSEHOLDER,
        "insurance_number": "記号 12 番号 345",
        "members": [MEMBERS[2], MEMBERS[3]],
    },
    "kaigo_idou": {
        "subject_name": "髙﨑　剛",
        "subject_kana": "タカサキ　ツヨシ",
        "subject_birth_date": dt.date(1949, 1, 7),
        "subject_sex": "男",
        "kaigo_change": "資格取得",
        "kaigo_reason": "転入",
        "move_date": dt.date(2025, 4, 1),
        "previous_address": PREVIOUS_ADDRESS,
        "care_certified": "無",
        "juushochi_tokurei": False,
        "applicant_relationship": "子",
    },
    "mynumber_card_change": {
        "card_continue": True,
        "card_change_address": True,
        "card_change_name": False,
        "move_date": dt.date(2025, 4, 1),
        "previous_address": PREVIOUS_ADDRESS,
        "members": [m for m in MEMBERS if m["card"] == "有"],
    },
    "sousaihi": {
        **_BANK,
        "subject_name": "髙﨑　剛",
        "subject_kana": "タカサキ　ツヨシ",
        "subject_birth_date": dt.date(1949, 1, 7),
        "subject_address": ADDRESS,
        "insurance_number": "00123456",
        "death_date": dt.date(2025, 3, 20),
        "funeral_date": dt.date(2025, 3, 24),
        "applicant_relationship": "子",
    },
}


def sample_values(form_id: str) -> dict[str, Any]:
    """The fictional household's values for ``form_id`` (common fields plus the form's own)."""
    return {**_COMMON, **SAMPLES.get(form_id, {})}
