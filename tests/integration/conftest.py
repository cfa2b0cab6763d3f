"""Real components for integration tests: pcscd with the vsmartcard-vpcd driver and a virtual card, and a
private PostgreSQL per test module."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from card_reader.pcsc import PcscContext
from card_reader.virtual import VirtualCard, VpcdCardClient
from tests.services import Pcscd, Postgres, ServiceError
from tests.services_cups import Cupsd

VPCD_READER = "Virtual PCD 00 00"


@pytest.fixture(scope="module")
def postgres() -> Iterator[Postgres]:
    """A private PostgreSQL for one test module, started and removed by its PID (tests.services)."""
    server = Postgres()
    try:
        server.start()
    except ServiceError as exc:
        server.cleanup()
        pytest.fail(f"PostgreSQL could not be started for the tests: {exc}", pytrace=False)
    yield server
    server.cleanup()


@pytest.fixture(scope="session")
def pcscd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pcscd]:
    service = Pcscd(log_path=tmp_path_factory.mktemp("pcscd") / "pcscd.log")
    service.start()
    try:
        with PcscContext() as context:
            readers = context.readers()
        if VPCD_READER not in readers:
            pytest.fail(
                f"pcscd runs but the vsmartcard-vpcd reader is missing (readers: {readers}); "
                "install vsmartcard-vpcd and restart pcscd",
                pytrace=False,
            )
        yield service
    finally:
        service.stop()


InsertCard = Callable[[VirtualCard], VpcdCardClient]


@pytest.fixture
def insert_card(pcscd: Pcscd) -> Iterator[InsertCard]:
    """Put a virtual card on the vpcd reader and wait until pcscd sees it; removed after the test."""
    clients: list[VpcdCardClient] = []

    def insert(card: VirtualCard) -> VpcdCardClient:
        client = VpcdCardClient(card)
        client.insert()
        clients.append(client)
        with PcscContext() as context:
            context.wait_for_card(VPCD_READER, timeout=10)
        return client

    yield insert
    for client in clients:
        client.remove()
    with PcscContext() as context:
        context.wait_for_removal(VPCD_READER, timeout=10)


@pytest.fixture
def pcscd_log(pcscd: Pcscd) -> Path:
    return pcscd.log_path


@pytest.fixture(scope="session")
def cupsd() -> Iterator[Cupsd]:
    """A private cupsd on a free loopback port with a capture queue and a CUPS-PDF queue."""
    root = Path(tempfile.mkdtemp(prefix="madoguchi-cups-"))
    service = Cupsd(root)
    service.start()
    try:
        service.add_capture_printer("madoguchi-capture")
        service.add_cups_pdf_printer("madoguchi-pdf")
        yield service
    finally:
        service.stop()
        service.remove_files()
