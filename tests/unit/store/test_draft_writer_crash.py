"""A draft written by the kiosk's worker is on disk, encrypted, as soon as the worker is done: a counter
that crashes then (its storage never closed) finds the visit with every change when it runs again."""

from __future__ import annotations

from counter_app.adapters.storage import CounterStorage
from counter_app.settings.config import Settings
from counter_app.workflow.draft_writer import BackgroundDrafts
from counter_app.workflow.kiosk_records import EncryptedDrafts
from tests.helpers.runners import ThreadRunner


def test_the_newest_draft_survives_a_crash_after_the_worker_wrote_it(
    settings: Settings, storage: CounterStorage
) -> None:
    runner = ThreadRunner()
    drafts = BackgroundDrafts(EncryptedDrafts(storage.drafts), runner)
    visit_id = "0" * 31 + "1"
    failed: list[BaseException] = []
    for answered in range(1, 6):  # the clerk answers quickly: saves merge while one is written
        drafts.save_soon(visit_id, {"format": "test", "answers": answered}, failed.append)
    runner.settle()
    assert not failed and not drafts.pending()
    # The crash: the first storage is never closed; the next run opens the same folder (without the
    # start-up purge, which after the purge time would rightly drop every draft of the day).
    restarted = CounterStorage(settings, background=False)
    try:
        found = EncryptedDrafts(restarted.drafts).load_all()
    finally:
        restarted.close()
    assert found == [(visit_id, {"format": "test", "answers": 5})]
    raw = (settings.data_dir).rglob("*")
    assert not any(b"answers" in p.read_bytes() for p in raw if p.is_file())  # encrypted at rest
