"""Qt's own texts in Japanese: the buttons of standard dialogs (OK → OK, Cancel → キャンセル), the
print dialog, the file dialog of "QR画像". The kiosk's texts are Japanese already; Qt's are not unless
its translation catalogue is installed. The installers ship ``qtbase_ja.qm`` (and ``qt_ja.qm``)."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

JAPANESE = QLocale(QLocale.Language.Japanese, QLocale.Country.Japan)


def install_japanese(app: QApplication) -> list[QTranslator]:
    """Japanese as the default locale and Qt's Japanese catalogues; the ones found are returned."""
    QLocale.setDefault(JAPANESE)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    installed: list[QTranslator] = []
    for catalogue in ("qtbase", "qtmultimedia"):
        translator = QTranslator(app)
        if translator.load(JAPANESE, catalogue, "_", folder):
            app.installTranslator(translator)
            installed.append(translator)
    return installed
