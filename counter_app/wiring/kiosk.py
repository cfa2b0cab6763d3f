"""Wiring: the one place that picks real or virtual hardware and builds the kiosk.

``madoguchi kiosk`` (and the README's run command) calls :func:`~counter_app.ui.app.run_kiosk`, which
builds the kiosk in two steps (start-up order in docs/architecture.md):

1. :func:`start_kiosk` — what the first screen needs, in milliseconds: the card source, the kiosk's
   presenters without their data; the window shows and a card placed is read;
2. :func:`load_services` on a worker — the catalog (loaded *and checked*), fonts, form layouts,
   hand-off layouts, the storage (migrations, purge) and the print spool; then :func:`finish_kiosk`
   on the GUI thread hands them to the presenters, and what waited for them goes on.

:func:`build_kiosk` does both at once (tests, benchmarks).
"""

from __future__ import annotations

import datetime as dt
import gc
import importlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from card_reader.errors import CardError
from counter_app.adapters.card_source import CardSource, DemoCardSource, PcscCardSource
from counter_app.presenters.card_watch import CardWatcher
from counter_app.presenters.idle import IdlePresenter
from counter_app.presenters.kiosk import KioskPresenter, Step
from counter_app.presenters.printing import PrintPresenter, PrintStep, follow_visit
from counter_app.presenters.resident_language import ResidentLanguage
from counter_app.settings.config import Settings
from counter_app.settings.startup import mark
from counter_app.workflow.tasks import TaskRunner

if TYPE_CHECKING:  # loaded by load_services, after the window shows
    from counter_app.adapters.storage import CounterStorage
    from counter_app.presenters.registry import RegistryPresenter
    from counter_app.presenters.reprint import ReprintPresenter
    from counter_app.workflow.documents import DocumentService
    from counter_app.workflow.ports import VisitLog
    from printing.backend import PrintBackend
    from printing.queue import PrintQueue
    from procedures.catalog import Catalog
    from procedures.handoff import HandoffLayout

log = logging.getLogger(__name__)
VIRTUAL_READER_PREFIX = "Virtual PCD"


def choose_card_source(settings: Settings, demo: bool | None) -> tuple[CardSource, bool]:
    """A real reader when one is there (or a card lies on the virtual one), else the demo card."""
    if demo:
        return DemoCardSource(), True
    try:
        from card_reader.pcsc import PcscContext

        with PcscContext() as context:
            states = context.states()
    except CardError as exc:
        log.info("no PC/SC service (%s): demo card", type(exc).__name__)
        return DemoCardSource(), True
    real = [s for s in states if not s.name.startswith(VIRTUAL_READER_PREFIX)]
    virtual_with_card = [s for s in states if s.name.startswith(VIRTUAL_READER_PREFIX) and s.card_present]
    if settings.reader or real or virtual_with_card or demo is False:
        return PcscCardSource(settings.reader or None), False
    return DemoCardSource(), True


def choose_print_backend(settings: Settings) -> tuple[PrintBackend, str]:
    """CUPS (Linux/macOS) or the Windows spooler, else PDF files in the data folder.

    PDF files only when no printer is configured and the system has none: a configured printer that
    cannot be found (or a print service that does not answer) stays the choice, so printing stops with
    a clear message before anything is printed instead of silently writing PDF files.
    """
    from counter_app.adapters.printers import system_print_backends
    from printing.errors import PrintingError
    from printing.folder_backend import FolderBackend

    candidates = system_print_backends()
    for backend in candidates:
        try:
            printers = backend.printers()
        except PrintingError:
            continue
        if settings.printer and settings.printer in printers:
            return backend, settings.printer
        default = backend.default_printer()
        if not settings.printer and default:
            return backend, default
    if settings.printer and candidates:
        return candidates[0], settings.printer
    folder_backend = FolderBackend(settings.printed_folder)
    return folder_backend, folder_backend.printer_name


@dataclass
class Kiosk:
    kiosk: KioskPresenter
    printer: PrintPresenter
    idle: IdlePresenter
    watcher: CardWatcher | None
    storage: CounterStorage
    queue: PrintQueue
    printer_name: str
    demo: bool
    status: str
    resident_language: ResidentLanguage = field(default_factory=ResidentLanguage)
    reprint: ReprintPresenter | None = None
    registry: RegistryPresenter | None = None  # the resident-registry action (docs/registry.md)

    def purge_spool(self, now: dt.datetime | None = None) -> int:
        """The print spool's day-end purge (at start, then every minute from the UI, like the drafts'):
        finished jobs, jobs from before today, from the purge time on every job spooled before it, and
        jobs dated ahead of the clock. Not while the print step is busy with the spool (it runs again
        a minute later). How many jobs went."""
        from counter_app.adapters.purge import spool_cutoff

        if self.printer.view.value.step not in (PrintStep.IDLE, PrintStep.DONE, PrintStep.FAILED):
            return 0
        settings = self.storage.settings
        current = now or dt.datetime.now(dt.UTC)
        before = spool_cutoff(current, settings.zone, settings.purge_time)
        removed = self.queue.purge(now=current, before=before)
        if removed:
            log.info("%d print job(s) purged from the spool", removed)
        return removed


