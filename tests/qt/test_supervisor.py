"""The supervisor screens over a real SQLite CounterStorage: sign-in, statistics, CSV export, settings.

Nothing is mocked: accounts are made through SupervisorAccounts (scrypt), visits go through the
Recorder's outbox into the main database, and the audit log is read back from that database.
Dialogs are opened with ``open()`` (never ``exec()``), so no test waits on a modal loop.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from counter_app.adapters.storage import CounterStorage
from counter_app.adapters.store.errors import SupervisorRequiredError
from counter_app.adapters.store.models import AUDIT_EVENTS
from counter_app.adapters.store.records import (
    AuditKind,
    IdentifiedBy,
    PrintJobRecord,
    ProcedureChoice,
    VisitOutcome,
    VisitRecord,
)
from counter_app.presenters.supervisor import (
    SettingsEditor,
    SupervisorMenu,
    SupervisorSignIn,
    SupervisorStats,
)
from counter_app.settings.config import ConfigError, Settings, load_settings
from counter_app.ui.supervisor import SupervisorDialog, open_supervisor
from counter_app.ui.supervisor.settings_dialog import SettingsPanel
from counter_app.ui.supervisor.sign_in import DATABASE_DOWN_MESSAGE, SignInDialog
from counter_app.ui.supervisor.stats_view import DATABASE_DOWN_MESSAGE as STATS_DATABASE_DOWN_MESSAGE
from counter_app.ui.supervisor.stats_view import StatsView
from counter_app.workflow.tasks import ImmediateRunner

TOKYO = ZoneInfo("Asia/Tokyo")
DAY = dt.date(2026, 4, 6)
LOGIN = "kacho"
PASSWORD = "madoguchi-2026"
COUNTER = "1番窓口"


@pytest.fixture(autouse=True)
def no_os_key_store() -> Iterator[None]:
    """Keep the developer's OS key store out of the test (drafts use the derived per-counter key)."""
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def make_settings(tmp_path: Path, **environ: str) -> Settings:
    return load_settings(
        path=tmp_path / "config" / "madoguchi.toml",
        environ={"MADOGUCHI_DATA_DIR": str(tmp_path / "data"), "MADOGUCHI_COUNTER_NAME": COUNTER, **environ},
    )


def at(hour: int, minute: int) -> dt.datetime:
    return dt.datetime(DAY.year, DAY.month, DAY.day, hour, minute, tzinfo=TOKYO)


def visit(
    start: dt.datetime, minutes: int, life_event: str, procedures: tuple[ProcedureChoice, ...], chars: int
) -> VisitRecord:
    return VisitRecord(
        visit_id=uuid.uuid4(),
        counter=COUNTER,
        life_event=life_event,
        started_at=start,
        finished_at=start + dt.timedelta(minutes=minutes),
        outcome=VisitOutcome.COMPLETED,
        identified_by=IdentifiedBy.CARD,
        clerk_id="clerk-07",
        procedures=procedures,
        print_jobs=(PrintJobRecord(uuid.uuid4(), "jumin_idou", start, pages=2, prefilled_chars=chars),),
    )


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def storage(settings: Settings) -> Iterator[CounterStorage]:
    opened = CounterStorage(settings, background=False)
    opened.start()
    opened.supervisors.add(LOGIN, PASSWORD)
    recorder = opened.recorder
    recorder.record_visit(
        visit(
            at(9, 10), 10, "tennyu", (ProcedureChoice("tennyu_todoke"), ProcedureChoice("kokuho_kanyu")), 180
        )
    )
    recorder.record_visit(
        visit(
            at(10, 20),
            20,
            "tennyu",
            (
                ProcedureChoice("tennyu_todoke"),
                ProcedureChoice("kokuho_kanyu", chosen=False, deselect_reason="already_done"),
            ),
            150,
        )
    )
    recorder.record_visit(visit(at(10, 40), 30, "shussei", (ProcedureChoice("jidou_teate_shussei"),), 95))
    opened.flush()
    yield opened
    opened.close()


