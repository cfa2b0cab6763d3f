"""Wiring: the one place that picks real or virtual hardware and builds the kiosk.

``madoguchi kiosk`` (and the README's run command) calls :func:`run_kiosk`.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
from dataclasses import dataclass, field
from pathlib import Path

from card_reader.errors import CardError
from counter_app.adapters.card_source import CardSource, DemoCardSource, PcscCardSource
from counter_app.adapters.printers import system_print_backends
from counter_app.adapters.purge import spool_cutoff
from counter_app.adapters.storage import CounterStorage
from counter_app.adapters.store.errors import DraftKeyUnavailableError
from counter_app.presenters.card_watch import CardWatcher
from counter_app.presenters.idle import IdlePresenter
from counter_app.presenters.kiosk import KioskPresenter, Step
from counter_app.presenters.printing import PrintPresenter, PrintStep, follow_visit
from counter_app.presenters.registry import RegistryPresenter
from counter_app.presenters.reprint import ReprintPresenter
from counter_app.presenters.resident_language import ResidentLanguage
from counter_app.settings.config import Settings
from counter_app.workflow.documents import DocumentService
from counter_app.workflow.draft_writer import BackgroundDrafts
from counter_app.workflow.handoff import HandoffVisitLog
from counter_app.workflow.kiosk_records import EncryptedDrafts, RecorderLog, today_in
from counter_app.workflow.ports import VisitLog
from counter_app.workflow.record_writer import BackgroundLog
from counter_app.workflow.tasks import TaskRunner
from counter_app.workflow.visit_fields import municipal_gaiji
from forms import FormRenderer, load_fonts, load_library
from printing.backend import PrintBackend
from printing.errors import PrintingError
from printing.folder_backend import FolderBackend
from printing.queue import PrintQueue
from printing.spool import AesGcmCodec
from procedures.catalog import load_catalog
from procedures.handoff import load_layouts

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

    def window_shown(self) -> None:
        """The clerk's window is up: watch for cards, and settle the start's objects (see below)."""
        if self.watcher is not None:
            self.watcher.start()
        settle_after_start()

    def purge_spool(self, now: dt.datetime | None = None) -> int:
        """The print spool's day-end purge (at start, then every minute from the UI, like the drafts'):
        finished jobs, jobs from before today, from the purge time on every job spooled before it, and
        jobs dated ahead of the clock. Not while the print step is busy with the spool (it runs again
        a minute later). How many jobs went."""
        if self.printer.view.value.step not in (PrintStep.IDLE, PrintStep.DONE, PrintStep.FAILED):
            return 0
        settings = self.storage.settings
        current = now or dt.datetime.now(dt.UTC)
        before = spool_cutoff(current, settings.zone, settings.purge_time)
        removed = self.queue.purge(now=current, before=before)
        if removed:
            log.info("%d print job(s) purged from the spool", removed)
        return removed


def build_kiosk(
    settings: Settings,
    runner: TaskRunner,
    *,
    demo: bool | None = None,
    card_source: CardSource | None = None,
    print_backend: PrintBackend | None = None,
    printer_name: str | None = None,
) -> Kiosk:
    """Everything but the widgets (``runner`` runs blocking work; the UI passes its Qt runner)."""
    catalog = load_catalog(settings.catalog_folder or None)
    fonts = load_fonts(gaiji=municipal_gaiji(catalog.directory))
    library = load_library([Path(settings.forms_folder)] if settings.forms_folder else [])
    storage = CounterStorage.open(settings)
    storage.start()
    if card_source is None:
        card_source, is_demo = choose_card_source(settings, demo)
    else:
        is_demo = isinstance(card_source, DemoCardSource)
    if print_backend is None:
        print_backend, chosen_printer = choose_print_backend(settings)
    else:
        chosen_printer = printer_name or (print_backend.default_printer() or "")
    codec = AesGcmCodec(_subkey(storage, "print-spool"))  # never the draft key itself
    if isinstance(print_backend, FolderBackend) and print_backend.codec is None:
        # PDF "prints" are residents' details at rest: sealed like the spool, with a key of their own.
        print_backend.codec = AesGcmCodec(_subkey(storage, "printed-folder"))
    queue = PrintQueue(settings.data_dir / "spool", codec, print_backend)
    queue.purge(before=spool_cutoff(dt.datetime.now(dt.UTC), settings.zone, settings.purge_time))
    queue.recover()
    zone = settings.zone
    visit_log: VisitLog = RecorderLog(storage.recorder, printer=chosen_printer)
    if storage.handoff is not None:  # handoff.target: each printed visit's rows go to the back office
        visit_log = HandoffVisitLog(
            visit_log,
            storage.handoff,
            load_layouts(catalog),
            lambda: today_in(zone),
            on_queued=storage.background.wake if storage.background else None,
        )
    recorded = visit_log
    visit_log = BackgroundLog(recorded, runner)  # each record is an fsync: written by a worker, in order
    drafts = BackgroundDrafts(EncryptedDrafts(storage.drafts), runner)  # written by a worker, in order
    kiosk = KioskPresenter(
        catalog,
        card_source,
        runner,
        drafts=drafts,
        visit_log=visit_log,
        today=lambda: today_in(zone),
    )
    kiosk.demo_card = is_demo
    documents = DocumentService(catalog, FormRenderer(library, fonts), fonts)
    resident_language = ResidentLanguage()  # chosen on the resident's screen; the guide sheet follows it
    printer = PrintPresenter(
        documents,
        queue,
        lambda: chosen_printer,
        runner,
        today=lambda: today_in(zone),
        audit=visit_log.audit,
        guide_language=lambda: resident_language.language.value,
    )
    follow_visit(kiosk, printer)
    resident_language.follow_visits(kiosk)  # the next resident starts in Japanese
    reprint = ReprintPresenter(
        catalog,
        drafts,
        documents,
        queue,
        lambda: chosen_printer,
        runner,
        visit_log=visit_log,
        today=lambda: today_in(zone),
        zone=zone,
    )
    idle = IdlePresenter(settings.idle_timeout.total_seconds(), kiosk.put_aside)
    watcher = None
    if not is_demo:
        watcher = CardWatcher(card_source, runner, on_card=lambda: _card_arrived(kiosk))
    status = (
        f"窓口: {settings.counter_name} ／ カード: {'デモ用カード' if is_demo else card_source.name}"
        f" ／ プリンター: {chosen_printer} ／ 手続一覧: {catalog.id}"
    )
    from counter_app.wiring.registry import build_registry

    registry = build_registry(
        settings, Path(catalog.directory), storage, kiosk, runner, lambda: today_in(zone)
    )
    if registry is not None and isinstance(recorded, HandoffVisitLog):
        recorded.numbers = registry.person_numbers  # 宛名番号・世帯番号 in the back-office rows
    kiosk.offer_recoveries()
    return Kiosk(
        kiosk,
        printer,
        idle,
        watcher,
        storage,
        queue,
        chosen_printer,
        is_demo,
        status,
        resident_language,
        reprint,
        registry,
    )


def settle_after_start() -> None:
    """What the start built (catalog, layouts, fonts, presenters, widgets) lives as long as the app: take
    it out of the cyclic garbage collector's full passes (``gc.freeze``), which otherwise walk it all in
    the middle of a visit — measured 60–110 ms stalls of the GUI thread, now and then, without it. Call
    once the window is up (no collection first: that would cost the start as much)."""
    gc.freeze()


def _subkey(storage: CounterStorage, purpose: str) -> bytes:
    """A key derived from the draft key; without one (no key store: drafts are not kept) a key for this
    run only — what is spooled still never lies in clear, and does not outlive the run."""
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