@dataclass
class KioskStart:
    """The kiosk as the first screen needs it: the card source and the presenters, without the
    catalog, the storage or the papers (:func:`finish_kiosk` adds them)."""

    settings: Settings
    runner: TaskRunner
    kiosk: KioskPresenter
    printer: PrintPresenter
    idle: IdlePresenter
    watcher: CardWatcher | None
    card_source: CardSource
    demo: bool
    resident_language: ResidentLanguage
    printer_name: str = ""  # chosen by load_services

    @property
    def status(self) -> str:
        card = "デモ用カード" if self.demo else self.card_source.name
        return f"窓口: {self.settings.counter_name} ／ カード: {card} ／ 手続一覧: 準備中"


@dataclass
class KioskServices:
    """What :func:`load_services` loads after the window shows (plain data and the open storage)."""

    catalog: Catalog
    documents: DocumentService
    storage: CounterStorage
    queue: PrintQueue
    printer_name: str
    handoff_layouts: Mapping[str, HandoffLayout] | None  # only when hand-off is configured


def _today(zone: dt.tzinfo) -> dt.date:
    return dt.datetime.now(zone).date()


def start_kiosk(
    settings: Settings,
    runner: TaskRunner,
    *,
    demo: bool | None = None,
    card_source: CardSource | None = None,
) -> KioskStart:
    """The presenters of the first screen; a card placed now is read (its visit waits for the catalog)."""
    if card_source is None:
        card_source, is_demo = choose_card_source(settings, demo)
    else:
        is_demo = isinstance(card_source, DemoCardSource)
    zone = settings.zone
    kiosk = KioskPresenter(None, card_source, runner, today=lambda: _today(zone))
    kiosk.demo_card = is_demo
    resident_language = ResidentLanguage()  # chosen on the resident's screen; the guide sheet follows it
    start = KioskStart(
        settings,
        runner,
        kiosk,
        PrintPresenter(  # its papers and spool come with the services
            None,
            None,
            lambda: start.printer_name,
            runner,
            today=lambda: _today(zone),
            guide_language=lambda: resident_language.language.value,
        ),
        IdlePresenter(settings.idle_timeout.total_seconds(), kiosk.put_aside),
        None,
        card_source,
        is_demo,
        resident_language,
    )
    follow_visit(kiosk, start.printer)
    resident_language.follow_visits(kiosk)  # the next resident starts in Japanese
    if not is_demo:
        start.watcher = CardWatcher(card_source, runner, on_card=lambda: _card_arrived(kiosk))
    mark("presenters")
    return start


def load_services(
    settings: Settings,
    *,
    print_backend: PrintBackend | None = None,
    printer_name: str | None = None,
) -> KioskServices:
    """Everything the visits need that takes time: run on a worker after the window shows (touches no
    presenter). The checks of a normal start all run here: a broken catalog, form layout or 外字 map,
    a database at another schema version raise the same errors as before, with the clerk's message."""
    from procedures.catalog import load_catalog

    # The catalog first: a visit begun early waits for it (the modules below load after it).
    catalog = load_catalog(settings.catalog_folder or None)  # loaded and checked (check_catalog)
    mark("catalog")
    from counter_app.adapters.storage import CounterStorage
    from counter_app.workflow.documents import DocumentService
    from counter_app.workflow.visit_fields import municipal_gaiji
    from forms import FormRenderer, load_fonts, load_library
    from printing.folder_backend import FolderBackend
    from printing.queue import PrintQueue
    from printing.spool import AesGcmCodec

    fonts = load_fonts(gaiji=municipal_gaiji(catalog.directory))
    library = load_library([Path(settings.forms_folder)] if settings.forms_folder else [])
    documents = DocumentService(catalog, FormRenderer(library, fonts), fonts)
    mark("fonts-layouts")
    storage = CounterStorage.open(settings)
    try:
        storage.start()
        mark("storage")
        if print_backend is None:
            print_backend, chosen_printer = choose_print_backend(settings)
        else:
            chosen_printer = printer_name or (print_backend.default_printer() or "")
        codec = AesGcmCodec(_subkey(storage, "print-spool"))  # never the draft key itself
        if isinstance(print_backend, FolderBackend) and print_backend.codec is None:
            # PDF "prints" are residents' details at rest: sealed like the spool, with a key of their own.
            print_backend.codec = AesGcmCodec(_subkey(storage, "printed-folder"))
        queue = PrintQueue(settings.data_dir / "spool", codec, print_backend)
        from counter_app.adapters.purge import spool_cutoff

        queue.purge(before=spool_cutoff(dt.datetime.now(dt.UTC), settings.zone, settings.purge_time))
        queue.recover()
        layouts = None
        if storage.handoff is not None:
            from procedures.handoff import load_layouts

            layouts = load_layouts(catalog)
    except BaseException:
        storage.close()
        raise
    from counter_app.adapters import furigana

    furigana.prepare()  # the UniDic dictionary, for the first name on the member form
    mark("furigana")
    for module in _FINISH_MODULES:  # loaded here, so that finish_kiosk does not import on the GUI thread
        importlib.import_module(module)
    mark("print-spool")
    return KioskServices(catalog, documents, storage, queue, chosen_printer, layouts)


