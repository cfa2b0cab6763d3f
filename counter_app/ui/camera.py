"""QR codes from a camera: QtMultimedia capture, frames decoded on a worker thread.

:class:`CameraScanner` owns the capture (``QCamera`` → ``QMediaCaptureSession`` → ``QVideoSink``) and
one worker thread with its own :class:`~counter_app.presenters.scanning.FrameReader`. Every frame the
sink delivers goes through :meth:`CameraScanner.submit_frame`: while the worker is busy only the newest
frame is kept (older ones are dropped, never queued), so the GUI thread does nothing but hand over a
reference and the decoding can never fall behind or block the screen. Both decoders (zxing-cpp, then
zbar when it finds nothing) release the GIL while they scan.

Frames are read without copies where the camera allows it: for the YUV formats most webcams deliver
(NV12, NV21, I420, YV12 …) the luma plane *is* the greyscale image the decoders want; other formats are
converted by Qt to 8-bit greyscale first.

A payload seen again within ``repeat_after`` seconds is not reported twice (the camera sees the same
code in many frames). With no camera connected, :meth:`CameraScanner.start` returns ``False`` and the
state says so in Japanese; the keyboard-wedge scanner and image files still work. Tests feed synthetic
frames through :meth:`submit_frame`, the same path the camera uses.
"""

from __future__ import annotations

import enum
import logging
import threading
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtGui import QImage
from PySide6.QtMultimedia import (
    QCamera,
    QCameraDevice,
    QMediaCaptureSession,
    QMediaDevices,
    QVideoFrame,
    QVideoFrameFormat,
    QVideoSink,
)
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import QVBoxLayout, QWidget

from counter_app.presenters.scanning import FrameReader, UnreadableFrameError
from counter_app.ui.plain import PlainLabel

log = logging.getLogger(__name__)

_PF = QVideoFrameFormat.PixelFormat
LUMA_FIRST: frozenset[QVideoFrameFormat.PixelFormat] = frozenset(
    {
        _PF.Format_NV12,
        _PF.Format_NV21,
        _PF.Format_YUV420P,
        _PF.Format_YUV422P,
        _PF.Format_YV12,
        _PF.Format_IMC1,
        _PF.Format_IMC2,
        _PF.Format_IMC3,
        _PF.Format_IMC4,
        _PF.Format_Y8,
    }
)
"""Formats whose first plane is 8-bit luma at full size: decoded straight from the mapped plane."""

NO_CAMERA_TEXT = (
    "カメラが接続されていません。キーボード入力型のスキャナーか、画像ファイルで読み取ってください。"
)
READY_TEXT = "QRコードをカメラに向けてください。"


class CameraState(enum.StrEnum):
    STOPPED = "stopped"
    NO_CAMERA = "no_camera"
    ACTIVE = "active"
    ERROR = "error"


def frame_payloads(reader: FrameReader, frame: QVideoFrame) -> list[bytes]:
    """The QR payloads in one video frame (runs on the worker thread)."""
    if not frame.isValid():
        return []
    width, height = frame.width(), frame.height()
    if frame.pixelFormat() in LUMA_FIRST:
        copy = QVideoFrame(frame)
        if not copy.map(QVideoFrame.MapMode.ReadOnly):
            return []
        try:
            luma = bytes(copy.bits(0))
            stride = copy.bytesPerLine(0)
        finally:
            copy.unmap()
        return reader.payloads(luma, width, height, stride)
    image = frame.toImage()
    if image.isNull():
        return []
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
    return reader.payloads(bytes(grey.constBits()), grey.width(), grey.height(), grey.bytesPerLine())


class FrameWorker(QObject):
    """Lives on the worker thread: decodes one frame per call, then says it is free again."""

    decoded = Signal(list)  # list[bytes]: the payloads of one frame (often empty)
    failed = Signal(str)  # the clerk's line
    free = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.reader = FrameReader()
        self.thread_ident: int | None = None  # the thread that decoded last (tests check it is not the GUI's)

    @Slot(object)
    def scan(self, frame: QVideoFrame) -> None:
        self.thread_ident = threading.get_ident()
        try:
            self.decoded.emit(frame_payloads(self.reader, frame))
        except UnreadableFrameError as exc:
            self.failed.emit(exc.text)
        finally:
            self.free.emit()

    @Slot()
    def close(self) -> None:
        self.reader.close()


