"""The supervisor sign-in: login and password checked by :class:`SupervisorSignIn` (the accounts).

The service hashes with scrypt, locks an account after repeated failures and audits every attempt
(refused ones too); this dialog only collects the two fields and says in Japanese what went wrong.
The password field is cleared after every attempt and never leaves this dialog except to the service.
The check runs off the GUI thread (scrypt takes about 0.1 s; an unreachable database server up to its
connect timeout), so the kiosk behind the dialog keeps running.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from counter_app.presenters.supervisor import (
    NO_ACCOUNT_MESSAGE,
    SIGN_IN_DATABASE_DOWN,
    SupervisorSession,
    SupervisorSignIn,
)
from counter_app.ui.plain import PlainLabel
from counter_app.workflow.tasks import TaskRunner

DATABASE_DOWN_MESSAGE = SIGN_IN_DATABASE_DOWN
EMPTY_FIELDS_MESSAGE = "ログイン名とパスワードを入力してください。"
CHECKING_MESSAGE = "確認しています…"


class SignInDialog(QDialog):
    """Emits :attr:`signed_in` with the :class:`SupervisorSession` and accepts on the right password;
    emits :attr:`refused` with the message shown otherwise (the dialog stays open)."""

    signed_in = Signal(object)
    refused = Signal(str)

    def __init__(
        self, accounts: SupervisorSignIn, parent: QWidget | None = None, runner: TaskRunner | None = None
    ) -> None:
        super().__init__(parent)
        self.accounts = accounts
        if runner is None:
            from counter_app.ui.tasks import QtTaskRunner

            runner = QtTaskRunner(max_threads=1)
        self.runner = runner
        self.checking = False
        self.session: SupervisorSession | None = None
        self.setWindowTitle("監督者のサインイン")
        self.setModal(True)

        self.login = QLineEdit()
        self.login.setObjectName("supervisor_login")
        self.login.setMaxLength(64)
        self.password = QLineEdit()
        self.password.setObjectName("supervisor_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = PlainLabel("")
        self.message.setWordWrap(True)
        self.message.setObjectName("warning")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("サインイン")
        ok.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("キャンセル")
        self.buttons.accepted.connect(self.attempt)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("ログイン名", self.login)
        form.addRow("パスワード", self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(PlainLabel("統計と設定は監督者だけが使えます。"))
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.login.setFocus()
        # No account yet (a new installation): say who makes the first one, instead of a refusal later.
        self.runner.run(self.accounts.account_count, self._no_account_yet, lambda _error: None)

    def _no_account_yet(self, count: object) -> None:
        if count == 0 and not self.checking:
            self.message.setText(NO_ACCOUNT_MESSAGE)

    def attempt(self) -> None:
        """Check the fields with the service (off the GUI thread); accept on success, else say why."""
        if self.checking:
            return
        login = self.login.text().strip()
        password = self.password.text()
        self.password.clear()
        if not login or not password:
            self._refuse(EMPTY_FIELDS_MESSAGE)
            return
        self._set_checking(True)
        self.runner.run(lambda: self.accounts.sign_in(login, password), self._succeeded, self._failed)

    def _set_checking(self, checking: bool) -> None:
        self.checking = checking
        self.message.setText(CHECKING_MESSAGE if checking else "")
        for widget in (self.login, self.password, self.buttons):
            widget.setEnabled(not checking)

    def _succeeded(self, session: object) -> None:
        assert isinstance(session, SupervisorSession)
        self._set_checking(False)
        self.session = session
        self.signed_in.emit(session)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._set_checking(False)
        self._refuse(self.accounts.refusal(error))  # refused, locked, database down, schema …

    def _refuse(self, text: str) -> None:
        self.message.setText(text)
        self.password.setFocus()
        self.refused.emit(text)

    def done(self, result: int) -> None:
        if self.checking:  # no cancel while the service decides (the buttons are disabled too)
            return
        super().done(result)
