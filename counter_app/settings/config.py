"""The counter's settings: one TOML file in the platform's config folder.

Every key has a default and a Japanese description (:data:`KEYS`); ``madoguchi config init`` writes a
file with every key, its value and its description as a comment. Environment variables override the file
(for tests, and for IT staff who deploy with a script):

* ``MADOGUCHI_CONFIG`` — the path of the settings file;
* ``MADOGUCHI_DATA_DIR`` — the data folder (SQLite database, local outbox and drafts);
* ``MADOGUCHI_<SECTION>_<KEY>`` — one key, e.g. ``MADOGUCHI_DATABASE_URL``, ``MADOGUCHI_COUNTER_NAME``.

The kiosk (settings dialog) reads :func:`load_settings`, changes values with :meth:`Settings.replace`,
writes them with :func:`save_settings` and audits :func:`changed_keys`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import os
import re
import socket
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs

APP_NAME = "madoguchi"
CONFIG_FILE_NAME = "madoguchi.toml"
ENV_CONFIG = "MADOGUCHI_CONFIG"
ENV_DATA_DIR = "MADOGUCHI_DATA_DIR"
ENV_PREFIX = "MADOGUCHI_"
SQLITE_FILE_NAME = "madoguchi.sqlite3"
LOCAL_STORE_FILE_NAME = "counter-local.sqlite3"


class ConfigError(Exception):
    """The settings file (or an environment override) cannot be used as it is."""

    def __init__(self, source: str, key: str | None, reason: str) -> None:
        self.source = source
        self.key = key
        self.reason = reason
        where = f"{source}: {key}" if key else source
        super().__init__(f"{where}: {reason}")


RESIDENT_SCREEN_CHOICES = ("auto", "on", "off")
HANDOFF_TARGETS = ("none", "folder", "database")


@dataclass(frozen=True, slots=True)
class Key:
    """One setting: where it lives in the file, its type, default and description."""

    section: str
    name: str
    attr: str
    kind: type
    doc: str

    @property
    def dotted(self) -> str:
        return f"{self.section}.{self.name}"

    @property
    def env(self) -> str:
        return f"{ENV_PREFIX}{self.section.upper()}_{self.name.upper()}"


def default_config_path() -> Path:
    override = os.environ.get(ENV_CONFIG)
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / CONFIG_FILE_NAME


def default_data_dir() -> Path:
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def _default_counter_name() -> str:
    return socket.gethostname().split(".")[0] or "窓口"


@dataclass(frozen=True, slots=True)
class Settings:
    """The effective settings of one counter (file values over defaults, environment over both)."""

    counter_name: str = field(default_factory=_default_counter_name)
    idle_timeout_minutes: int = 5
    supervisor_idle_minutes: int = 5
    timezone: str = "Asia/Tokyo"
    printer: str = ""
    reader: str = ""
    catalog_folder: str = ""
    forms_folder: str = ""
    database_url: str = ""
    handoff_target: str = "none"
    handoff_folder: str = ""
    registry_url: str = ""
    draft_purge_time: str = "20:00"
    resident_screen: str = "auto"
    config_path: Path = field(default_factory=default_config_path)
    data_dir: Path = field(default_factory=default_data_dir)

    def replace(self, **changes: Any) -> Settings:
        """A copy with ``changes`` (attribute names) applied and validated."""
        updated = dataclasses.replace(self, **changes)
        _validate(updated, "settings")
        return updated

    @property
    def effective_database_url(self) -> str:
        """``database.url``, or the SQLite file in the data folder when it is empty."""
        if self.database_url:
            return self.database_url
        return sqlite_url(self.data_dir / SQLITE_FILE_NAME)

    @property
    def local_store_path(self) -> Path:
        """The counter's own SQLite file: the outbox and the encrypted drafts (never shared)."""
        return self.data_dir / LOCAL_STORE_FILE_NAME

    @property
    def printed_folder(self) -> Path:
        """Where a counter without a printer files its PDF "prints" (purged daily like drafts)."""
        return self.data_dir / "printed"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def purge_time(self) -> dt.time:
        return dt.time.fromisoformat(self.draft_purge_time)

    @property
    def idle_timeout(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.idle_timeout_minutes)

    @property
    def supervisor_idle_timeout(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.supervisor_idle_minutes)


