"""The back-office QR code names the hand-off batch and rows of its form, so paper and data match."""

from __future__ import annotations

import datetime as dt

from counter_app.workflow.documents import GUIDE_KIND, DocumentService
from counter_app.workflow.handoff import handoff_visit_id
from forms import FontSet, FormRenderer
from forms.backoffice import decode_payload, encode_payload
from procedures import guide, load_catalog
from procedures.handoff import build_rows, load_layouts
from tests.unit.procedures.test_handoff import TODAY, tennyu_visit

VISIT_ID = "V20250602-0000abcd"


def test_the_qr_payload_carries_batch_and_row_ids() -> None:
    payload = encode_payload("jumin_idou", {"a": "b"}, handoff=(["B-01"], ["B-01-01", "B-01-02"]))
    record = decode_payload(payload)
    assert record.batch_ids == ("B-01",) and record.row_ids == ("B-01-01", "B-01-02")
    older = decode_payload(encode_payload("jumin_idou", {"a": "b"}))  # a code without hand-off ids
    assert older.batch_ids == () and older.row_ids == ()


def test_every_hand_off_row_is_named_by_the_qr_of_a_printed_form(
    renderer: FormRenderer, fonts: FontSet
) -> None:
    catalog = load_catalog("default")
    visit = tennyu_visit()
    guidance = guide(catalog, visit)
    papers = DocumentService(catalog, renderer, fonts).build(
        visit, guidance, list(guidance.procedures), TODAY, handoff_visit_id=VISIT_ID
    )
    on_paper = {row for doc in papers.documents for row in doc.handoff_rows}
    forms = {doc.kind: doc.handoff_rows for doc in papers.documents}
    assert forms[GUIDE_KIND] == ()
    # the 住民異動届 names the three rows of the 転入届 (the visit's first procedure)
    assert forms["jumin_idou"] == tuple(f"{VISIT_ID}-01-{n:02d}" for n in (1, 2, 3))
    layout = load_layouts(catalog)["juki_utf8"]
    printed = {doc.kind for doc in papers.documents}
    rows = build_rows(layout, visit, guidance, VISIT_ID, TODAY, printed_forms=printed)
    assert rows.rows and {r.row_id for r in rows.rows} <= on_paper


def test_the_kiosk_visit_id_is_short_and_dated() -> None:
    assert handoff_visit_id("0000abcd-0000-4000-8000-000000000000", dt.date(2025, 6, 2)) == VISIT_ID
    assert handoff_visit_id("v1", dt.date(2025, 6, 2)).startswith("V20250602-")