def audit_rows(storage: CounterStorage, kind: AuditKind) -> list[Any]:
    storage.flush()
    with storage.database.engine.connect() as connection:
        return list(connection.execute(select(AUDIT_EVENTS).where(AUDIT_EVENTS.c.kind == kind.value)).all())


def table_rows(dialog: SupervisorDialog, title: str) -> list[list[str]]:
    table = dialog.stats.tables[title]
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]  # type: ignore[union-attr]
        for r in range(table.rowCount())
    ]


def sign_in(
    qtbot: QtBot, parent: QWidget, storage: CounterStorage, settings: Settings, password: str
) -> SignInDialog:
    """Open the supervisor screens from ``parent`` and submit LOGIN with ``password``."""
    open_supervisor(parent, SupervisorMenu(storage, settings))
    dialog = parent.findChild(SignInDialog)
    assert isinstance(dialog, SignInDialog) and dialog.isVisible()
    qtbot.keyClicks(dialog.login, LOGIN)
    qtbot.keyClicks(dialog.password, password)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    return dialog


@pytest.fixture
def window(qtbot: QtBot) -> QWidget:
    """Stands in for the kiosk's main window (the test holds it: pytest-qt keeps only a weak reference)."""
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    return parent


def signed_in(qtbot: QtBot, parent: QWidget, storage: CounterStorage, settings: Settings) -> SupervisorDialog:
    sign_in(qtbot, parent, storage, settings, PASSWORD)
    qtbot.waitUntil(lambda: isinstance(parent.findChild(SupervisorDialog), SupervisorDialog), timeout=5000)
    dialog = parent.findChild(SupervisorDialog)
    assert isinstance(dialog, SupervisorDialog)
    dialog.stats.date.setDate(QDate(DAY.year, DAY.month, DAY.day))  # the recorded day (refreshes the report)
    return dialog


def test_wrong_password_is_refused_and_audited_and_nothing_is_shown(
    qtbot: QtBot, window: QWidget, storage: CounterStorage, settings: Settings
) -> None:
    parent = window
    dialog = sign_in(qtbot, parent, storage, settings, "not-the-password")
    qtbot.waitUntil(lambda: not dialog.checking, timeout=10_000)
    assert dialog.isVisible()
    assert dialog.message.text() == "ログイン名またはパスワードが違います。"
    assert dialog.password.text() == ""  # cleared after every attempt
    assert parent.findChild(SupervisorDialog) is None
    [failed] = audit_rows(storage, AuditKind.SUPERVISOR_SIGN_IN_FAILED)
    assert failed.clerk_id == LOGIN and failed.detail == {"known_login": True, "failed": 1}
    assert audit_rows(storage, AuditKind.SUPERVISOR_SIGN_IN) == []
    dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    assert not dialog.isVisible()
    assert parent.findChild(SupervisorDialog) is None


def test_five_wrong_passwords_lock_the_account(qtbot: QtBot, storage: CounterStorage) -> None:
    dialog = SignInDialog(SupervisorSignIn(storage.supervisors))
    qtbot.addWidget(dialog)
    messages = []
    for password in ["wrong-password"] * 5 + [PASSWORD]:
        dialog.login.setText(LOGIN)
        dialog.password.setText(password)
        with qtbot.waitSignal(dialog.refused, timeout=10_000) as refused:
            dialog.attempt()
        messages.append(refused.args[0])
    assert messages[:4] == ["ログイン名またはパスワードが違います。"] * 4
    assert "ロック" in messages[4] and "ロック" in messages[5]  # the right password waits too
    assert dialog.session is None
    assert len(audit_rows(storage, AuditKind.SUPERVISOR_SIGN_IN_FAILED)) == 6
    # Empty fields never reach the service.
    with qtbot.waitSignal(dialog.refused, timeout=1000) as refused:
        dialog.attempt()
    assert refused.args == ["ログイン名とパスワードを入力してください。"]


