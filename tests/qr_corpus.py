"""A degraded corpus of 1920×1080 camera frames holding pre-fill-sized QR codes, made from a fixed seed.

What a counter camera sees when a resident holds up a phone or a printout: phones tilted 15–30° (the
closer the phone, the larger the modules and the stronger the perspective), blur, JPEG artefacts,
moiré (a screen's pixel grid aliased by the camera), glare over the code (also over a finder
pattern), dim screens, small codes in a cluttered scene, inverted codes (a phone in dark mode), two
codes in one frame, and frames without any code. Every frame is generated from ``SEED`` alone, so
the corpus is the same on every run and machine (Pillow only; no numpy).

Used by ``tests/unit/prefill/test_decoder_corpus.py`` (read counts per decoder) and ``bench/qr.py``
(read rate and time per frame).
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

import segno
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageOps

SEED = 20261204
WIDTH, HEIGHT = 1920, 1080
_BASE45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"


@dataclass(frozen=True)
class CorpusFrame:
    label: str  # the degradation, e.g. "tilt 25° y, 8 px/module"
    kind: str  # tilt, blur, jpeg, moire, glare, dim, clutter, inverted, two codes, no code
    image: Image.Image = field(repr=False)  # mode "L", 1920×1080
    payloads: tuple[bytes, ...]  # what is in the frame (empty: no code)


def _payload(rng: random.Random, length: int) -> bytes:
    """A pre-fill-like part: ``MDP1:`` and Base45 text, ``length`` characters (599 is a full part)."""
    return ("MDP1:" + "".join(rng.choice(_BASE45) for _ in range(length - 5))).encode("ascii")


def _modules(payload: bytes) -> Image.Image:
    """The code at one pixel per module, quiet zone of four modules, black on white (mode "L")."""
    symbol = segno.make_qr(payload.decode("ascii"), error="m", mode="alphanumeric", boost_error=False)
    buffer = io.BytesIO()
    symbol.save(buffer, kind="png", scale=1, border=4)
    buffer.seek(0)
    return Image.open(buffer).convert("L")


def _code(payload: bytes, module_px: float) -> Image.Image:
    modules = _modules(payload)
    size = max(1, round(modules.width * module_px))
    return modules.resize((size, size), Image.Resampling.NEAREST if module_px >= 1 else Image.Resampling.BOX)


def _scene(rng: random.Random, clutter: int) -> Image.Image:
    """A counter seen by a webcam: a lit gradient, desk clutter (papers, pens, printed lines), noise."""
    base = rng.randint(90, 170)
    scene = Image.linear_gradient("L").resize((WIDTH, HEIGHT)).point(lambda v: base - 40 + v * 80 // 255)
    draw = ImageDraw.Draw(scene)
    for _ in range(clutter):
        x, y = rng.randrange(WIDTH), rng.randrange(HEIGHT)
        w, h = rng.randint(20, 400), rng.randint(10, 300)
        shade = rng.randint(0, 255)
        if rng.random() < 0.5:
            draw.rectangle((x, y, x + w, y + h), fill=shade)
        else:  # printed text: short dark bars in rows
            for row in range(rng.randint(2, 8)):
                yy = y + row * 14
                xx = x
                while xx < x + w:
                    word = rng.randint(6, 40)
                    draw.rectangle((xx, yy, xx + word, yy + 6), fill=rng.randint(0, 60))
                    xx += word + rng.randint(4, 12)
    scene = scene.filter(ImageFilter.GaussianBlur(1.2))
    return _noise(scene, rng, 4.0)


def _noise(image: Image.Image, rng: random.Random, sigma: float) -> Image.Image:
    """Sensor noise of deviation ``sigma``, uniform, from ``rng`` (Pillow's own noise is not seeded)."""
    spread = sigma * math.sqrt(3) / 128
    raw = Image.frombytes("L", image.size, rng.randbytes(image.width * image.height))
    noise = raw.point(lambda v: round(128 + (v - 128) * spread))
    return ImageChops.add(image, noise, scale=1.0, offset=-128)


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (8×8: the perspective coefficients)."""
    n = len(vector)
    rows = [[*row, value] for row, value in zip(matrix, vector, strict=True)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(rows[r][col]))
        rows[col], rows[pivot] = rows[pivot], rows[col]
        for r in range(n):
            if r != col:
                factor = rows[r][col] / rows[col][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[col], strict=True)]
    return [rows[i][n] / rows[i][i] for i in range(n)]


def _perspective_coefficients(
    output: list[tuple[float, float]], source: list[tuple[float, float]]
) -> list[float]:
    """PIL's PERSPECTIVE data mapping each output point to its source point."""
    matrix, vector = [], []
    for (x, y), (u, v) in zip(output, source, strict=True):
        matrix.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        vector.append(u)
        matrix.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        vector.append(v)
    return _solve(matrix, vector)


def _place(
    scene: Image.Image,
    code: Image.Image,
    center: tuple[float, float],
    tilt: float = 0.0,
    axis: str = "y",
    turn: float = 0.0,
    closeness: float = 0.35,
) -> None:
    """Paste ``code`` into ``scene`` as a camera sees a flat phone or sheet: turned ``turn``° in the
    image plane and tilted ``tilt``° away from the camera about the vertical (``axis="y"``) or
    horizontal axis. ``closeness`` is the code's size over the camera's focal length: the closer the
    phone, the stronger the perspective."""
    half = code.width / 2
    focal = code.width / closeness
    tilt_r, turn_r = math.radians(tilt), math.radians(turn)
    corners = [(-half, -half), (half, -half), (half, half), (-half, half)]
    projected = []
    for x, y in corners:
        if axis == "y":
            x3, y3, z3 = x * math.cos(tilt_r), y, x * math.sin(tilt_r)
        else:
            x3, y3, z3 = x, y * math.cos(tilt_r), y * math.sin(tilt_r)
        px, py = x3 * focal / (focal + z3), y3 * focal / (focal + z3)
        rx = px * math.cos(turn_r) - py * math.sin(turn_r)
        ry = px * math.sin(turn_r) + py * math.cos(turn_r)
        projected.append((center[0] + rx, center[1] + ry))
    source = [(0.0, 0.0), (code.width, 0.0), (code.width, code.height), (0.0, code.height)]
    data = _perspective_coefficients(projected, source)
    warped = code.transform(scene.size, Image.Transform.PERSPECTIVE, data, Image.Resampling.BICUBIC)
    mask = Image.new("L", code.size, 255).transform(
        scene.size, Image.Transform.PERSPECTIVE, data, Image.Resampling.BILINEAR, fillcolor=0
    )
    scene.paste(warped, (0, 0), mask)


def _jpeg(image: Image.Image, quality: int) -> Image.Image:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    buffer.seek(0)
    return Image.open(buffer).convert("L")


def _screen(code: Image.Image, low: int = 20, high: int = 235) -> Image.Image:
    """A phone screen's contrast: black is never quite black, white never quite white."""
    return code.point(lambda v: low + (high - low) * v // 255)


def _moire(payload: bytes, module_px: float, rng: random.Random) -> Image.Image:
    """The code on a screen with a visible pixel grid, resampled by the camera without filtering."""
    fine = _code(payload, module_px * 3)
    period = rng.uniform(2.6, 3.4)
    strength = rng.uniform(0.35, 0.55)
    row = [
        round(255 * (1 - strength * (0.5 + 0.5 * math.sin(2 * math.pi * x / period))))
        for x in range(fine.width * 2)
    ]
    stripe = Image.new("L", (fine.width * 2, 1))
    stripe.putdata(row)
    grating = stripe.resize((fine.width * 2, fine.height * 2), Image.Resampling.NEAREST)
    grating = grating.rotate(rng.uniform(2, 12), resample=Image.Resampling.BILINEAR)
    grating = grating.crop(
        (fine.width // 2, fine.height // 2, fine.width // 2 + fine.width, fine.height // 2 + fine.height)
    )
    lit = ImageChops.multiply(_screen(fine, 30, 250), grating)
    size = round(fine.width / 3)
    return lit.resize((size, size), Image.Resampling.NEAREST)


def _glare(scene: Image.Image, center: tuple[float, float], radius: int, strength: int) -> Image.Image:
    blob = ImageOps.invert(Image.radial_gradient("L")).resize((2 * radius, 2 * radius))
    blob = blob.point(lambda v: v * strength // 255)
    layer = Image.new("L", scene.size, 0)
    layer.paste(blob, (round(center[0]) - radius, round(center[1]) - radius))
    return ImageChops.add(scene, layer)


def _frames(rng: random.Random) -> Iterator[CorpusFrame]:
    def spot(code_px: float) -> tuple[float, float]:
        margin = code_px * 0.8
        return rng.uniform(margin, WIDTH - margin), rng.uniform(margin, HEIGHT - margin)

    lengths = (599, 599, 480, 380)

    # Phones held at an angle; at 8 px per module and closer the perspective is strongest.
    for tilt in (15, 20, 25, 30):
        for module_px, closeness in ((8.0, 0.45), (5.0, 0.3)):
            for axis in ("y", "x"):
                payload = _payload(rng, rng.choice(lengths))
                code = _screen(_code(payload, module_px))
                scene = _scene(rng, 12)
                _place(scene, code, spot(code.width), tilt, axis, rng.uniform(-10, 10), closeness)
                yield CorpusFrame(f"tilt {tilt}° {axis}, {module_px} px/module", "tilt", scene, (payload,))

    # Out of focus (a phone held too close for the webcam's fixed focus).
    for radius in (1.5, 2.5, 3.0, 3.5):
        for module_px in (5.0, 7.0):
            payload = _payload(rng, rng.choice(lengths))
            scene = _scene(rng, 10)
            _place(scene, _screen(_code(payload, module_px)), spot(module_px * 85), rng.uniform(0, 10), "y")
            yield CorpusFrame(
                f"blur {radius}, {module_px} px/module",
                "blur",
                scene.filter(ImageFilter.GaussianBlur(radius)),
                (payload,),
            )

    # Strong JPEG compression of small codes (webcams that only deliver MJPEG at 1080p).
    for quality in (12, 20, 30):
        for module_px in (3.5, 4.5):
            payload = _payload(rng, rng.choice(lengths))
            scene = _scene(rng, 10)
            _place(
                scene,
                _code(payload, module_px),
                spot(module_px * 85),
                rng.uniform(0, 15),
                "y",
                rng.uniform(-20, 20),
            )
            yield CorpusFrame(
                f"JPEG q{quality}, {module_px} px/module", "jpeg", _jpeg(scene, quality), (payload,)
            )

    # Moiré: a screen's pixel grid aliased by the camera.
    for index in range(8):
        payload = _payload(rng, rng.choice(lengths))
        module_px = rng.choice((4.0, 5.0, 6.0))
        code = _moire(payload, module_px, rng)
        scene = _scene(rng, 8)
        _place(scene, code, spot(code.width), rng.uniform(0, 12), "y", rng.uniform(-8, 8))
        yield CorpusFrame(f"moiré {index + 1}, {module_px} px/module", "moire", _jpeg(scene, 70), (payload,))

    # Glare: a ceiling light reflected by the phone's glass, on the code or over a finder pattern.
    for index in range(8):
        payload = _payload(rng, rng.choice(lengths))
        module_px = rng.choice((5.0, 6.0, 7.0))
        code = _screen(_code(payload, module_px))
        scene = _scene(rng, 8)
        cx, cy = spot(code.width)
        _place(scene, code, (cx, cy), rng.uniform(0, 15), "y", rng.uniform(-10, 10))
        quarter = code.width * 0.32
        if index % 2:  # over the top-left finder pattern
            where = (cx - quarter + rng.uniform(-20, 20), cy - quarter + rng.uniform(-20, 20))
        else:
            where = (cx + rng.uniform(-quarter, quarter), cy + rng.uniform(-quarter, quarter))
        radius = round(code.width * rng.uniform(0.15, 0.3))
        scene = _glare(scene, where, radius, rng.randint(200, 255))
        yield CorpusFrame(f"glare {index + 1}, {module_px} px/module", "glare", scene, (payload,))

    # Dim screens: little contrast, more sensor noise.
    for index in range(8):
        payload = _payload(rng, rng.choice(lengths))
        module_px = rng.choice((4.0, 5.0, 6.0))
        low = rng.randint(35, 60)
        high = low + rng.randint(22, 45)
        scene = _scene(rng, 8).point(lambda v: v // 2)
        _place(
            scene,
            _screen(_code(payload, module_px), low, high),
            spot(module_px * 85),
            rng.uniform(0, 12),
            "y",
        )
        yield CorpusFrame(
            f"dim {low}–{high}, {module_px} px/module", "dim", _noise(scene, rng, 7.0), (payload,)
        )

    # Small codes in a cluttered scene (a printout on the desk, far from the camera).
    for index in range(8):
        payload = _payload(rng, rng.choice(lengths))
        module_px = rng.choice((2.5, 3.0, 3.5))
        scene = _scene(rng, 60)
        _place(
            scene,
            _code(payload, module_px),
            spot(module_px * 85),
            rng.uniform(0, 20),
            "x",
            rng.uniform(-45, 45),
        )
        yield CorpusFrame(
            f"clutter {index + 1}, {module_px} px/module", "clutter", _jpeg(scene, 80), (payload,)
        )

    # Inverted: a phone in dark mode shows light modules on a dark background.
    for index in range(8):
        payload = _payload(rng, rng.choice(lengths))
        module_px = rng.choice((4.0, 6.0, 8.0))
        code = _screen(ImageOps.invert(_code(payload, module_px)))
        scene = _scene(rng, 10)
        _place(scene, code, spot(code.width), rng.choice((0, 10, 20)), "y", rng.uniform(-10, 10))
        yield CorpusFrame(f"inverted {index + 1}, {module_px} px/module", "inverted", scene, (payload,))

    # Two codes in one frame: both parts of a set held up together.
    for index in range(6):
        first, second = _payload(rng, rng.choice(lengths)), _payload(rng, rng.choice(lengths))
        module_px = rng.choice((4.0, 5.0, 6.0))
        scene = _scene(rng, 10)
        size = module_px * 85
        _place(
            scene,
            _screen(_code(first, module_px)),
            (WIDTH * 0.27, HEIGHT / 2 + rng.uniform(-150, 150)),
            rng.uniform(0, 15),
            "y",
        )
        _place(
            scene,
            _screen(_code(second, module_px)),
            (WIDTH * 0.73, HEIGHT / 2 + rng.uniform(-150, 150)),
            rng.uniform(0, 15),
            "y",
        )
        assert size < WIDTH * 0.4
        yield CorpusFrame(
            f"two codes {index + 1}, {module_px} px/module", "two codes", scene, (first, second)
        )

    # Nothing to read: most frames a counter camera sees.
    for index in range(6):
        yield CorpusFrame(f"no code {index + 1}", "no code", _scene(rng, 40), ())


def corpus() -> list[CorpusFrame]:
    """The whole corpus, in a fixed order, from :data:`SEED`."""
    return list(_frames(random.Random(SEED)))
