"""Qt's standard texts are Japanese in the kiosk."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QApplication

from counter_app.ui.translations import install_japanese


def test_standard_dialog_buttons_are_japanese(qapp: QApplication) -> None:
    installed = install_japanese(qapp)
    try:
        assert installed, "qtbase_ja.qm was not found in Qt's translations folder"
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "キャンセル"
        assert QLocale().language() == QLocale.Language.Japanese
    finally:
        for translator in installed:
            qapp.removeTranslator(translator)
        QLocale.setDefault(QLocale.c())