KEYS: tuple[Key, ...] = (
    Key(
        "counter",
        "name",
        "counter_name",
        str,
        "窓口の名前。統計で窓口ごとに集計する名前(既定: コンピューター名)",
    ),
    Key(
        "counter",
        "idle_timeout_minutes",
        "idle_timeout_minutes",
        int,
        "操作がないまま受付を一時保存して画面を消去するまでの分数(1〜120)",
    ),
    Key(
        "counter",
        "supervisor_idle_minutes",
        "supervisor_idle_minutes",
        int,
        "監督者メニューを操作がないまま自動で閉じる(サインアウトする)までの分数(1〜60)",
    ),
    Key(
        "counter",
        "timezone",
        "timezone",
        str,
        "時刻の基準となるタイムゾーン(統計の日付と時間帯、一時保存の消去時刻)",
    ),
    Key("devices", "printer", "printer", str, "印刷に使うプリンター名。空欄ならOSの既定のプリンター"),
    Key(
        "devices",
        "resident_screen",
        "resident_screen",
        str,
        "住民の方に向けた画面(暗証番号の入力・内容の確認): auto(2台目のモニターがあれば表示)、on、off",
    ),
    Key(
        "devices",
        "reader",
        "reader",
        str,
        "使うカードリーダーの名前(一部でも可)。空欄なら最初に見つかったもの",
    ),
    Key(
        "catalog", "folder", "catalog_folder", str, "自治体の手続カタログのフォルダー。空欄なら同梱のカタログ"
    ),
    Key(
        "catalog",
        "forms_folder",
        "forms_folder",
        str,
        "自治体の様式レイアウトのフォルダー。空欄なら同梱の様式",
    ),
    Key(
        "database",
        "url",
        "database_url",
        str,
        "共有データベースのURL(例: postgresql://user:pass@db-host/madoguchi)。"
        "空欄ならデータフォルダーのSQLite(この窓口だけ)",
    ),
    Key(
        "database",
        "draft_purge_time",
        "draft_purge_time",
        str,
        "一時保存した受付(個人情報を含む)を毎日消去する時刻 HH:MM(閉庁時刻以降に設定)",
    ),
    Key(
        "handoff",
        "target",
        "handoff_target",
        str,
        "印刷した受付の基幹システムへの引き渡しデータ(docs/handoff.md)の送り先: none(送らない)、"
        "folder(handoff.folder のフォルダー)、database(共有データベース PostgreSQL の handoff_files 表)",
    ),
    Key(
        "handoff",
        "folder",
        "handoff_folder",
        str,
        "引き渡しファイル(CSV)を置くフォルダー(handoff.target が folder のとき。共有フォルダーなど)",
    ),
    Key(
        "registry",
        "url",
        "registry_url",
        str,
        "住民記録(住民基本台帳)の照会用ビューに読み取り専用で接続するURL(例: postgresql://madoguchi_ro@juki-db/juki)。"
        "空欄なら照会しない。カタログの registry.yaml が source: csv のときは使わない(docs/registry.md)",
    ),
)
_BY_DOTTED = {key.dotted: key for key in KEYS}
_BY_ATTR = {key.attr: key for key in KEYS}


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def _coerce(key: Key, value: object, source: str) -> object:
    if key.kind is int:
        if isinstance(value, bool):
            raise ConfigError(source, key.dotted, "整数で指定してください")
        if isinstance(value, int):
            return value
        if isinstance(value, str):
            try:
                return int(value.strip())
            except ValueError:
                raise ConfigError(source, key.dotted, "整数で指定してください") from None
        raise ConfigError(source, key.dotted, "整数で指定してください")
    if not isinstance(value, str):
        raise ConfigError(source, key.dotted, "文字列で指定してください")
    return value.strip()


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_PURGE_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
ALL_COUNTERS = "*"  # the statistics' name for the whole office (counter_app.adapters.store.records)


