"""What a print test needs around the CUPS server the run starts: the capture queue's files, and
comparing a printed PDF with its source page by page (poppler's pdfinfo and pdftoppm)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from PIL import Image, ImageChops, ImageStat
from reportlab.pdfgen import canvas

from tests.services_cups import Cupsd

CAPTURE = "madoguchi-capture"


def make_pdf(path: Path, pages: int, text: str = "page") -> bytes:
    """A PDF of ``pages`` pages (one line of text each), written to ``path``; its bytes."""
    c = canvas.Canvas(str(path))
    for number in range(pages):
        c.drawString(100, 700, f"{text} {number + 1}")
        c.showPage()
    c.save()
    return path.read_bytes()


def captured(cupsd: Cupsd) -> list[Path]:
    return sorted((cupsd.capture_dir(CAPTURE)).glob("job-*.pdf"))


def pdfinfo_pages(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


def render(path: Path, out: Path, dpi: int = 50) -> list[Image.Image]:
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(path), str(out)], check=True)
    return [Image.open(p).convert("L") for p in sorted(out.parent.glob(out.name + "*.png"))]


def pages_match(printed: Path, source: Path, tmp_path: Path) -> None:
    assert pdfinfo_pages(printed) == pdfinfo_pages(source)
    for got, want in zip(render(printed, tmp_path / "got"), render(source, tmp_path / "want"), strict=True):
        assert got.size == want.size
        difference = ImageStat.Stat(ImageChops.difference(got, want)).mean[0]
        assert difference < 2.0, f"page differs by {difference:.2f} grey levels on average"
