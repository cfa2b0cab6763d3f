"""APDU count and time of a full My Number card read over pcscd + vpcd with the virtual card.

Prints figures (median of runs) and ratios against baselines measured in the same run:
* the same read against the virtual card in-process (no pcscd, no socket): the transport's cost;
* the same read over vpcd with Nagle's algorithm and delayed ACKs left on (no TCP_NODELAY /
  TCP_QUICKACK): why the card client sets them.

Run: ``.venv/bin/python -m bench.card_read [--runs N]``. Starts pcscd itself if none runs.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bench.timing import median_ms
from card_reader.mynumber import read_basic_four
from card_reader.pcsc import PcscContext
from card_reader.pin import Pin
from card_reader.virtual import InProcessConnection, VirtualCardProfile, VirtualMyNumberCard, VpcdCardClient
from tests.services import Pcscd

READER = "Virtual PCD 00 00"
TARGET_APDUS = 7


def _pcsc_read(context: PcscContext, pin: Pin) -> None:
    with context.connect(READER) as connection:
        read_basic_four(connection, pin)


def _over_vpcd(runs: int, fast_socket: bool) -> tuple[float, int]:
    card = VirtualMyNumberCard(VirtualCardProfile())
    client = VpcdCardClient(card, low_latency=fast_socket)
    client.insert()
    try:
        with PcscContext() as context:
            context.wait_for_card(READER, timeout=10)
            pin = Pin("1234")
            _pcsc_read(context, pin)  # warm-up
            card.received.clear()
            _pcsc_read(context, pin)
            apdus = len(card.received)
            median = median_ms(lambda: _pcsc_read(context, pin), runs)
    finally:
        client.remove()
        with PcscContext() as context:
            context.wait_for_removal(READER, timeout=10)
    return median, apdus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    card = VirtualMyNumberCard(VirtualCardProfile())
    pin = Pin("1234")
    in_process_ms = median_ms(lambda: read_basic_four(InProcessConnection(card), pin), args.runs * 10)

    service = Pcscd(log_path=Path(tempfile.mkdtemp()) / "pcscd.log")
    service.start()
    try:
        fast_ms, apdus = _over_vpcd(args.runs, fast_socket=True)
        slow_ms, _ = _over_vpcd(max(3, args.runs // 5), fast_socket=False)
    finally:
        service.stop()

    print("Full read of the four basic details (SELECT AP … READ BINARY), virtual card")
    print(f"  APDUs per read over pcscd:          {apdus}   (target ≤ {TARGET_APDUS})")
    print(f"  median over pcscd + vpcd:           {fast_ms:8.2f} ms  ({args.runs} runs)")
    ratio = fast_ms / in_process_ms
    print(f"  baseline: in-process, no transport: {in_process_ms:8.3f} ms  → ratio {ratio:7.1f}×")
    print(f"  without TCP_NODELAY/QUICKACK:       {slow_ms:8.2f} ms  → {slow_ms / fast_ms:7.1f}× slower")


if __name__ == "__main__":
    main()