def _validate(settings: Settings, source: str) -> None:
    if not settings.counter_name:
        raise ConfigError(source, "counter.name", "窓口の名前が空です")
    if len(settings.counter_name) > 64:
        raise ConfigError(source, "counter.name", "窓口の名前は64文字以内にしてください")
    if settings.counter_name == ALL_COUNTERS:
        raise ConfigError(source, "counter.name", "「*」は統計で全窓口を表すため、窓口の名前には使えません")
    for key in KEYS:
        value = getattr(settings, key.attr)
        if isinstance(value, str) and _CONTROL.search(value):
            raise ConfigError(source, key.dotted, "改行やタブなどの制御文字は使えません")
        if isinstance(value, str) and len(value) > 1024:
            raise ConfigError(source, key.dotted, "長すぎます(1024文字まで)")
    if not 1 <= settings.idle_timeout_minutes <= 120:
        raise ConfigError(source, "counter.idle_timeout_minutes", "1〜120 の分数で指定してください")
    if not 1 <= settings.supervisor_idle_minutes <= 60:
        raise ConfigError(source, "counter.supervisor_idle_minutes", "1〜60 の分数で指定してください")
    try:
        ZoneInfo(settings.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            source, "counter.timezone", f"不明なタイムゾーンです: {settings.timezone}"
        ) from None
    if settings.resident_screen not in RESIDENT_SCREEN_CHOICES:
        raise ConfigError(source, "devices.resident_screen", "auto、on、off のどれかを指定してください")
    if not _PURGE_TIME.match(settings.draft_purge_time):
        raise ConfigError(
            source, "database.draft_purge_time", "HH:MM(00:00〜23:59、時差は書かない)の形で指定してください"
        )
    if settings.handoff_target not in HANDOFF_TARGETS:
        raise ConfigError(source, "handoff.target", "none、folder、database のどれかを指定してください")
    if settings.handoff_target == "folder" and not settings.handoff_folder:
        raise ConfigError(
            source, "handoff.folder", "handoff.target が folder のときはフォルダーを指定してください"
        )
    if settings.handoff_target == "database" and not settings.database_url.startswith("postgres"):
        raise ConfigError(
            source,
            "handoff.target",
            "database は共有データベース(database.url に PostgreSQL)のときだけ使えます",
        )
    if settings.registry_url:
        from sqlalchemy.engine import make_url as _make_url
        from sqlalchemy.exc import ArgumentError as _ArgumentError

        try:
            _make_url(settings.registry_url)
        except _ArgumentError:
            raise ConfigError(source, "registry.url", "住民記録のURLの形式が正しくありません") from None
    if settings.database_url:
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            url = make_url(settings.database_url)
        except ArgumentError:
            raise ConfigError(source, "database.url", "データベースのURLの形式が正しくありません") from None
        if url.get_backend_name() not in {"sqlite", "postgresql"}:
            raise ConfigError(
                source, "database.url", "使えるデータベースは PostgreSQL(postgresql://…)か SQLite です"
            )


MAX_FILE_BYTES = 256 * 1024
"""The settings file (``config init`` writes about 4 kB)."""


