"""The supervisor screens without widgets: sign-in, statistics with the CSV export, saving the settings.

The widgets in ``counter_app.ui.supervisor`` show what these return and forward input, as the kiosk's
pages do with theirs; checking a password, querying the statistics, writing the CSV file and the
settings file, listing printers and readers and the audit entries all happen here and below.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from counter_app.adapters.card_source import connected_readers
from counter_app.adapters.printers import installed_printers
from counter_app.adapters.recording import Recorder
from counter_app.adapters.stats import StatsQuery, StatsReport
from counter_app.adapters.storage import CounterStorage
from counter_app.adapters.store.errors import DatabaseUnavailableError, StoreError
from counter_app.adapters.store.records import MAX_DETAIL_VALUE, AuditKind, DetailValue
from counter_app.adapters.supervisors import SupervisorAccounts, SupervisorSession
from counter_app.presenters.handoff_list import HandoffListPresenter
from counter_app.presenters.kiosk import DESELECT_REASONS
from counter_app.presenters.messages import clerk_message
from counter_app.presenters.registry_stats import RegistryLookupsPresenter
from counter_app.presenters.reprint import ReprintPresenter
from counter_app.settings.config import ConfigError, Settings, changed_keys, save_settings

__all__ = [
    "FIRST_ACCOUNT_MESSAGE",
    "NO_ACCOUNT_MESSAGE",
    "SIGN_IN_DATABASE_DOWN",
    "STATS_DATABASE_DOWN",
    "SettingsEditor",
    "SettingsSaved",
    "StatsQuery",
    "StatsReport",
    "SupervisorMenu",
    "SupervisorSession",
    "SupervisorSignIn",
    "SupervisorStats",
    "catalog_labels",
    "check_catalog_folder",
]

SIGN_IN_DATABASE_DOWN = (
    "データベースに接続できないため、監督者のサインインと統計は使えません。"
    "受付はこのまま続けられます(記録はこの端末に保存され、接続が戻りしだい送られます)。"
    "続くときはシステム担当に連絡してください。"
)
STATS_DATABASE_DOWN = (
    "データベースに接続できないため、統計を表示できません。接続が戻ってから「更新」を押してください。"
)
NO_ACCOUNT_MESSAGE = (
    "監督者のアカウントがまだありません。システム担当が最初のアカウントを "
    "「madoguchi supervisor add ログイン名」で作ってください(docs/install.md)。"
)
FIRST_ACCOUNT_MESSAGE = (
    "監督者のアカウントがまだありません。最初の監督者のログイン名とパスワード(2回)を入力すると、"
    "アカウントを作ってサインインします(作成は記録されます)。"
)
# Settings that take effect only when the kiosk is started again.
RESTART_KEYS = frozenset(
    {
        "counter.name",
        "counter.supervisor_idle_minutes",
        "devices.printer",
        "devices.reader",
        "catalog.folder",
        "database.url",
    }
)
SECRET_KEYS = frozenset({"database.url"})


# --- sign-in -------------------------------------------------------------------------------------
_LOGIN_FORM = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")  # as SupervisorAccounts checks it


class FirstAccountError(Exception):
    """The first account cannot be made as typed; ``message`` is for the person at the kiosk."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SupervisorSignIn:
    """Login and password checked by :class:`SupervisorAccounts` (scrypt, lock-out, audited attempts)."""

    def __init__(self, accounts: SupervisorAccounts) -> None:
        self.accounts = accounts

    def account_count(self) -> int:
        return self.accounts.count()

    def sign_in(self, login: str, password: str) -> SupervisorSession:
        return self.accounts.sign_in(login, password)

    def create_first(self, login: str, password: str, repeated: str) -> SupervisorSession:
        """A new installation: the first supervisor account, made in the app and signed in at once.

        Only while no account exists: the accounts refuse it inside the same transaction as soon as one
        does (:meth:`SupervisorAccounts.add` without ``by``), and audit it (``first_account``).
        """
        if not _LOGIN_FORM.match(login):
            raise FirstAccountError(
                "ログイン名は半角の英数字で始め、英数字と「.」「_」「-」で64文字までにしてください。"
            )
        if password != repeated:
            raise FirstAccountError("2回入力したパスワードが一致しません。もう一度入力してください。")
        self.accounts.add(login, password)
        return self.accounts.sign_in(login, password)

    @staticmethod
    def refusal(error: BaseException) -> str:
        """What the dialog says when a sign-in fails (refused, locked, database down, schema …)."""
        if isinstance(error, DatabaseUnavailableError):
            return SIGN_IN_DATABASE_DOWN
        if isinstance(error, FirstAccountError):
            return error.message
        return clerk_message(error).text