def test_unreachable_database_says_so_in_japanese(qtbot: QtBot, tmp_path: Path) -> None:
    # Nothing listens on port 1 of the loopback: the connection is refused at once.
    settings = make_settings(tmp_path, MADOGUCHI_DATABASE_URL="postgresql://madoguchi@127.0.0.1:1/madoguchi")
    storage = CounterStorage(settings, background=False)
    try:
        dialog = SignInDialog(SupervisorSignIn(storage.supervisors))
        qtbot.addWidget(dialog)
        dialog.login.setText(LOGIN)
        dialog.password.setText(PASSWORD)
        with qtbot.waitSignal(dialog.refused, timeout=20_000) as refused:
            dialog.attempt()
        assert refused.args == [DATABASE_DOWN_MESSAGE]
        assert dialog.message.text() == DATABASE_DOWN_MESSAGE
        assert dialog.session is None
    finally:
        storage.close(flush=False)


def test_right_password_shows_the_recorded_figures(
    qtbot: QtBot, window: QWidget, storage: CounterStorage, settings: Settings
) -> None:
    dialog = signed_in(qtbot, window, storage, settings)
    assert dialog.isVisible() and dialog.session.login == LOGIN
    assert len(audit_rows(storage, AuditKind.SUPERVISOR_SIGN_IN)) == 1
    tabs = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert tabs == ["統計", "引き渡し", "住民記録の照会", "設定"]
    stats = dialog.stats
    assert stats.report is not None and stats.report.query.start == dt.date(2026, 4, 1)  # the month
    summary = dict((row[0], row[1]) for row in table_rows(dialog, "概要"))
    assert summary["来庁者数"] == "3"
    assert summary["印刷した申請書(部)"] == "3"
    assert summary["手書きを省いた文字数(推定)"] == str(180 + 150 + 95)
    assert summary["処理時間 中央値(分)"] == "20.1"  # 10-second bins: within 5 s of 20 min
    assert table_rows(dialog, "ライフイベント別") == [
        ["転入(区外からの引っ越し)", "2", "2", "4", "3"],  # names from the shipped catalog
        ["出生", "1", "1", "1", "1"],
    ]
    assert table_rows(dialog, "選択解除の理由") == [["国民健康保険の加入(転入)", "既に手続済み", "1"]]
    hours = dict((row[0], row[1]) for row in table_rows(dialog, "時間帯別"))
    assert (hours["9時"], hours["10時"], hours["11時"]) == ("1", "2", "0")
    chart = stats.charts["時間帯別"]
    [bar_set] = chart.series()[0].barSets()  # type: ignore[attr-defined]
    assert [bar_set.at(i) for i in range(bar_set.count())][1:4] == [1.0, 2.0, 0.0]  # 8時, 9時, 10時, 11時
    assert "来庁者数 3人" in stats.summary.text()

    # One day, one week: the same three visits; another day: none.
    stats.period.setCurrentIndex(0)
    assert stats.report.visits == 3 and stats.report.query.start == DAY
    stats.date.setDate(QDate(DAY.year, DAY.month, DAY.day + 1))
    assert stats.report.visits == 0
    stats.period.setCurrentIndex(1)
    assert stats.report.visits == 3 and stats.report.query.end == DAY + dt.timedelta(days=6)
    # The counter filter.
    stats.counter.setCurrentIndex(stats.counter.findData(COUNTER))
    assert stats.report.query.counter == COUNTER and stats.report.visits == 3


