"""Capture each step of a demo visit from the real app, for docs/screenshots/.

Run under a virtual screen:
``xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/screenshots.py``.
Uses a temporary data folder and the demo card; prints to PDF files (no printer needed).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from counter_app.presenters.kiosk import Step
from counter_app.presenters.printing import PrintStep
from counter_app.presenters.supervisor import SupervisorSignIn
from counter_app.settings.config import Settings
from counter_app.ui.main_window import MainWindow
from counter_app.ui.resident_window import ResidentWindow
from counter_app.ui.style import STYLESHEET, ui_font
from counter_app.ui.supervisor.sign_in import SignInDialog
from counter_app.ui.tasks import QtTaskRunner
from counter_app.wiring.kiosk import build_kiosk
from counter_app.workflow.tasks import ImmediateRunner
from procedures.visit import JsonAnswer

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


def main() -> None:  # noqa: PLR0915 - one scripted visit, step by step
    app = QApplication(sys.argv[:1])
    app.setFont(ui_font())
    app.setStyleSheet(STYLESHEET)
    data = Path(tempfile.mkdtemp(prefix="madoguchi-shots-"))
    settings = Settings(
        counter_name="みどり川区役所 本庁舎1番窓口", data_dir=data, config_path=data / "config.toml"
    )
    runner = QtTaskRunner()
    parts = build_kiosk(settings, runner, demo=True)
    window = MainWindow(
        parts.kiosk,
        parts.printer,
        parts.idle,
        settings.counter_name,
        True,
        parts.status,
        reprint=parts.reprint,
    )
    resident = ResidentWindow(parts.kiosk, settings.counter_name)
    window.resize(1280, 800)
    resident.resize(1280, 800)
    window.show()
    resident.show()

    def pump(seconds: float = 0.4, until: object = None) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)

    def shot(name: str, widget: QWidget = window) -> None:
        pump()
        widget.grab().save(str(OUT / f"{name}.png"))
        print("wrote", name)

    kiosk = parts.kiosk
    OUT.mkdir(parents=True, exist_ok=True)
    shot("01-waiting")
    kiosk.card_inserted()
    pump(1.0)
    for digit in "12":
        kiosk.identify.press_digit(digit)
    shot("02-identify-pin")
    for digit in "34":
        kiosk.identify.press_digit(digit)
    kiosk.identify.submit()
    pump(1.0)
    shot("03-details")
    form = kiosk.member_form.value
    assert form is not None
    form.accept_suggestion()
    kiosk.confirm_member()
    shot("04-event")
    kiosk.choose_event("tennyu")
    kiosk.start_typed()
    form = kiosk.member_form.value
    assert form is not None
    form.set_field("birth_date", "4300707")  # 和暦: 平成30年7月7日
    shot("05a-typed-member")  # the householder's 氏 offered, the furigana suggestion (F3)
    for key, text in (
        ("name", "窓口\u3000陽太"),
        ("birth_date", "4300707"),
        ("sex", "male"),
        ("relationship", "child"),
    ):
        form.set_field(key, text)
    form.accept_suggestion()
    kiosk.confirm_member()
    shot("05-household")
    kiosk.household_done()
    shot("06-questions")
    shot("06b-resident-screen", resident)
    answers: dict[str, JsonAnswer] = {
        "new_address": "東京都みどり川区本町二丁目3番4号",
        "insurance": "kokuho",
    }
    for _ in range(60):
        question = kiosk.questions.value.question
        if kiosk.view.value.step is not Step.QUESTIONS or question is None:
            break
        q = question.question
        value: JsonAnswer | None = answers.get(q.id)
        if value is None:
            defaults: dict[str, JsonAnswer] = {
                "yes_no": False,
                "choice": q.choices[0].value if q.choices else "",
                "number": q.min or 0,
                "date": "2026-11-01",
                "text": "テスト",
            }
            value = defaults[q.type]
        kiosk.answer(value)
    shot("07-review")
    dialog = window.open_extras()
    assert dialog is not None
    kiosk.set_ticket("0045")
    kiosk.set_note("転出証明書の原本を確認済み")
    dialog.certificate_box.setChecked(True)
    dialog.purpose.setCurrentIndex(dialog.purpose.findData("license"))
    dialog._apply_certificate()
    dialog.resize(1000, 780)
    shot("07b-extras", dialog)
    dialog.accept()
    kiosk.go_print()
    deadline = time.monotonic() + 30
    while parts.printer.view.value.step is not PrintStep.PREVIEW and time.monotonic() < deadline:
        pump(0.2)
    shot("08-print-preview")
    parts.printer.print_all()
    deadline = time.monotonic() + 30
    while parts.printer.view.value.step is not PrintStep.DONE and time.monotonic() < deadline:
        pump(0.2)
    shot("09-printed")
    kiosk.finish(parts.printer.printed())
    shot("10-done")
    shot("10b-resident-screen-after", resident)
    kiosk.next_resident()
    reprint = window.open_reprint()
    assert reprint is not None and parts.reprint is not None
    pump(0.5)
    visits = parts.reprint.view.value.visits
    assert visits
    parts.reprint.open(visits[0].visit_id)
    deadline = time.monotonic() + 30
    while parts.reprint.view.value.documents == () and time.monotonic() < deadline:
        pump(0.2)
    reprint.resize(1280, 800)
    shot("11-reprint", reprint)
    reprint.reject()
    sign_in = SignInDialog(SupervisorSignIn(parts.storage.supervisors), window, runner=ImmediateRunner())
    sign_in.resize(640, 300)
    sign_in.show()
    shot("12-first-supervisor", sign_in)
    sign_in.reject()
    window.close()
    resident.close()
    runner.wait()
    parts.storage.close()


if __name__ == "__main__":
    main()
