"""The camera scanner: frames decoded off the GUI thread, each code reported once, no camera handled.

There is no camera on the test machine: synthetic frames go through :meth:`CameraScanner.submit_frame`,
the slot the camera's video sink calls, so the same code path is exercised end to end.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PIL import Image
from PySide6.QtGui import QImage
from PySide6.QtMultimedia import QVideoFrame, QVideoFrameFormat
from pytestqt.qtbot import QtBot

from counter_app.ui.camera import NO_CAMERA_TEXT, CameraPanel, CameraScanner, CameraState
from procedures.prefill import PartCollector, encode_visit, read_collected
from tests.unit.prefill.samples import large_visit, qr_image


@pytest.fixture
def texts() -> list[str]:
    return encode_visit(large_visit(), "midorigawa", "2025.04")


def _canvas(text: str) -> Image.Image:
    canvas = Image.new("L", (1280, 720), 150)
    canvas.paste(qr_image(text, scale=6), (300, 120))
    return canvas


def rgb_frame(image: Image.Image) -> QVideoFrame:
    rgb = image.convert("RGB")
    qimage = QImage(rgb.tobytes(), rgb.width, rgb.height, rgb.width * 3, QImage.Format.Format_RGB888).copy()
    frame = QVideoFrame(qimage)
    assert frame.isValid()
    return frame


def nv12_frame(image: Image.Image) -> QVideoFrame:
    """A frame as most webcams deliver it: a luma plane (rows possibly padded), then interleaved chroma."""
    grey = image.convert("L")
    fmt = QVideoFrameFormat(QImage(grey.width, grey.height, QImage.Format.Format_Grayscale8).size(),
                            QVideoFrameFormat.PixelFormat.Format_NV12)  # fmt: skip
    frame = QVideoFrame(fmt)
    assert frame.map(QVideoFrame.MapMode.WriteOnly)
    stride = frame.bytesPerLine(0)
    luma = frame.bits(0)
    assert isinstance(luma, memoryview)
    pixels = grey.tobytes()
    for y in range(grey.height):
        luma[y * stride : y * stride + grey.width] = pixels[y * grey.width : (y + 1) * grey.width]
    chroma = frame.bits(1)
    assert isinstance(chroma, memoryview)
    chroma[:] = b"\x80" * len(chroma)
    frame.unmap()
    return frame


@pytest.fixture
def scanner(qtbot: QtBot) -> Iterator[CameraScanner]:
    now = [0.0]
    scanner = CameraScanner(repeat_after=2.0, clock=lambda: now[0])
    scanner.now = now  # type: ignore[attr-defined]
    yield scanner
    scanner.stop()
    assert not scanner.running  # the worker thread is gone


def test_frames_are_decoded_off_the_gui_thread_and_reported_once(
    qtbot: QtBot, scanner: CameraScanner, texts: list[str]
) -> None:
    found: list[bytes] = []
    scanner.payloadScanned.connect(found.append)
    with qtbot.waitSignal(scanner.payloadScanned, timeout=10_000):
        scanner.submit_frame(rgb_frame(_canvas(texts[1])))
    assert scanner.running
    assert scanner.worker_thread_ident not in (None, threading.get_ident())
    # The same code in the next frames (the camera sees it for a while): not reported again …
    for _ in range(3):
        scanner.submit_frame(nv12_frame(_canvas(texts[1])))
    qtbot.waitUntil(lambda: scanner.frames_decoded >= 2 and not scanner._busy, timeout=10_000)
    assert found == [texts[1].encode()]
    # … another code is, straight from an NV12 luma plane …
    with qtbot.waitSignal(scanner.payloadScanned, timeout=10_000):
        scanner.submit_frame(nv12_frame(_canvas(texts[0])))
    # … and the first again once it has been away long enough.
    scanner.now[0] = 5.0  # type: ignore[attr-defined]
    with qtbot.waitSignal(scanner.payloadScanned, timeout=10_000):
        scanner.submit_frame(rgb_frame(_canvas(texts[1])))
    assert found == [texts[1].encode(), texts[0].encode(), texts[1].encode()]
    collector = PartCollector()
    for payload in found:
        collector.add(payload)
    assert read_collected(collector, None).visit.members[3].name == "髙橋 𠮷子"


def test_while_busy_only_the_newest_frame_waits(
    qtbot: QtBot, scanner: CameraScanner, texts: list[str]
) -> None:
    blank = rgb_frame(Image.new("L", (1920, 1080), 200))
    for _ in range(8):
        scanner.submit_frame(blank)
    with qtbot.waitSignal(scanner.payloadScanned, timeout=10_000):
        scanner.submit_frame(rgb_frame(_canvas(texts[0])))  # the newest frame is never dropped
    qtbot.waitUntil(lambda: not scanner._busy, timeout=10_000)
    assert scanner.frames_submitted == 9
    assert scanner.frames_decoded + scanner.frames_dropped == 9
    assert scanner.frames_decoded < 9  # frames piled up while the worker was busy were skipped


def test_no_camera_degrades_cleanly(qtbot: QtBot) -> None:
    panel = CameraPanel()
    qtbot.addWidget(panel)
    states: list[str] = []
    panel.scanner.stateChanged.connect(states.append)
    assert CameraScanner.cameras() == []  # this machine has none
    assert panel.start() is False
    assert states == [CameraState.NO_CAMERA.value]
    assert panel.status.text() == NO_CAMERA_TEXT
    assert panel.preview.isHidden()
    assert not panel.scanner.running  # no thread was started for nothing
    panel.stop()
    assert panel.scanner.state is CameraState.NO_CAMERA