# --- statistics ----------------------------------------------------------------------------------
def catalog_labels(settings: Settings) -> dict[str, str]:
    """Japanese names for the ids in the statistics: life events, procedures and forms of the counter's
    catalog, and the deselect reasons. A catalog that cannot be loaded leaves its ids as they are."""
    labels = dict(DESELECT_REASONS)
    try:
        from procedures.catalog import load_catalog

        catalog = load_catalog(settings.catalog_folder or None)
    except Exception:  # the kiosk reports catalog errors at start; the figures stay readable by id
        return labels
    labels.update({form_id: form.name for form_id, form in catalog.forms.items()})
    labels.update({key: procedure.name for key, procedure in catalog.procedures.items()})
    labels.update({key: event.name for key, event in catalog.events.items()})
    return labels


class SupervisorStats:
    """The statistics a signed-in supervisor (``clerk_id``) sees, and their export as CSV (audited)."""

    def __init__(
        self, storage: CounterStorage, *, clerk_id: str = "", labels: Mapping[str, str] | None = None
    ) -> None:
        self.storage = storage
        self.clerk_id = clerk_id
        self.labels = dict(labels or {})

    @property
    def counter_name(self) -> str:
        return self.storage.settings.counter_name

    @property
    def zone(self) -> dt.tzinfo:
        return self.storage.settings.zone

    def report(self, query: StatsQuery) -> StatsReport | str:
        """The report with names for the ids, or the clerk's message when it cannot be made."""
        try:
            return self.storage.stats(query).with_labels(self.labels)
        except DatabaseUnavailableError:
            return STATS_DATABASE_DOWN
        except StoreError as exc:
            return clerk_message(exc).text

    def export(self, report: StatsReport, path: Path) -> str:
        """Write ``report`` as CSV to ``path`` (atomically) and audit the export; the clerk's message on
        failure, ``""`` when written."""
        temporary = path.with_name(path.name + ".tmp")
        try:
            temporary.write_bytes(report.to_csv())
            os.replace(temporary, path)
        except OSError as exc:
            temporary.unlink(missing_ok=True)
            return f"CSVを書き出せませんでした。{clerk_message(exc).text}"
        query = report.query
        self.storage.recorder.audit(
            AuditKind.STATS_EXPORT,
            clerk_id=self.clerk_id,
            detail={
                "start": query.start.isoformat(),
                "end": query.end.isoformat(),
                "counter": query.counter or "*",
                "format": "csv",
            },
        )
        return ""


# --- settings ------------------------------------------------------------------------------------
def check_catalog_folder(folder: str) -> None:
    """Raise what loading the municipality's catalog would raise at the next start."""
    if not folder:
        return
    if not Path(folder).is_dir():
        raise ConfigError("settings", "catalog.folder", f"フォルダーが見つかりません: {folder}")
    from procedures.catalog import load_catalog

    load_catalog(folder)


def _audit_value(key: str, value: object) -> DetailValue:
    if key in SECRET_KEYS:
        return "(設定あり)" if value else ""
    if isinstance(value, int | float | bool) or value is None:
        return value
    text = str(value)
    return text if len(text) <= MAX_DETAIL_VALUE else text[: MAX_DETAIL_VALUE - 1] + "…"


@dataclass(frozen=True)
class SettingsSaved:
    """The outcome of a save: the settings now in force (``None`` when refused), the warning, the note,
    and whether anything was written."""

    settings: Settings | None
    message: str = ""
    result: str = ""
    changed: bool = False