def test_csv_export_through_the_file_dialog(
    qtbot: QtBot, window: QWidget, storage: CounterStorage, settings: Settings, tmp_path: Path
) -> None:
    dialog = signed_in(qtbot, window, storage, settings)
    stats = dialog.stats
    qtbot.mouseClick(stats.export_button, Qt.MouseButton.LeftButton)
    file_dialog = stats.export_dialog
    assert file_dialog is not None and file_dialog.isVisible()
    assert file_dialog.selectedFiles()[0].endswith("madoguchi_stats_20260401-20260430.csv")
    target = tmp_path / "export" / "april.csv"
    target.parent.mkdir()
    file_dialog.setDirectory(str(target.parent))
    file_dialog.selectFile(str(target))
    with qtbot.waitSignal(stats.exported, timeout=5000) as written:
        file_dialog.accept()
    assert written.args == [str(target)]
    data = target.read_bytes()
    assert stats.report is not None and data == stats.report.to_csv()
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    lines = data[3:].decode("utf-8").split("\r\n")
    assert lines[:4] == ["■概要", "項目,値", "期間,2026-04-01〜2026-04-30", "窓口,すべて"]
    assert "来庁者数,3" in lines
    assert "国民健康保険の加入(転入),既に手続済み,1" in lines
    assert "転入(区外からの引っ越し),2,2,4,3" in lines
    assert "住民異動届,3,0,0,425" in lines
    [export] = audit_rows(storage, AuditKind.STATS_EXPORT)
    assert export.clerk_id == LOGIN
    assert export.detail == {"start": "2026-04-01", "end": "2026-04-30", "counter": "*", "format": "csv"}


def test_settings_save_to_the_file_and_are_audited(
    qtbot: QtBot, window: QWidget, storage: CounterStorage, settings: Settings
) -> None:
    dialog = signed_in(qtbot, window, storage, settings)
    panel = dialog.settings_panel
    assert isinstance(panel, SettingsPanel)
    dialog.tabs.setCurrentIndex(1)

    # Invalid values are refused with the reason, and nothing is written.
    panel.database_url.setText("mysql://db-host/madoguchi")
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert "PostgreSQL" in panel.message.text()
    assert not settings.config_path.exists()
    panel.database_url.setText("")

    panel.idle_timeout.setValue(9)
    panel.printer.setCurrentText("LP-S180")
    with qtbot.waitSignal(panel.saved, timeout=5000):
        qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert panel.message.text() == ""
    assert "再起動" in panel.result.text()  # the printer applies after a restart
    reloaded = load_settings(
        path=settings.config_path, environ={"MADOGUCHI_DATA_DIR": str(settings.data_dir)}
    )
    assert reloaded.idle_timeout_minutes == 9 and reloaded.printer == "LP-S180"
    changes = {row.detail["setting"]: row for row in audit_rows(storage, AuditKind.SETTINGS_CHANGE)}
    assert set(changes) == {"counter.idle_timeout_minutes", "devices.printer"}
    timeout = changes["counter.idle_timeout_minutes"]
    assert timeout.detail == {"setting": "counter.idle_timeout_minutes", "old": 5, "new": 9}
    assert timeout.clerk_id == LOGIN and timeout.counter == COUNTER

    # A database URL may hold a password: the audit says it changed, never what it is.
    panel.database_url.setText("postgresql://madoguchi:s3cret@db-host/madoguchi")
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert panel.message.text() == ""
    [url_change] = [
        row
        for row in audit_rows(storage, AuditKind.SETTINGS_CHANGE)
        if row.detail["setting"] == "database.url"
    ]
    assert "s3cret" not in repr(url_change.detail) and url_change.detail["new"] == "(設定あり)"


def test_settings_overridden_by_the_environment_are_locked(
    qtbot: QtBot, storage: CounterStorage, settings: Settings
) -> None:
    panel = SettingsPanel(
        SettingsEditor(settings, storage.recorder),
        printers=["LP-S180"],
        readers=[],
        environ={"MADOGUCHI_COUNTER_NAME": COUNTER},
    )
    qtbot.addWidget(panel)
    assert not panel.counter_name.isEnabled() and panel.idle_timeout.isEnabled()
    assert [panel.printer.itemText(i) for i in range(panel.printer.count())] == ["", "LP-S180"]