class CameraScanner(QObject):
    """Camera capture and QR decoding; emits each newly seen payload once."""

    payloadScanned = Signal(bytes)
    stateChanged = Signal(str)  # CameraState value
    _scan = Signal(object)

    def __init__(
        self,
        parent: QObject | None = None,
        repeat_after: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self.repeat_after = repeat_after
        self.clock = clock
        self.state = CameraState.STOPPED
        self.message = ""
        self.frames_submitted = 0
        self.frames_dropped = 0
        self.frames_decoded = 0
        self._busy = False
        self._pending: QVideoFrame | None = None
        self._seen: dict[bytes, float] = {}
        self._thread: QThread | None = None
        self._worker: FrameWorker | None = None
        self.camera: QCamera | None = None
        self.session: QMediaCaptureSession | None = None
        self.sink: QVideoSink | None = None

    # --- lifecycle ------------------------------------------------------------------------------
    @staticmethod
    def cameras() -> list[QCameraDevice]:
        return list(QMediaDevices.videoInputs())

    def start(self, device: QCameraDevice | None = None, preview: QVideoWidget | None = None) -> bool:
        """Open the camera (the system default unless ``device``); ``False`` if there is none."""
        if self.camera is not None:
            return True
        devices = self.cameras()
        if not devices and device is None:
            self._set_state(CameraState.NO_CAMERA, NO_CAMERA_TEXT)
            return False
        self._ensure_worker()
        self.camera = QCamera(device or QMediaDevices.defaultVideoInput())
        self.camera.errorOccurred.connect(self._camera_error)
        self.session = QMediaCaptureSession()
        self.session.setCamera(self.camera)
        self.sink = preview.videoSink() if preview is not None else QVideoSink()
        self.session.setVideoSink(self.sink)
        self.sink.videoFrameChanged.connect(self.submit_frame)
        self.camera.start()
        self._set_state(CameraState.ACTIVE, READY_TEXT)
        return True

    def stop(self) -> None:
        """Stop the camera and the worker thread (waits for the frame being decoded)."""
        if self.camera is not None:
            self.camera.stop()
            self.camera.deleteLater()
        if self.sink is not None:
            self.sink.videoFrameChanged.disconnect(self.submit_frame)
        self.camera = self.session = self.sink = None
        self._pending = None
        if self._thread is not None and self._worker is not None:
            self._thread.quit()
            self._thread.wait()
            self._worker.close()  # its thread has finished: nothing else touches the decoder now
            self._worker.deleteLater()
            self._thread.deleteLater()
        self._thread = None
        self._worker = None
        self._busy = False
        if self.state is not CameraState.NO_CAMERA:
            self._set_state(CameraState.STOPPED, "")

    @property
    def worker_thread_ident(self) -> int | None:
        return self._worker.thread_ident if self._worker is not None else None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    # --- frames ---------------------------------------------------------------------------------
    @Slot(QVideoFrame)
    def submit_frame(self, frame: QVideoFrame) -> None:
        """Hand a frame to the worker (GUI thread). While it is busy, only the newest frame waits."""
        self._ensure_worker()
        self.frames_submitted += 1
        if self._busy:
            if self._pending is not None:
                self.frames_dropped += 1
            self._pending = QVideoFrame(frame)
            return
        self._busy = True
        self._scan.emit(QVideoFrame(frame))

    def forget(self) -> None:
        """Report every payload again from now on (a new visit starts)."""
        self._seen.clear()

    def _ensure_worker(self) -> None:
        if self._thread is not None:
            return
        self._thread = QThread()
        self._thread.setObjectName("madoguchi-camera-qr")
        self._worker = FrameWorker()
        self._worker.moveToThread(self._thread)
        self._scan.connect(self._worker.scan)
        self._worker.decoded.connect(self._on_decoded)
        self._worker.failed.connect(self._on_failed)
        self._worker.free.connect(self._on_free)
        self._thread.start()

    @Slot(list)
    def _on_decoded(self, payloads: list[bytes]) -> None:
        self.frames_decoded += 1
        now = self.clock()
        for payload in payloads:
            last = self._seen.get(payload)
            self._seen[payload] = now
            if last is None or now - last >= self.repeat_after:
                self.payloadScanned.emit(payload)

    @Slot(str)
    def _on_failed(self, text: str) -> None:
        self._set_state(self.state, text)

    @Slot()
    def _on_free(self) -> None:
        self._busy = False
        if self._pending is not None and self._thread is not None:
            frame, self._pending = self._pending, None
            self._busy = True
            self._scan.emit(frame)

    @Slot(QCamera.Error, str)
    def _camera_error(self, error: QCamera.Error, text: str) -> None:
        log.warning("camera error %s", error)
        self._set_state(
            CameraState.ERROR,
            "カメラを使えません(ほかのアプリが使用中か、接続が切れました)。"
            "キーボード入力型のスキャナーか、画像ファイルで読み取ってください。",
        )

    def _set_state(self, state: CameraState, message: str) -> None:
        self.state = state
        self.message = message
        self.stateChanged.emit(state.value)


class CameraPanel(QWidget):
    """The camera preview with a status line; shows only the status line when there is no camera."""

    def __init__(self, scanner: CameraScanner | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scanner = scanner or CameraScanner(self)
        self.preview = QVideoWidget(self)
        self.preview.setMinimumSize(320, 240)
        self.status = PlainLabel("", self)
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.preview)
        layout.addWidget(self.status)
        self.scanner.stateChanged.connect(self._show_state)
        self._show_state(self.scanner.state.value)

    def start(self) -> bool:
        return self.scanner.start(preview=self.preview)

    def stop(self) -> None:
        self.scanner.stop()

    def _show_state(self, state: str) -> None:
        self.preview.setVisible(state == CameraState.ACTIVE.value)
        self.status.setText(self.scanner.message)