class SettingsEditor:
    """Saving the counter's settings for a signed-in supervisor: validated, written, audited.

    Saving loads a municipality's catalog folder to catch its errors now (not at the next start), writes
    the file atomically with :func:`save_settings` and records one ``settings_change`` audit entry per
    changed key. A database URL may hold a password: its values never go into the audit log.
    """

    def __init__(
        self,
        settings: Settings,
        recorder: Recorder,
        *,
        clerk_id: str = "",
        catalog_check: Callable[[str], None] = check_catalog_folder,
    ) -> None:
        self.settings = settings
        self.recorder = recorder
        self.clerk_id = clerk_id
        self.catalog_check = catalog_check

    @staticmethod
    def printers() -> list[str]:
        """The printers the system's print services know (the same list the kiosk chooses from)."""
        return installed_printers()

    @staticmethod
    def readers() -> list[str]:
        return connected_readers()

    def save(self, new: Settings) -> SettingsSaved:
        try:
            if new.catalog_folder != self.settings.catalog_folder:
                self.catalog_check(new.catalog_folder)
        except Exception as exc:  # CatalogError, ConfigError …: every one has a Japanese message
            return SettingsSaved(None, clerk_message(exc).text)
        changes = changed_keys(self.settings, new)
        if not changes:
            return SettingsSaved(self.settings, result="変更はありません。")
        try:
            save_settings(new)
        except (OSError, ConfigError) as exc:
            return SettingsSaved(
                None,
                clerk_message(exc).text
                if isinstance(exc, ConfigError)
                else f"設定ファイルを保存できませんでした({new.config_path})。{clerk_message(exc).text}",
            )
        for key, old_value, new_value in changes:
            self.recorder.audit(
                AuditKind.SETTINGS_CHANGE,
                clerk_id=self.clerk_id,
                detail={
                    "setting": key,
                    "old": _audit_value(key, old_value),
                    "new": _audit_value(key, new_value),
                },
            )
        self.settings = new
        restart = any(key in RESTART_KEYS for key, _, _ in changes)
        return SettingsSaved(
            new,
            result="保存しました。" + ("再起動すると反映される項目があります。" if restart else ""),
            changed=True,
        )


# --- the menu ------------------------------------------------------------------------------------
class SupervisorMenu:
    """What the supervisor screens work on: the counter's storage and settings."""

    def __init__(
        self,
        storage: CounterStorage,
        settings: Settings,
        *,
        labels: Mapping[str, str] | None = None,
        reprint: ReprintPresenter | None = None,
    ) -> None:
        self.storage = storage
        self.settings = settings
        self._labels = labels
        self.reprint = reprint  # today's visits: reprint and correction (再印刷・訂正), when the kiosk runs

    @property
    def idle_timeout(self) -> dt.timedelta:
        return self.settings.supervisor_idle_timeout

    def sign_in(self) -> SupervisorSignIn:
        return SupervisorSignIn(self.storage.supervisors)

    def labels(self) -> dict[str, str]:
        """Names for the statistics' ids (by default those of the counter's catalog)."""
        return catalog_labels(self.settings) if self._labels is None else dict(self._labels)

    def stats(self, clerk_id: str, labels: Mapping[str, str] | None = None) -> SupervisorStats:
        return SupervisorStats(self.storage, clerk_id=clerk_id, labels=labels)

    def settings_editor(self, clerk_id: str) -> SettingsEditor:
        return SettingsEditor(self.settings, self.storage.recorder, clerk_id=clerk_id)

    def registry_lookups(self) -> RegistryLookupsPresenter:
        """Resident-registry lookups per clerk and day (docs/registry.md)."""
        return RegistryLookupsPresenter(self.storage)

    def handoffs(self) -> HandoffListPresenter:
        """Today's hand-offs to the back office and their re-delivery (引き渡し)."""
        return HandoffListPresenter(self.storage.handoff, self.settings.zone)