def test_a_catalog_folder_that_does_not_load_is_refused(
    qtbot: QtBot, storage: CounterStorage, settings: Settings, tmp_path: Path
) -> None:
    panel = SettingsPanel(SettingsEditor(settings, storage.recorder), printers=[], readers=[], environ={})
    qtbot.addWidget(panel)
    panel.catalog_folder.setText(str(tmp_path / "no-such-catalog"))
    assert panel.save() is None
    assert "フォルダーが見つかりません" in panel.message.text()
    empty = tmp_path / "empty-catalog"
    empty.mkdir()
    panel.catalog_folder.setText(str(empty))
    assert panel.save() is None
    assert panel.message.text() != ""  # the catalog check's own Japanese message
    assert not settings.config_path.exists()
    assert audit_rows(storage, AuditKind.SETTINGS_CHANGE) == []


def test_statistics_without_the_database_say_so_and_export_nothing(qtbot: QtBot, tmp_path: Path) -> None:
    settings = make_settings(tmp_path, MADOGUCHI_DATABASE_URL="postgresql://madoguchi@127.0.0.1:1/madoguchi")
    storage = CounterStorage(settings, background=False)
    try:
        view = StatsView(SupervisorStats(storage), today=lambda: DAY)
        qtbot.addWidget(view)
        view.refresh()
        assert view.message.text() == STATS_DATABASE_DOWN_MESSAGE
        assert view.report is None and not view.export_button.isEnabled()
        assert view.export_to(tmp_path / "none.csv") is False
        assert not (tmp_path / "none.csv").exists()
    finally:
        storage.close(flush=False)


def test_the_supervisor_menu_signs_out_when_left_idle(
    qtbot: QtBot, window: QWidget, storage: CounterStorage, settings: Settings
) -> None:
    session = storage.supervisors.sign_in(LOGIN, PASSWORD)
    dialog = SupervisorDialog(
        SupervisorMenu(storage, settings), session, parent=window, idle_timeout=dt.timedelta(seconds=1)
    )
    dialog.open()
    assert dialog.idle_timer.interval() == 1000
    started = time.monotonic()
    qtbot.wait(600)
    qtbot.keyClick(dialog.tabs, Qt.Key.Key_Right)  # the supervisor is still there: the timer starts again
    assert dialog.isVisible()
    with qtbot.waitSignal(dialog.expired, timeout=5000):
        pass
    assert time.monotonic() - started >= 1.5  # counted from the key press, not from opening
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected


def test_the_idle_sign_out_is_set_in_the_settings_panel(
    qtbot: QtBot, storage: CounterStorage, settings: Settings
) -> None:
    panel = SettingsPanel(SettingsEditor(settings, storage.recorder), printers=[], readers=[], environ={})
    qtbot.addWidget(panel)
    assert panel.supervisor_idle.value() == 5 and panel.supervisor_idle.maximum() == 60
    panel.supervisor_idle.setValue(2)
    assert panel.save() is not None
    reloaded = load_settings(
        path=settings.config_path, environ={"MADOGUCHI_DATA_DIR": str(settings.data_dir)}
    )
    assert reloaded.supervisor_idle_timeout == dt.timedelta(minutes=2)


def test_the_idle_sign_out_is_a_setting(tmp_path: Path) -> None:
    assert make_settings(tmp_path).supervisor_idle_timeout == dt.timedelta(minutes=5)
    assert make_settings(tmp_path).replace(supervisor_idle_minutes=2).supervisor_idle_timeout == dt.timedelta(
        minutes=2
    )
    with pytest.raises(ConfigError):
        make_settings(tmp_path).replace(supervisor_idle_minutes=0)


