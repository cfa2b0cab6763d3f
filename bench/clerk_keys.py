"""Keystrokes a clerk needs for a whole visit, counted while driving the real window with key events.

Issue 18 measured a family of 4 moving in (転入) at ≈229 IME keystrokes and 10 mouse clicks without
QR, ≈20 keys and 4 clicks with QR pre-fill. This script drives the kiosk's own window (offscreen Qt,
the demo card, PDF folder "printer") through scripted visits with key events only — no mouse, no
presenter call for anything a clerk does — and counts every key:

* a plain key (digits, F-keys, Enter, Tab) counts 1;
* Japanese text is typed through the IME: its romaji keys, one Space per conversion (more when the
  wanted kanji is not the first candidate, as noted per entry), one Enter to commit; the committed
  text reaches the field as the IME delivers it (a ``QInputMethodEvent``);
* the resident's PIN is counted apart (the resident types it, on their own screen when there is one);
  a card placed on the reader and QR codes read by the scanner are not keys.

Scenarios: (1) 転入, family of 4, the householder's card and three members typed; (2) the same family
all typed (no card); (3) the same family with the QR pre-fill of every member; (4) おくやみ (死亡) of
one member, typed. Targets (issue 18): (1) ≤ half the baseline of 229; (3) ≤ 10 keys besides the PIN.

Run: ``.venv/bin/python -m bench.clerk_keys``. ``tests/qt/test_clerk_keys.py`` runs the same scenarios
and checks that each visit ends with the papers printed, using the keyboard only.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from counter_app.adapters.card_source import DemoCardSource
from counter_app.presenters.kiosk import Step
from counter_app.presenters.printing import PrintStep
from counter_app.settings.config import Settings
from counter_app.ui.main_window import MainWindow
from counter_app.wiring.kiosk import Kiosk, build_kiosk
from counter_app.workflow.tasks import ImmediateRunner
from printing.folder_backend import FolderBackend
from procedures.engine import guide
from procedures.prefill import encode_visit
from procedures.schema import Question
from procedures.visit import JsonAnswer, parse_visit

BASELINE_KEYS = 229  # issue 18: a family of 4 moving in, no QR, measured on the kiosk before the work
BASELINE_QR_KEYS = 20
TODAY = dt.date(2026, 11, 23)
DEMO_PIN = "1234"
MOVED_IN = TODAY - dt.timedelta(days=3)


@dataclass(frozen=True)
class Ime:
    """Japanese text as a clerk types it: romaji, the conversions (Space presses), one Enter to commit."""

    text: str
    romaji: str
    conversions: int = 1

    @property
    def keys(self) -> int:
        return len(self.romaji) + self.conversions + 1


@dataclass(frozen=True)
class Typed:
    """One household member the clerk types (the family name is offered from the householder's)."""

    given: Ime
    birth: str  # 和暦 7 digits as typed at the counters (era code + YYMMDD)
    sex_key: str  # "1" 男 / "2" 女
    relationship_key: str | None  # the 続柄 key when not 子 (the default for added members)
    family: Ime | None = None  # typed only when the member is typed first (no card)


HOUSEHOLDER_TYPED = Typed(Ime("花子", "hanako"), "3630612", "2", None, family=Ime("窓口", "madoguchi"))
SPOUSE = Typed(Ime("一郎", "ichirou"), "3550412", "1", "2")
CHILDREN = (
    Typed(Ime("翔太", "shouta", conversions=2), "4300101", "1", None),
    Typed(Ime("結衣", "yui", conversions=3), "5030315", "2", None),
)
# The new address (転入): the 郵便番号 gives the town, the clerk types the 番地 (ASCII digits).
NEW_POSTCODE = "1000001"
NEW_BANCHI = "2-3-4"


@dataclass
class Count:
    keys: int = 0
    pin: int = 0
    log: list[str] = field(default_factory=list)


class Clerk:
    """Sends keys to whatever has the keyboard focus, as a person would, and counts them."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.count = Count()

    def _settle(self) -> None:
        for _ in range(3):
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        # A button's shortcut shows it pressed and clicks it 100 ms later: wait for every such click
        # (on a busy machine the timer may fire late).
        for _ in range(100):
            QTest.qWait(30)
            buttons = [b for b in QApplication.allWidgets() if isinstance(b, QPushButton)]
            if not any(b.isDown() for b in buttons):
                break

    def _target(self) -> QWidget:
        target = QApplication.focusWidget() or self.window
        return target

    def key(self, key: Qt.Key | str, note: str = "") -> None:
        target = self._target()
        if isinstance(key, str):
            QTest.keyClicks(target, key)
            self.count.keys += len(key)
        else:
            QTest.keyClick(target, key)
            self.count.keys += 1
        self.count.log.append(note or str(key))
        self._settle()

    def ime(self, entry: Ime, keys: int | None = None) -> None:
        event = QInputMethodEvent()
        event.setCommitString(entry.text)
        QApplication.sendEvent(self._target(), event)
        self.count.keys += entry.keys if keys is None else keys
        self.count.log.append(f"IME {entry.romaji or entry.text} ({entry.keys if keys is None else keys})")
        self._settle()

    def pin(self, digits: str) -> None:
        page = self.window.pages[Step.IDENTIFY]
        QTest.keyClicks(page, digits)
        QTest.keyClick(page, Qt.Key.Key_Return)
        self.count.pin += len(digits) + 1
        self._settle()


def open_kiosk(folder: Path) -> tuple[Kiosk, MainWindow]:
    settings = Settings(counter_name="1番窓口", data_dir=folder / "data", config_path=folder / "c.toml")
    parts = build_kiosk(
        settings, ImmediateRunner(), card_source=DemoCardSource(), print_backend=FolderBackend(folder / "out")
    )
    parts.kiosk.today = parts.printer.today = lambda: TODAY
    window = MainWindow(parts.kiosk, parts.printer, parts.idle, settings.counter_name, False, parts.status)
    window.resize(1280, 800)
    window.show()
    window.activateWindow()
    QTest.qWaitForWindowActive(window)
    return parts, window


def step(parts: Kiosk) -> Step:
    return parts.kiosk.view.value.step


def type_member(clerk: Clerk, member: Typed) -> None:
    """On the details page (focus in the first empty field): the name, furigana, birth date, sex,
    address (the household's, F6), relationship; Enter goes on to the next empty field, then confirms."""
    if member.family is not None:
        clerk.ime(member.family)
        clerk.ime(Ime("\u3000", "", conversions=0), keys=1)  # Space with nothing to convert: 「　」
    clerk.ime(member.given)
    clerk.key(Qt.Key.Key_Return, "next field")
    clerk.key(Qt.Key.Key_F3, "accept the furigana")
    clerk.key(Qt.Key.Key_Return, "next field")
    clerk.key(member.birth, "birth date (和暦)")
    clerk.key(Qt.Key.Key_Return, "next field")
    clerk.key(member.sex_key, "sex")
    clerk.key(Qt.Key.Key_Return, "next field")
    if member.family is not None:
        clerk.key(NEW_POSTCODE, "postcode")
        clerk.key(Qt.Key.Key_F6, "use the postcode's address")
        clerk.key(NEW_BANCHI, "番地")
    else:
        clerk.key(Qt.Key.Key_F6, "the household's address")
    if member.relationship_key is not None:
        clerk.key(Qt.Key.Key_Tab, "to 続柄")
        clerk.key(member.relationship_key, "続柄")
    clerk.key(Qt.Key.Key_Return, "confirm")


def answer_questions(clerk: Clerk, parts: Kiosk, answers: dict[str, Callable[[Clerk], None]]) -> None:
    guard = 0
    while step(parts) is Step.QUESTIONS and guard < 60:
        guard += 1
        pending = parts.kiosk.questions.value.question
        assert pending is not None
        handler = answers.get(pending.id)
        if handler is not None:
            handler(clerk)
        elif pending.question.type in ("choice", "yes_no"):
            clerk.key("2" if pending.question.type == "yes_no" else "1", pending.id)  # いいえ / the first
        elif pending.question.type == "date":  # the date offered (today), as it stands
            clerk.key(Qt.Key.Key_Tab, f"{pending.id}: to the date")
            clerk.key(Qt.Key.Key_Return, pending.id)
        elif pending.question.type == "number":
            clerk.key(Qt.Key.Key_Tab, f"{pending.id}: to the number")
            clerk.key("1", pending.id)
            clerk.key(Qt.Key.Key_Return, pending.id)
        else:
            raise AssertionError(f"no scripted answer for {pending.id}")
    assert step(parts) is Step.REVIEW, (
        step(parts),
        parts.kiosk.view.value.error,
        QApplication.focusWidget(),
        clerk.count.log,
    )


def new_address(clerk: Clerk) -> None:
    clerk.key(Qt.Key.Key_Tab, "to the answer field")
    clerk.key(NEW_POSTCODE, "postcode")
    clerk.key(Qt.Key.Key_F6, "use the postcode's address")
    clerk.key(NEW_BANCHI, "番地")
    clerk.key(Qt.Key.Key_Return, "answer")


def print_step(parts: Kiosk) -> PrintStep:
    return parts.printer.view.value.step


def print_and_finish(clerk: Clerk, parts: Kiosk) -> None:
    clerk.key(Qt.Key.Key_Return, "印刷へ進む")
    assert print_step(parts) is PrintStep.PREVIEW, parts.printer.view.value.message
    clerk.key(Qt.Key.Key_Return, "印刷する")
    assert print_step(parts) is PrintStep.DONE, parts.printer.view.value.message
    clerk.key(Qt.Key.Key_Return, "受付を終える")
    assert step(parts) is Step.DONE
    clerk.key(Qt.Key.Key_Return, "次の方")
    assert step(parts) is Step.WAITING


def choose_event(clerk: Clerk, parts: Kiosk, event_id: str) -> None:
    clerk.key(str(list(parts.kiosk.catalog.events).index(event_id) + 1), event_id)
    assert step(parts) is Step.HOUSEHOLD, (step(parts), QApplication.focusWidget(), clerk.count.log)


def add_typed(clerk: Clerk, parts: Kiosk, member: Typed) -> None:
    clerk.key(Qt.Key.Key_F2, "手入力で追加")
    assert step(parts) is Step.MEMBER
    type_member(clerk, member)
    assert step(parts) is Step.HOUSEHOLD, (
        parts.kiosk.member_form.value.view.value if parts.kiosk.member_form.value else None,
        clerk.count.log,
    )


TENNYU_ANSWERS: dict[str, Callable[[Clerk], None]] = {"new_address": new_address}


def family_move_in(parts: Kiosk, window: MainWindow, *, card: bool) -> Count:
    clerk = Clerk(window)
    if card:
        parts.kiosk.card_inserted()  # the card on the reader: not a key
        clerk._settle()
        clerk.pin(DEMO_PIN)
        assert step(parts) is Step.MEMBER
        clerk.key(Qt.Key.Key_F3, "accept the furigana")
        clerk.key(Qt.Key.Key_Return, "confirm")
    else:
        clerk.key(Qt.Key.Key_F2, "手入力で受付")
        type_member(clerk, HOUSEHOLDER_TYPED)
    assert step(parts) is Step.EVENT, parts.kiosk.view.value.error
    # 異動日 (the day they moved in, 3 days ago): Tab to the date (its day is selected), the day, Enter.
    clerk.key(Qt.Key.Key_Tab, "to the date's day")
    clerk.key(f"{MOVED_IN.day}", "異動日 (day)")
    clerk.key(Qt.Key.Key_Return, "date done")
    choose_event(clerk, parts, "tennyu")
    session = parts.kiosk.session
    assert session is not None and session.event_date == MOVED_IN, session and session.event_date
    for member in (SPOUSE, *CHILDREN):
        add_typed(clerk, parts, member)
    clerk.key(Qt.Key.Key_Return, "質問へ進む")
    answer_questions(clerk, parts, TENNYU_ANSWERS)
    print_and_finish(clerk, parts)
    return clerk.count


def _home_answer(question: Question) -> JsonAnswer:
    """What the resident chose at home: the same answers the clerk's script gives."""
    match question.type:
        case "yes_no":
            return False
        case "choice":
            return question.choices[0].value
        case "date":
            return TODAY.isoformat()
        case "number":
            return 1
        case _:
            raise AssertionError(f"no home answer for {question.id}")


def family_move_in_qr(parts: Kiosk, window: MainWindow) -> Count:
    """Every member comes with the QR pre-fill (event, members, new address); the scanner reads it."""
    catalog = parts.kiosk.catalog
    people = [
        ("窓口\u3000花子", "マドグチ\u3000ハナコ", "1988-06-12", "female", "self"),
        ("窓口\u3000一郎", "マドグチ\u3000イチロウ", "1980-04-12", "male", "spouse"),
        ("窓口\u3000翔太", "マドグチ\u3000ショウタ", "2018-01-01", "male", "child"),
        ("窓口\u3000結衣", "マドグチ\u3000ユイ", "2021-03-15", "female", "child"),
    ]
    keys = ("name", "furigana", "birth_date", "sex", "relationship")
    members = [{**dict(zip(keys, person, strict=True)), "source": "qr"} for person in people]
    visit = parse_visit({"event": "tennyu", "event_date": MOVED_IN.isoformat(), "members": members})
    # The resident answered the municipality's online form at home: the answers travel in the QR.
    visit = visit.with_answer("new_address", "東京都千代田区千代田2-3-4")
    guidance = guide(catalog, visit)
    while guidance.next_question is not None:
        pending = guidance.next_question
        visit = visit.with_answer(pending.id, _home_answer(pending.question), pending.member)
        guidance = guide(catalog, visit)
    clerk = Clerk(window)
    for text in encode_visit(visit, catalog.id, catalog.meta.version):
        parts.kiosk.qr_scanned(text)  # the scanner (a keyboard wedge): not the clerk's keys
    clerk._settle()
    assert step(parts) is Step.HOUSEHOLD, (
        parts.kiosk.member_form.value.view.value if parts.kiosk.member_form.value else None,
        clerk.count.log,
    )
    clerk.key(Qt.Key.Key_Return, "質問へ進む")
    answer_questions(clerk, parts, {})
    print_and_finish(clerk, parts)
    return clerk.count


def okuyami(parts: Kiosk, window: MainWindow) -> Count:
    """おくやみ: the deceased's family member comes with a card; the deceased is typed."""
    clerk = Clerk(window)
    parts.kiosk.card_inserted()
    clerk._settle()
    clerk.pin(DEMO_PIN)
    clerk.key(Qt.Key.Key_F3, "accept the furigana")
    clerk.key(Qt.Key.Key_Return, "confirm")
    choose_event(clerk, parts, "shibou")
    add_typed(clerk, parts, Typed(Ime("一郎", "ichirou"), "3550412", "1", "2"))
    clerk.key("2", "the deceased: the second row")
    clerk.key(Qt.Key.Key_Return, "質問へ進む")
    answer_questions(clerk, parts, {})
    print_and_finish(clerk, parts)
    return clerk.count


SCENARIOS: dict[str, Callable[[Kiosk, MainWindow], Count]] = {
    "転入 4人(世帯主はカード、3人は手入力)": lambda p, w: family_move_in(p, w, card=True),
    "転入 4人(全員手入力)": lambda p, w: family_move_in(p, w, card=False),
    "転入 4人(全員QRコード)": family_move_in_qr,
    "おくやみ(届出人はカード、亡くなった方は手入力)": okuyami,
}


def run(name: str) -> Count:
    with tempfile.TemporaryDirectory() as folder:
        parts, window = open_kiosk(Path(folder))
        try:
            return SCENARIOS[name](parts, window)
        finally:
            window.close()
            parts.printer.stop()
            parts.storage.close()


def main() -> int:
    QApplication.instance() or QApplication(sys.argv[:1])
    for name in SCENARIOS:
        count = run(name)
        line = f"{name}: {count.keys} keys (+ PIN {count.pin})"
        if name.startswith("転入"):  # the baselines are for the family moving in
            base = BASELINE_QR_KEYS if "QR" in name else BASELINE_KEYS
            line += f"; baseline {base}; ratio {count.keys / base:.2f}"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
