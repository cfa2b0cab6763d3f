"""Scenario table: realistic households through the whole question flow, on both shipped catalogs.

Each scenario answers the engine's questions one at a time, like a clerk. It asserts
* the exact set of procedures at the end (``id`` for a household procedure, ``id@n`` per member);
* that no question is asked twice, and that every question asked is one the scenario expects and
  every expected answer was actually asked for — so nothing is asked needlessly or left out;
* for some, the members concerned, a reason text or a computed deadline.
Event date everywhere: 2025-06-02 (ages and school years are computed on it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest

from procedures.catalog import Catalog, load_catalog
from procedures.visit import JsonAnswer
from tests.unit.procedures.flow import key, member, run_flow, visit

D = "2025-06-02"
ADDRESS = "東京都みどり川区若葉町1-2-3"


@dataclass(frozen=True)
class Scenario:
    name: str
    event: str
    members: tuple[dict[str, Any], ...]
    script: dict[str, JsonAnswer]
    expected: frozenset[str]
    catalog: str = "default"
    concerned: dict[str, tuple[int, ...]] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)
    deadlines: dict[str, str | None] = field(default_factory=dict)


def s(
    name: str,
    event: str,
    members: list[dict[str, Any]],
    script: dict[str, JsonAnswer],
    expected: str,
    **extra: Any,
) -> Scenario:
    return Scenario(name, event, tuple(members), script, frozenset(expected.split()), **extra)


NO_EXTRAS = {"techou_holder": False, "has_dog": False, "has_moped": False}

SCENARIOS = [
    # ------------------------------------------------------------------ 転入
    s(
        "single mover with a My Number card",
        "tennyu",
        [member("self", "1997-04-10", "male", "card")],
        {
            "from_abroad": False,
            "new_address": ADDRESS,
            "inkan_register@0": True,
            "insurance@0": "employee",
            **NO_EXTRAS,
        },
        "tennyu_todoke inkan_touroku@0 mynumber_keizoku@0 suidou_kaishi",
        deadlines={"tennyu_todoke": "2025-06-16", "suidou_kaishi": None},
    ),
    s(
        "single mover from abroad joins National Health Insurance",
        "tennyu",
        [member("self", "1990-02-02")],
        {
            "from_abroad": True,
            "new_address": ADDRESS,
            "inkan_register@0": False,
            "insurance@0": "kokuho",
            **NO_EXTRAS,
        },
        "kokugai_tennyu kokuho_kanyu suidou_kaishi",
    ),
    s(
        "family with a baby and a grandparent over 75 moving in",
        "tennyu",
        [
            member("self", "1988-05-05", "male", "card"),
            member("spouse", "1990-08-08"),
            member("child", "2025-01-10", "male"),
            member("parent", "1947-03-03"),
        ],
        {
            "from_abroad": False,
            "new_address": ADDRESS,
            "has_mynumber_card@1": True,
            "has_mynumber_card@2": False,
            "has_mynumber_card@3": False,
            "inkan_register@0": False,
            "inkan_register@1": True,
            "inkan_register@3": False,
            "insurance@0": "employee",
            "insurance@1": "employee",
            "insurance@2": "employee",
            "kaigo_certified@3": True,
            "civil_servant": False,
            "hitorioya": False,
            "wants_hoiku": True,
            **NO_EXTRAS,
        },
        "tennyu_todoke inkan_touroku@1 mynumber_keizoku@0 mynumber_keizoku@1 kouki_tennyu kaigo_tennyu "
        "kaigo_nintei_hikitsugi jidou_teate_tennyu kodomo_iryou_tennyu hoiku_moushikomi suidou_kaishi",
        concerned={"kouki_tennyu": (3,), "jidou_teate_tennyu": (2,), "hoiku_moushikomi": (2,)},
        reasons={"kouki_tennyu": "75歳以上の方(1人)が転入したため"},
        deadlines={"jidou_teate_tennyu": "2025-06-17", "kaigo_nintei_hikitsugi": "2025-06-16"},
    ),
    s(
        "family of four with pupils, two dogs and a moped moving in",
        "tennyu",
        [
            member("self", "1982-01-01", "male", "card"),
            member("spouse", "1984-02-02", "female", "card"),
            member("child", "2016-08-15", "male", "card"),
            member("child", "2012-11-11", "female"),
        ],
        {
            "from_abroad": False,
            "new_address": ADDRESS,
            "has_mynumber_card@3": True,
            "inkan_register@0": False,
            "inkan_register@1": False,
            "insurance@0": "kokuho",
            "insurance@1": "kokuho",
            "insurance@2": "kokuho",
            "insurance@3": "kokuho",
            "civil_servant": False,
            "hitorioya": False,
            "ward_school@2": True,
            "ward_school@3": True,
            "wants_gakudou": True,
            "techou_holder": False,
            "has_dog": True,
            "dog_count": 2,
            "has_moped": True,
        },
        "tennyu_todoke mynumber_keizoku@0 mynumber_keizoku@1 mynumber_keizoku@2 mynumber_keizoku@3 "
        "kokuho_kanyu jidou_teate_tennyu kodomo_iryou_tennyu gakudou_moushikomi tennyuugaku inu_tennyu "
        "gentsuki_touroku suidou_kaishi",
        concerned={"kokuho_kanyu": (0, 1, 2, 3), "gakudou_moushikomi": (2,), "tennyuugaku": (2, 3)},
        reasons={
            "kokuho_kanyu": "国民健康保険に加入する方(4人)が転入したため",
            "inu_tennyu": "犬(2頭)を飼っていて、犬の所在地が区内に変わったため",
        },
        deadlines={"inu_tennyu": "2025-07-02", "gentsuki_touroku": "2025-06-17"},
    ),
    s(
        "single father, a public servant, moving in with a 16-year-old",
        "tennyu",
        [member("self", "1980-03-03", "male"), member("child", "2009-01-20", "male")],
        {
            "from_abroad": False,
            "new_address": ADDRESS,
            "has_mynumber_card@0": False,
            "has_mynumber_card@1": False,
            "inkan_register@0": False,
            "inkan_register@1": True,
            "insurance@0": "employee",
            "insurance@1": "employee",
            "civil_servant": True,
            "hitorioya": True,
            **NO_EXTRAS,
        },
        "tennyu_todoke inkan_touroku@1 kodomo_iryou_tennyu jidou_fuyou_teate hitorioya_iryou suidou_kaishi",
    ),
    s(
        "an 18-year-old born on 2 April is still of high-school age (school year counts from 4/2)",
        "tennyu",
        [member("self", "1975-05-05", "female", "card"), member("child", "2007-04-02", "male")],
        {
            "from_abroad": False,
            "new_address": ADDRESS,
            "has_mynumber_card@1": True,
            "inkan_register@0": True,
            "inkan_register@1": True,
            "insurance@0": "kokuho",
            "insurance@1": "kokuho",
            "civil_servant": False,
            "hitorioya": True,
            **NO_EXTRAS,
        },
        "tennyu_todoke inkan_touroku@0 inkan_touroku@1 mynumber_keizoku@0 mynumber_keizoku@1 kokuho_kanyu "
        "jidou_teate_tennyu kodomo_iryou_tennyu jidou_fuyou_teate hitorioya_iryou suidou_kaishi",
        concerned={"jidou_teate_tennyu": (1,), "jidou_fuyou_teate": (1,)},
    ),
    s(
        "an 18-year-old born on 1 April has left high-school age: no child procedure, no child question",
        "tennyu",
        [member("self", "1970-07-07", "female", "card"), member("child", "2007-04-01", "male")],
        {
            "from_abroad": False,
            "new_address": ADDRESS,
            "has_mynumber_card@1": False,
            "inkan_register@0": False,
            "inkan_register@1": False,
            "insurance@0": "employee",
            "insurance@1": "employee",
            "techou_holder": True,
            "has_dog": False,
            "has_moped": False,
        },
        "tennyu_todoke mynumber_keizoku@0 shougai_techou_tennyu suidou_kaishi",
    ),
    s(
        "elderly couple (80 and 72) moving in",
        "tennyu",
        [member("self", "1945-01-01", "male", "card"), member("spouse", "1953-02-02")],
        {
            "from_abroad": False,
            "new_address": ADDRESS,
            "has_mynumber_card@1": False,
            "inkan_register@0": True,
            "inkan_register@1": False,
            "insurance@1": "kokuho",
            "kaigo_certified@0": False,
            "kaigo_certified@1": False,
            **NO_EXTRAS,
        },
        "tennyu_todoke inkan_touroku@0 mynumber_keizoku@0 kokuho_kanyu kouki_tennyu kaigo_tennyu "
        "suidou_kaishi",
        concerned={"kokuho_kanyu": (1,), "kouki_tennyu": (0,), "kaigo_tennyu": (0, 1)},
    ),
    s(
        "turns 75 on the day of the move: late-stage elderly care, no insurance question",
        "tennyu",
        [member("self", "1950-06-02", "male")],
        {
            "from_abroad": False,
            "new_address": ADDRESS,
            "has_mynumber_card@0": False,
            "inkan_register@0": False,
            "kaigo_certified@0": False,
            **NO_EXTRAS,
        },
        "tennyu_todoke kouki_tennyu kaigo_tennyu suidou_kaishi",
    ),
    s(
        "turns 75 the day after the move: still National Health Insurance",
        "tennyu",
        [member("self", "1950-06-03", "male")],
        {
            "from_abroad": False,
            "new_address": ADDRESS,
            "has_mynumber_card@0": False,
            "inkan_register@0": False,
            "insurance@0": "kokuho",
            "kaigo_certified@0": False,
            **NO_EXTRAS,
        },
        "tennyu_todoke kokuho_kanyu kaigo_tennyu suidou_kaishi",
    ),
    s(
        "a grandmother moves in with her son's family (only she is the subject)",
        "tennyu",
        [
            member("self", "1975-01-01", "male", subject=False),
            member("spouse", "1976-01-01", subject=False),
            member("grandchild", "2014-09-09", subject=False),
            member("parent", "1950-01-01"),
        ],
        {
            "from_abroad": False,
            "new_address": ADDRESS,
            "has_mynumber_card@3": True,
            "inkan_register@3": True,
            "kaigo_certified@3": False,
            **NO_EXTRAS,
        },
        "tennyu_todoke inkan_touroku@3 mynumber_keizoku@3 kouki_tennyu kaigo_tennyu suidou_kaishi",
    ),
    s(
        "single mother with two toddlers moving in from abroad, no nursery wanted",
        "tennyu",
        [member("self", "1992-10-10"), member("child", "2021-06-01"), member("child", "2023-02-01", "male")],
        {
            "from_abroad": True,
            "new_address": ADDRESS,
            "inkan_register@0": True,
            "insurance@0": "kokuho",
            "insurance@1": "kokuho",
            "insurance@2": "kokuho",
            "civil_servant": False,
            "hitorioya": True,
            "wants_hoiku": False,
            **NO_EXTRAS,
        },
        "kokugai_tennyu inkan_touroku@0 kokuho_kanyu jidou_teate_tennyu kodomo_iryou_tennyu "
        "jidou_fuyou_teate "
        "hitorioya_iryou suidou_kaishi",
        reasons={"jidou_fuyou_teate": "高校生年代までのお子さん(2人)を育てるひとり親家庭のため"},
    ),
    # ------------------------------------------------------------------ 転出
    s(
        "single person moving out with a moped",
        "tenshutsu",
        [member("self", "1995-12-12", "male", "card")],
        {
            "to_abroad": False,
            "new_address": "大阪府大阪市北区1-1",
            "insurance@0": "kokuho",
            "has_moped": True,
        },
        "tenshutsu_todoke kokuho_soushitsu_tenshutsu gentsuki_haisha suidou_chuushi",
        deadlines={"tenshutsu_todoke": D, "gentsuki_haisha": D},
    ),
    s(
        "family moving abroad with a nursery child and a pupil",
        "tenshutsu",
        [
            member("self", "1985-05-05", "male", "card"),
            member("spouse", "1987-07-07"),
            member("child", "2019-09-01"),
            member("child", "2017-06-01", "male"),
        ],
        {
            "to_abroad": True,
            "new_address": "シンガポール",
            "insurance@0": "employee",
            "insurance@1": "employee",
            "insurance@2": "employee",
            "insurance@3": "employee",
            "civil_servant": False,
            "in_hoiku": True,
            "ward_school@3": True,
            "has_moped": False,
        },
        "kokugai_tenshutsu jidou_teate_shoumetsu kodomo_iryou_tenshutsu hoiku_taien "
        "zaigaku_shoumei_tenshutsu "
        "suidou_chuushi",
        concerned={"hoiku_taien": (2,), "zaigaku_shoumei_tenshutsu": (3,), "jidou_teate_shoumetsu": (2, 3)},
    ),
    s(
        "the householder moves out, leaving his wife and two adult children",
        "tenshutsu",
        [
            member("self", "1970-01-01", "male"),
            member("spouse", "1972-02-02", subject=False),
            member("child", "2000-03-03", "male", subject=False),
            member("child", "2004-04-04", subject=False),
        ],
        {
            "to_abroad": False,
            "new_address": "神奈川県横浜市中区1-1",
            "insurance@0": "employee",
            "has_moped": False,
        },
        "tenshutsu_todoke setainushi_henkou suidou_chuushi",
        reasons={
            "setainushi_henkou": (
                "世帯主が世帯を離れ、残る世帯に15歳以上の方が3人いるため(新しい世帯主を届け出ます)"
            )
        },
    ),
    s(
        "a certified 85-year-old moving out to a care home in another city",
        "tenshutsu",
        [member("self", "1940-01-01")],
        {
            "to_abroad": False,
            "new_address": "埼玉県さいたま市1-1",
            "kaigo_certified@0": True,
            "has_moped": False,
        },
        "tenshutsu_todoke kouki_tenshutsu kaigo_tenshutsu kaigo_jukyu_shoumei suidou_chuushi",
    ),
    # ------------------------------------------------------------------ 転居
    s(
        "couple with a dog moving within the ward",
        "tenkyo",
        [member("self", "1990-01-01", "male", "card"), member("spouse", "1992-02-02")],
        {
            "new_address": ADDRESS,
            "has_mynumber_card@1": True,
            "insurance@0": "kokuho",
            "insurance@1": "kokuho",
            "techou_holder": False,
            "has_dog": True,
            "dog_count": 1,
        },
        "tenkyo_todoke mynumber_jusho@0 mynumber_jusho@1 kokuho_jusho inu_tenkyo suidou_tenkyo",
        deadlines={"inu_tenkyo": "2025-07-02", "mynumber_jusho@1": "2025-06-16"},
    ),
    s(
        "three generations moving within the ward: nursery, pupil, grandfather with a disability certificate",
        "tenkyo",
        [
            member("self", "1983-03-03", "male", "card"),
            member("child", "2021-01-01"),
            member("child", "2014-05-05", "male"),
            member("parent", "1948-02-02", "male"),
        ],
        {
            "new_address": ADDRESS,
            "has_mynumber_card@1": False,
            "has_mynumber_card@2": False,
            "has_mynumber_card@3": True,
            "insurance@0": "employee",
            "insurance@1": "employee",
            "insurance@2": "employee",
            "in_hoiku": True,
            "ward_school@2": True,
            "techou_holder": True,
            "has_dog": False,
        },
        "tenkyo_todoke mynumber_jusho@0 mynumber_jusho@3 kouki_tenkyo kaigo_tenkyo kodomo_iryou_jusho "
        "hoiku_jusho "
        "tengaku_tenkyo shougai_techou_tenkyo suidou_tenkyo",
        concerned={"kodomo_iryou_jusho": (1, 2), "hoiku_jusho": (1,), "tengaku_tenkyo": (2,)},
    ),
    # ------------------------------------------------------------------ 出生
    s(
        "first baby, parents insured at work",
        "shussei",
        [
            member("self", "1990-01-01", "male", "card"),
            member("spouse", "1992-02-02"),
            member("child", "2025-05-20", subject=True),
        ],
        {"birth_registered": False, "household_kokuho": False, "civil_servant": False},
        "shussei_todoke jidou_teate_shussei kodomo_iryou_shussei",
        # 戸籍法49条: 14 days counting the birth day (43条) end on Sunday 6/15, a closed day of the ward:
        # the deadline is the next open day (地方自治法4条の2第4項).
        deadlines={"shussei_todoke": "2025-06-16", "jidou_teate_shussei": "2025-06-17"},
    ),
    s(
        "second baby, National Health Insurance without direct payment, allowance already received",
        "shussei",
        [
            member("self", "1985-01-01", "male"),
            member("spouse", "1987-01-01"),
            member("child", "2020-03-03", subject=False),
            member("child", "2025-05-20", subject=True),
        ],
        {
            "birth_registered": True,
            "household_kokuho": True,
            "direct_payment": False,
            "civil_servant": False,
            "receives_jidou_teate": True,
        },
        "kokuho_shussei shussan_ikuji jidou_teate_gakukaitei kodomo_iryou_shussei",
        concerned={"kokuho_shussei": (3,), "jidou_teate_gakukaitei": (3,)},
        deadlines={"shussan_ikuji": "2027-06-02"},
    ),
    s(
        "twins, the mother is a public servant",
        "shussei",
        [
            member("self", "1991-01-01"),
            member("child", "2025-05-25", subject=True),
            member("child", "2025-05-25", "male", subject=True),
        ],
        {"birth_registered": False, "household_kokuho": False, "civil_servant": True},
        "shussei_todoke kodomo_iryou_shussei",
        concerned={"kodomo_iryou_shussei": (1, 2)},
    ),
    s(
        "baby of a public servant with an older child: the allowance question is needless",
        "shussei",
        [
            member("self", "1980-01-01", "male"),
            member("child", "2018-01-01", subject=False),
            member("child", "2025-05-30", subject=True),
        ],
        {"birth_registered": False, "household_kokuho": True, "direct_payment": True, "civil_servant": True},
        "shussei_todoke kokuho_shussei kodomo_iryou_shussei",
    ),
    # ------------------------------------------------------------------ 死亡(おくやみ)
    s(
        "death of a householder who had a dog and National Health Insurance",
        "shibou",
        [member("self", "1955-01-01", "male", subject=True), member("spouse", "1958-03-03", subject=False)],
        {
            "death_registered": False,
            "insurance@0": "kokuho",
            "survivors_kokuho": True,
            "funeral_date": "2025-06-05",
            "receives_pension@0": True,
            "deceased_techou": False,
            "deceased_dog": True,
            "deceased_moped": False,
        },
        "shibou_todoke kokuho_shibou@0 sousaihi_kokuho@0 kokuho_setainushi nenkin_shibou@0 kaigo_shibou@0 "
        "inu_shoyuusha_henkou suidou_meigi",
        # 2 years from the day after the funeral end on Saturday 2027-06-05 (民法143条) and 7 days counting
        # the day of death (戸籍法86条, 43条) on Sunday 2025-06-08: both move to the Monday after
        # (地方自治法4条の2第4項; 民法142条).
        deadlines={
            "sousaihi_kokuho@0": "2027-06-07",
            "shibou_todoke": "2025-06-09",
            "inu_shoyuusha_henkou": "2025-07-02",
        },
    ),
    s(
        "death of an 80-year-old householder leaving his wife and two adult children",
        "shibou",
        [
            member("self", "1945-01-01", "male", subject=True),
            member("spouse", "1948-01-01", subject=False),
            member("child", "1975-01-01", "male", subject=False),
            member("child", "1978-01-01", subject=False),
        ],
        {
            "death_registered": True,
            "survivors_kokuho": False,
            "funeral_date": "2025-06-06",
            "receives_pension@0": True,
            "deceased_techou": True,
            "deceased_dog": False,
            "deceased_moped": True,
        },
        "setainushi_henkou nenkin_shibou@0 kouki_shibou@0 sousaihi_kouki@0 kaigo_shibou@0 "
        "shougai_techou_henkan "
        "gentsuki_shibou suidou_meigi",
    ),
    s(
        "a young father dies leaving his wife and two children (survivors' pension, single parent)",
        "shibou",
        [
            member("self", "1988-01-01", "male", subject=True),
            member("spouse", "1990-01-01", subject=False),
            member("child", "2015-07-07", subject=False),
            member("child", "2019-12-12", "male", subject=False),
        ],
        {
            "death_registered": False,
            "insurance@0": "kokuho",
            "survivors_kokuho": True,
            "funeral_date": "2025-06-04",
            "receives_pension@0": False,
            "deceased_nenkin_1gou@0": True,
            "deceased_techou": False,
            "deceased_dog": False,
            "deceased_moped": False,
        },
        "shibou_todoke kokuho_shibou@0 sousaihi_kokuho@0 kokuho_setainushi izoku_kiso_nenkin@0 "
        "jidou_fuyou_teate "
        "hitorioya_iryou suidou_meigi",
        concerned={"jidou_fuyou_teate": (2, 3)},
        reasons={
            "izoku_kiso_nenkin@0": (
                "国民年金に加入していた方が亡くなり、高校生年代までのお子さん(2人)がいるため"
            )
        },
    ),
    s(
        "a 90-year-old mother of the householder dies",
        "shibou",
        [member("self", "1960-01-01", "male", subject=False), member("parent", "1935-01-01", subject=True)],
        {
            "death_registered": True,
            "funeral_date": "2025-06-07",
            "receives_pension@1": True,
            "deceased_techou": False,
            "deceased_dog": False,
            "deceased_moped": False,
        },
        "nenkin_shibou@1 kouki_shibou@1 sousaihi_kouki@1 kaigo_shibou@1",
    ),
    s(
        "a 65-year-old living alone dies",
        "shibou",
        [member("self", "1960-01-01", "male", subject=True)],
        {
            "death_registered": False,
            "insurance@0": "kokuho",
            "funeral_date": "2025-06-03",
            "receives_pension@0": True,
            "deceased_techou": False,
            "deceased_dog": False,
            "deceased_moped": False,
        },
        "shibou_todoke kokuho_shibou@0 sousaihi_kokuho@0 nenkin_shibou@0 kaigo_shibou@0",
    ),
    # ------------------------------------------------------------------ 婚姻
    s(
        "marriage: the wife takes her husband's surname and moves",
        "konin",
        [
            member("self", "1992-01-01", "male", "card", subject=True),
            member("spouse", "1994-01-01", subject=True),
        ],
        {
            "konin_name_change@0": False,
            "konin_name_change@1": True,
            "address_change": True,
            "has_mynumber_card@1": True,
            "inkan_registered@1": True,
            "kokuho_change": False,
        },
        "konin_todoke jusho_henkou_annai inkan_saitouroku@1 mynumber_shimei@1",
    ),
    s(
        "marriage: the husband takes his wife's surname, no card, joins National Health Insurance",
        "konin",
        [
            member("self", "1993-01-01", "female", "card", subject=True),
            member("spouse", "1991-01-01", "male", subject=True),
        ],
        {
            "konin_name_change@0": False,
            "konin_name_change@1": True,
            "address_change": False,
            "has_mynumber_card@1": False,
            "inkan_registered@1": False,
            "kokuho_change": True,
        },
        "konin_todoke kokuho_konin_rikon",
    ),
    # ------------------------------------------------------------------ 離婚
    s(
        "divorce by agreement with a child of 12",
        "rikon",
        [
            member("self", "1985-01-01", "female", "card", subject=True),
            member("child", "2013-03-01", subject=False),
        ],
        {
            "rikon_kind": "kyogi",
            "rikon_name@0": "revert",
            "address_change": False,
            "inkan_registered@0": True,
            "kokuho_change": True,
            "was_3gou@0": True,
            "teate_recipient_changes": True,
        },
        "rikon_todoke inkan_saitouroku@0 mynumber_shimei@0 kokuho_konin_rikon nenkin_shubetsu_henkou@0 "
        "jidou_teate_jukyusha_henkou jidou_fuyou_teate hitorioya_iryou",
        concerned={"jidou_fuyou_teate": (1,), "jidou_teate_jukyusha_henkou": (1,)},
        deadlines={"nenkin_shubetsu_henkou@0": "2025-06-16", "rikon_todoke": None},
    ),
    s(
        "divorce by court ruling, keeping the married surname and moving",
        "rikon",
        [member("self", "1980-01-01", "female", subject=True)],
        {
            "rikon_kind": "saiban",
            "rikon_name@0": "keep",
            "address_change": True,
            "kokuho_change": False,
            "was_3gou@0": False,
        },
        "rikon_todoke_saiban konshi_zokushou@0 jusho_henkou_annai",
        deadlines={"rikon_todoke_saiban": "2025-06-11", "konshi_zokushou@0": "2025-09-01"},
    ),
    s(
        "divorce at 62 without a change of surname: no pension or card question",
        "rikon",
        [member("self", "1963-01-01", "male", "card", subject=True)],
        {"rikon_kind": "kyogi", "rikon_name@0": "unchanged", "address_change": False, "kokuho_change": False},
        "rikon_todoke",
    ),
    # ------------------------------------------------------------------ 証明書
    s(
        "residence record, seal certificate and a family register kept elsewhere",
        "shoumei",
        [member("self", "1980-01-01", "male", "card")],
        {
            "want_juminhyo": True,
            "want_inkan_cert": True,
            "want_koseki": True,
            "honseki": "other",
            "want_kazei": False,
        },
        "juminhyo_utsushi inkan_shoumei koseki_kouiki",
    ),
    s(
        "family register kept in the ward and a tax certificate",
        "shoumei",
        [member("self", "1980-01-01", "male")],
        {
            "want_juminhyo": False,
            "want_inkan_cert": False,
            "want_koseki": True,
            "honseki": "ward",
            "want_kazei": True,
        },
        "koseki_shoumei kazei_shoumei",
    ),
    # ------------------------------------------------------------------ さざなみ町(別のカタログ)
    s(
        "sazanami: family with a 14- and a 16-year-old moving in (medical subsidy only to junior high)",
        "tennyu",
        [
            member("self", "1980-01-01", "male", "card"),
            member("spouse", "1982-01-01"),
            member("child", "2010-07-07", "male"),
            member("child", "2009-01-20"),
        ],
        {
            "kokuho_any": True,
            "has_mynumber_card@1": True,
            "has_mynumber_card@2": False,
            "has_mynumber_card@3": False,
            "civil_servant": False,
            "town_school@2": True,
            "has_dog": False,
            "has_moped": False,
        },
        "tennyu_todoke mynumber_keizoku@0 mynumber_keizoku@1 kokuho_kanyu jidou_teate kodomo_iryou "
        "tennyuugaku "
        "suidou_kaishi",
        catalog="sazanami",
        concerned={"kodomo_iryou": (2,), "jidou_teate": (2, 3), "tennyuugaku": (2,)},
    ),
    s(
        "sazanami: death of an 80-year-old householder with three adults remaining",
        "shibou",
        [
            member("self", "1945-01-01", "male", subject=True),
            member("spouse", "1947-01-01", subject=False),
            member("child", "1975-01-01", subject=False),
            member("child", "1977-01-01", "male", subject=False),
        ],
        {"funeral_date": "2025-06-05"},
        "setainushi_henkou shibou_todoke kouki_shibou@0 kaigo_shibou@0",
        catalog="sazanami",
        reasons={
            "kouki_shibou@0": (
                "後期高齢者医療に加入していた方が亡くなったため(葬儀を行った方に5万円を支給します)"
            )
        },
    ),
    s(
        "sazanami: moving within the town with a dog (the town runs its own waterworks)",
        "tenkyo",
        [member("self", "1990-01-01", "male")],
        {"has_dog": True},
        "tenkyo_todoke inu_touroku_henkou suidou_kaishi suidou_chuushi",
        catalog="sazanami",
    ),
    s(
        "sazanami: a baby joins National Health Insurance",
        "shussei",
        [member("self", "1990-01-01", "male"), member("child", "2025-05-31", subject=True)],
        {"baby_kokuho": True, "civil_servant": False},
        "shussei_todoke kokuho_shussei jidou_teate kodomo_iryou",
        catalog="sazanami",
    ),
]


@pytest.fixture(scope="module")
def catalogs() -> dict[str, Catalog]:
    return {"default": load_catalog("default"), "sazanami": load_catalog("sazanami")}


def test_the_table_is_large_enough() -> None:
    assert len(SCENARIOS) >= 30
    assert len({sc.name for sc in SCENARIOS}) == len(SCENARIOS)
    assert {sc.event for sc in SCENARIOS} >= {
        "tennyu",
        "tenshutsu",
        "tenkyo",
        "shussei",
        "shibou",
        "konin",
        "rikon",
        "shoumei",
    }


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[sc.name for sc in SCENARIOS])
def test_scenario(scenario: Scenario, catalogs: dict[str, Catalog]) -> None:
    catalog = catalogs[scenario.catalog]
    result = run_flow(catalog, visit(scenario.event, D, *scenario.members), scenario.script)

    # Every scripted answer was asked for: none missing, none needless, none twice (run_flow checks).
    assert set(result.asked) == {key(k) for k in scenario.script}
    assert len(result.asked) == len(set(result.asked))

    guidance = result.guidance
    assert guidance.complete
    assert guidance.procedure_keys() == scenario.expected
    assert guidance.ignored_answers == ()

    by_key = {p.key: p for p in guidance.procedures}
    for procedure_key, members in scenario.concerned.items():
        assert by_key[procedure_key].members == members, procedure_key
    for procedure_key, reason in scenario.reasons.items():
        assert by_key[procedure_key].reason == reason, procedure_key
    for procedure_key, date in scenario.deadlines.items():
        deadline = by_key[procedure_key].deadline
        expected = dt.date.fromisoformat(date) if date else None
        assert (deadline.date if deadline else None) == expected, procedure_key
    for needed in guidance.procedures:  # every listed procedure is complete: no "?" left in a reason
        assert "?" not in needed.reason and "?" not in needed.reason_en
        assert needed.forms == tuple(needed.procedure.forms)