def test_the_database_password_is_never_shown(
    qtbot: QtBot, storage: CounterStorage, settings: Settings
) -> None:
    with_password = settings.replace(database_url="postgresql://madoguchi:s3cret@db-host/madoguchi")
    editor = SettingsEditor(with_password, storage.recorder)
    panel = SettingsPanel(editor, printers=[], readers=[], environ={})
    qtbot.addWidget(panel)
    assert "s3cret" not in panel.database_url.text()
    assert panel.database_url.text() == "postgresql://madoguchi@db-host/madoguchi"
    assert panel.database_password.echoMode() is QLineEdit.EchoMode.Password
    assert panel.database_password.text() == ""
    # left empty: the stored password is kept; another host keeps it too
    assert panel.edited().database_url == "postgresql://madoguchi:s3cret@db-host/madoguchi"
    panel.database_url.setText("postgresql://madoguchi@db2/madoguchi")
    assert panel.edited().database_url == "postgresql://madoguchi:s3cret@db2/madoguchi"
    # a new password typed in the masked field replaces it
    panel.database_password.setText("n3w")
    assert panel.edited().database_url == "postgresql://madoguchi:n3w@db2/madoguchi"
    shown = [w.text() for w in panel.findChildren(QLineEdit) if w.echoMode() is QLineEdit.EchoMode.Normal]
    shown += [w.text() for w in panel.findChildren(QLabel)]
    assert not any("s3cret" in text or "n3w" in text for text in shown)


def test_a_new_installation_says_who_makes_the_first_account(qtbot: QtBot, settings: Settings) -> None:
    empty = CounterStorage(settings, background=False)
    empty.start()
    try:
        dialog = SignInDialog(SupervisorSignIn(empty.supervisors), runner=ImmediateRunner())
        qtbot.addWidget(dialog)
        assert dialog.message.text().startswith("監督者のアカウントがまだありません。")
        # The first account is made here (issue 18): login, the password twice.
        assert dialog.first_account and not dialog.repeat.isHidden()
        signed: list[object] = []
        dialog.signed_in.connect(signed.append)
        dialog.login.setText("kanri")
        dialog.password.setText("a-long-passphrase-1")
        dialog.repeat.setText("a-long-passphrase-2")
        dialog.attempt()
        assert dialog.message.text() == "2回入力したパスワードが一致しません。もう一度入力してください。"
        assert empty.supervisors.count() == 0
        dialog.login.setText("管理者")
        dialog.password.setText("a-long-passphrase-1")
        dialog.repeat.setText("a-long-passphrase-1")
        dialog.attempt()
        assert dialog.message.text().startswith("ログイン名は半角の英数字で始め")
        dialog.login.setText("kanri")
        dialog.password.setText("short")
        dialog.repeat.setText("short")
        dialog.attempt()
        assert dialog.message.text().startswith("パスワードは")
        dialog.password.setText("a-long-passphrase-1")
        dialog.repeat.setText("a-long-passphrase-1")
        dialog.attempt()
        assert len(signed) == 1 and getattr(signed[0], "login", None) == "kanri"
        assert [i.login for i in empty.supervisors.list()] == ["kanri"]
        audited = audit_rows(empty, AuditKind.SUPERVISOR_ACCOUNT)
        assert len(audited) == 1 and audited[0].detail.get("first_account") is True
        # Once an account exists, nobody makes another one without signing in.
        again = SignInDialog(SupervisorSignIn(empty.supervisors), runner=ImmediateRunner())
        qtbot.addWidget(again)
        assert not again.first_account and again.repeat.isHidden()
        with pytest.raises(SupervisorRequiredError):
            SupervisorSignIn(empty.supervisors).create_first(
                "other", "a-long-passphrase-3", "a-long-passphrase-3"
            )
    finally:
        empty.close()


def test_with_an_account_no_first_account_hint(qtbot: QtBot, storage: CounterStorage) -> None:
    dialog = SignInDialog(SupervisorSignIn(storage.supervisors), runner=ImmediateRunner())
    qtbot.addWidget(dialog)
    assert dialog.message.text() == ""