_FINISH_MODULES = (
    "counter_app.presenters.reprint",
    "counter_app.wiring.registry",
    "counter_app.workflow.handoff",
    "counter_app.workflow.kiosk_records",
)


def finish_kiosk(start: KioskStart, services: KioskServices) -> Kiosk:
    """On the GUI thread: hand the services to the presenters; what waited for them goes on now."""
    from counter_app.presenters.reprint import ReprintPresenter
    from counter_app.wiring.registry import build_registry
    from counter_app.workflow.draft_writer import BackgroundDrafts
    from counter_app.workflow.handoff import HandoffVisitLog
    from counter_app.workflow.kiosk_records import EncryptedDrafts, RecorderLog
    from counter_app.workflow.record_writer import BackgroundLog

    settings, runner, kiosk, storage = start.settings, start.runner, start.kiosk, services.storage
    zone = settings.zone
    catalog = services.catalog
    start.printer_name = services.printer_name
    visit_log: VisitLog = RecorderLog(storage.recorder, printer=services.printer_name)
    if storage.handoff is not None:  # handoff.target: each printed visit's rows go to the back office
        visit_log = HandoffVisitLog(
            visit_log,
            storage.handoff,
            services.handoff_layouts or {},
            lambda: _today(zone),
            on_queued=storage.background.wake if storage.background else None,
        )
    recorded = visit_log
    visit_log = BackgroundLog(recorded, runner)  # each record is an fsync: written by a worker, in order
    drafts = BackgroundDrafts(EncryptedDrafts(storage.drafts), runner)  # written by a worker, in order
    start.printer.attach(services.documents, services.queue, visit_log.audit)
    reprint = ReprintPresenter(
        catalog,
        drafts,
        services.documents,
        services.queue,
        lambda: start.printer_name,
        runner,
        visit_log=visit_log,
        today=lambda: _today(zone),
        zone=zone,
    )
    status = (
        f"窓口: {settings.counter_name} ／ カード: {'デモ用カード' if start.demo else start.card_source.name}"
        f" ／ プリンター: {services.printer_name} ／ 手続一覧: {catalog.id}"
    )
    registry = build_registry(settings, Path(catalog.directory), storage, kiosk, runner, lambda: _today(zone))
    if registry is not None and isinstance(recorded, HandoffVisitLog):
        recorded.numbers = registry.person_numbers  # 宛名番号・世帯番号 in the back-office rows
    kiosk.services_ready(catalog, drafts, visit_log)  # lists the unfinished visits, runs what waited
    mark("services")
    return Kiosk(
        kiosk,
        start.printer,
        start.idle,
        start.watcher,
        storage,
        services.queue,
        services.printer_name,
        start.demo,
        status,
        start.resident_language,
        reprint,
        registry,
    )


def build_kiosk(
    settings: Settings,
    runner: TaskRunner,
    *,
    demo: bool | None = None,
    card_source: CardSource | None = None,
    print_backend: PrintBackend | None = None,
    printer_name: str | None = None,
) -> Kiosk:
    """Everything but the widgets, at once (``runner`` runs blocking work; the UI passes its Qt runner)."""
    start = start_kiosk(settings, runner, demo=demo, card_source=card_source)
    services = load_services(settings, print_backend=print_backend, printer_name=printer_name)
    return finish_kiosk(start, services)


def settle_after_start() -> None:
    """What the start built (catalog, layouts, fonts, presenters, widgets) lives as long as the app: take
    it out of the cyclic garbage collector's full passes (``gc.freeze``), which otherwise walk it all in
    the middle of a visit — measured 60–110 ms stalls of the GUI thread, now and then, without it. Call
    once the services are loaded and the window is up (no collection first: it would cost as much)."""
    gc.freeze()


def _subkey(storage: CounterStorage, purpose: str) -> bytes:
    """A key derived from the draft key; without one (no key store: drafts are not kept) a key for this
    run only — what is spooled still never lies in clear, and does not outlive the run."""
    from counter_app.adapters.store.errors import DraftKeyUnavailableError
    from printing.spool import AesGcmCodec

    try:
        return storage.drafts.keys.subkey(purpose)
    except DraftKeyUnavailableError as exc:
        log.warning("no draft key (%s): the %s key lives for this run only", exc.reason, purpose)
        return AesGcmCodec.new_key()


def _card_arrived(kiosk: KioskPresenter) -> bool:
    view = kiosk.view.value
    if view.step is Step.WAITING or (view.step is Step.HOUSEHOLD and view.adding_member):
        kiosk.card_inserted()
        return True
    return False
