"""Rendering: values checked, fitted into their boxes, rows flowing onto continuation pages, errors named."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from forms import (
    FieldValueError,
    FontSet,
    FormLibrary,
    FormRenderer,
    TextDoesNotFitError,
    UnknownFormError,
    decode_payload,
    encode_payload,
)
from forms.fitting import block_height
from forms.fonts import Face
from forms.pages import PT_PER_MM, PageCompiler
from forms.samples import ADDRESS, HOUSEHOLDER, MEMBERS, sample_values
from tests.helpers.forms import SHIPPED_FORM_IDS


@pytest.mark.parametrize("form_id", SHIPPED_FORM_IDS)
def test_every_form_renders_the_sample_household(renderer: FormRenderer, form_id: str) -> None:
    form = renderer.render(form_id, sample_values(form_id))
    assert form.pdf.startswith(b"%PDF-")
    assert form.page_count >= 1
    texts = {p.text for p in form.placements}
    assert "令和7年4月14日" in texts  # the notification date, in 和暦
    assert form.qr_values["notification_date"] == "2025-04-14"
    for placement in form.placements:  # every value sits inside its box
        assert placement.rect.w > 0 and placement.size >= 4.5
    assert "髙﨑" not in repr(form) and all("髙﨑" not in repr(p) for p in form.placements)


def test_values_are_printed_formatted_and_carried_raw(renderer: FormRenderer) -> None:
    form = renderer.render("jumin_idou", sample_values("jumin_idou"))
    by_key = {p.key: p for p in form.placements}
    assert by_key["applicant_name"].text == HOUSEHOLDER
    assert by_key["address"].text == ADDRESS and len(by_key["address"].lines) == 2
    assert by_key["move_date"].text == "令和7年4月1日"
    assert by_key["members[0].birth_date"].text == "昭和55年2月17日"
    assert by_key["members[2].birth_date"].text == "令和元年5月1日"
    assert by_key["members[4].birth_date"].text == "昭和24年1月7日"
    assert form.qr_values["members"][2]["birth_date"] == "2019-05-01"
    checked = {(c.key, c.option) for c in form.checks if c.checked}
    assert ("notification_kind", "転入") in checked
    assert ("notification_kind", "転出") not in {(c.key, c.option) for c in form.checks if c.checked}
    assert ("members[0].card", "有") in checked and ("members[2].card", "無") in checked


def test_rows_beyond_the_first_page_go_onto_continuation_pages(renderer: FormRenderer) -> None:
    members = [dict(MEMBERS[i % len(MEMBERS)], note=f"{i + 1}人目") for i in range(15)]
    form = renderer.render("jumin_idou", {**sample_values("jumin_idou"), "members": members})
    # 3 rows on the first page, 6 on each continuation page (each row also carries 本籍・筆頭者・
    # 住民票コード and the foreign resident's 国籍・在留 details: 住基法7条・30条の45)
    assert form.page_count == 3
    pages = {p.key: p.page for p in form.placements}
    assert pages["members[2].name"] == 1
    assert pages["members[3].name"] == 2 and pages["members[8].name"] == 2
    assert pages["members[9].name"] == 3 and pages["members[14].name"] == 3
    assert {p.page for p in form.placements if p.key == "householder_name"} == {1, 2, 3}  # on every sheet
    # Issue 14: a continuation sheet repeats 届出日 and 異動の種類 (ticked as on the first page).
    assert {p.page for p in form.placements if p.key == "notification_date"} == {1, 2, 3}
    kinds = {(c.page, c.option) for c in form.checks if c.key == "notification_kind" and c.checked}
    assert kinds == {(n, sample_values("jumin_idou")["notification_kind"]) for n in (1, 2, 3)}
    notes = {p.key: p.text for p in form.placements if p.key.endswith(".note")}
    assert notes["members[14].note"] == "15人目"
    assert len(decode_payload(encode_payload("jumin_idou", form.qr_values)).values["members"]) == 15


def test_text_that_cannot_fit_names_form_and_field(renderer: FormRenderer) -> None:
    values = {**sample_values("inkan_cert_request"), "certificate_purpose": "不動産の登記のため" * 30}
    with pytest.raises(TextDoesNotFitError) as info:
        renderer.render("inkan_cert_request", values)
    assert (info.value.form_id, info.value.field) == ("inkan_cert_request", "certificate_purpose")
    assert "不動産" not in str(info.value)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"applicant_nmae": "x"}, "applicant_nmae"),
        ({"notification_kind": "引越し"}, "notification_kind"),
        ({"move_date": "2025/04/01"}, "move_date"),
        ({"copies": -1}, "copies"),
        ({"include_mynumber": "yes"}, "include_mynumber"),
        ({"members": [{"name": "x", "age": 3}]}, "members[0].age"),
        ({"members": "髙﨑"}, "members"),
        ({"applicant_name": "a\x07b"}, "applicant_name"),
    ],
)
def test_bad_values_are_refused(renderer: FormRenderer, values: dict[str, Any], field: str) -> None:
    with pytest.raises(FieldValueError) as info:
        renderer.render("jumin_idou", values)
    assert info.value.field == field


def test_unknown_form(renderer: FormRenderer) -> None:
    with pytest.raises(UnknownFormError):
        renderer.render("no_such_form", {})


def test_empty_values_leave_the_form_blank_but_valid(renderer: FormRenderer) -> None:
    form = renderer.render("sousaihi", {})
    assert form.placements == () and form.qr_values == {}
    assert form.page_count == 1


def test_dates_accept_iso_strings_and_dates(renderer: FormRenderer) -> None:
    a = renderer.render("kaigo_idou", {"move_date": "2019-05-01"})
    b = renderer.render("kaigo_idou", {"move_date": dt.date(2019, 5, 1)})
    assert a.pdf == b.pdf
    assert [p.text for p in a.placements] == ["令和元年5月1日"]


def test_text_is_placed_inside_its_box(renderer: FormRenderer, library: FormLibrary, fonts: FontSet) -> None:
    # The placement box is the layout's box (compiled independently here), and the text's size
    # leaves its em box within it.
    layout = library.get("jidou_teate")
    page = PageCompiler(layout, fonts).compile(layout.first, "first")
    boxes = {slot.ref.key(): slot.text_rect for slot in page.fields}
    form = renderer.render("jidou_teate", sample_values("jidou_teate"))
    for placement in form.placements:
        assert placement.rect == boxes[placement.key]
        height_mm = block_height(len(placement.lines), placement.size) / PT_PER_MM
        assert height_mm <= placement.rect.h
        widest = max(fonts.width(line.rstrip(), Face.MINCHO, placement.size) for line in placement.lines)
        assert widest / PT_PER_MM <= placement.rect.w