def _read_file(path: Path) -> dict[str, object]:
    """Values of the file by attribute name (missing file: nothing)."""
    source = str(path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)  # never more: MADOGUCHI_CONFIG=/dev/zero ends at once
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(source, None, f"読み込めません({exc.strerror})") from None
    if len(raw) > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // 1024
        raise ConfigError(source, None, f"大きすぎます({limit} KB まで)。ファイルを確かめてください")
    try:
        document = tomllib.loads(raw.decode("utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(source, None, f"TOMLとして読めません({exc})") from None
    except RecursionError:  # arrays or inline tables nested thousands deep
        raise ConfigError(source, None, "入れ子が深すぎて読めません。ファイルを確かめてください") from None
    values: dict[str, object] = {}
    for section, table in document.items():
        if not isinstance(table, dict):
            raise ConfigError(source, section, "[section] の下に key = value の形で書いてください")
        for name, value in table.items():
            key = _BY_DOTTED.get(f"{section}.{name}")
            if key is None:  # a typo must not silently fall back to a default (e.g. a private SQLite)
                raise ConfigError(source, f"{section}.{name}", "不明な設定項目です")
            values[key.attr] = _coerce(key, value, source)
    return values


def _read_environment(environ: Mapping[str, str]) -> dict[str, object]:
    values: dict[str, object] = {}
    for key in KEYS:
        if key.env in environ:
            values[key.attr] = _coerce(key, environ[key.env], key.env)
    return values


def load_settings(path: Path | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Defaults, then the settings file, then the environment; validated."""
    env = os.environ if environ is None else environ
    config_path = path or (Path(env[ENV_CONFIG]) if env.get(ENV_CONFIG) else default_config_path())
    data_dir = Path(env[ENV_DATA_DIR]) if env.get(ENV_DATA_DIR) else default_data_dir()
    values = _read_file(config_path)
    values.update(_read_environment(env))
    settings = Settings(config_path=config_path, data_dir=data_dir, **values)  # type: ignore[arg-type]
    _validate(settings, str(config_path))
    return settings


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    # A JSON string with its escapes (\" \\ \n \uXXXX) is a valid TOML basic string, once DEL (which
    # JSON leaves as it is and TOML forbids) is escaped too.
    return json.dumps(str(value), ensure_ascii=False).replace("\x7f", "\\u007f")


def render_settings(settings: Settings) -> str:
    """The whole settings file: every key with its value, its description and its default."""
    defaults = Settings(config_path=settings.config_path, data_dir=settings.data_dir)
    lines = [
        "# Madoguchi 窓口の設定ファイル(TOML)。",
        "# 各項目の上の行が説明と既定値です。環境変数 MADOGUCHI_<SECTION>_<KEY> で上書きできます。",
    ]
    section = ""
    for key in KEYS:
        if key.section != section:
            section = key.section
            lines += ["", f"[{section}]"]
        default = getattr(defaults, key.attr)
        lines.append(f"# {key.doc}  既定値: {_toml_value(default)}")
        lines.append(f"{key.name} = {_toml_value(getattr(settings, key.attr))}")
    return "\n".join(lines) + "\n"


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write the settings file atomically (a crash leaves the old file or the new one, never half).

    The file may hold the database password, so it is created 0600 (owner only) and a folder made for
    it 0700; an existing folder is tightened to 0700 when the file holds a password. (On Windows the
    user's profile folder is already private to the user.)"""
    target = path or settings.config_path
    _validate(settings, str(target))
    folder = target.parent
    if not folder.exists():
        folder.mkdir(parents=True, mode=0o700)
    elif (
        (_has_password(settings.database_url) or _has_password(settings.registry_url))
        and os.name == "posix"
        and folder.stat().st_mode & 0o077
    ):
        folder.chmod(0o700)
    temporary = target.with_name(target.name + ".tmp")
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(render_settings(settings))
    os.replace(temporary, target)
    return target


def _has_password(url: str) -> bool:
    if not url:
        return False
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return bool(make_url(url).password)
    except ArgumentError:
        return False


def split_password(url: str) -> tuple[str, str]:
    """The URL without its password (to show), and the password."""
    if not url:
        return "", ""
    from sqlalchemy.engine import URL, make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        return url, ""
    if not parsed.password:
        return url, ""
    without = URL.create(
        parsed.drivername, parsed.username, None, parsed.host, parsed.port, parsed.database, parsed.query
    )
    return without.render_as_string(hide_password=False), str(parsed.password)


def join_password(url: str, password: str) -> str:
    """``url`` with ``password`` put back (unless the URL is empty or names a password itself)."""
    if not url or not password:
        return url
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        return url  # refused with its own message by the validation
    if parsed.password or parsed.get_backend_name() != "postgresql":
        return url
    return parsed.set(password=password).render_as_string(hide_password=False)


def changed_keys(old: Settings, new: Settings) -> list[tuple[str, object, object]]:
    """``(dotted key, old, new)`` for every key that differs, for the settings-change audit entry."""
    return [
        (key.dotted, getattr(old, key.attr), getattr(new, key.attr))
        for key in KEYS
        if getattr(old, key.attr) != getattr(new, key.attr)
    ]


def key_for_attribute(attr: str) -> Key:
    return _BY_ATTR[attr]
