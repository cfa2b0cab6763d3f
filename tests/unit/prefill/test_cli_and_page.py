"""``madoguchi qr`` and ``madoguchi prefill`` as the clerk runs them, and the generated page's contents."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import pytest
from PIL import Image

from card_reader.qr import decode_file
from counter_app.presenters.messages import EXIT_DATA
from procedures import load_catalog
from procedures.prefill import PREFIX
from procedures.prefill.page import page_data, render_page, resident_text
from tests.conftest import MadoguchiRunner
from tests.unit.prefill.samples import harden, large_visit, six_member_visit
from tests.unit.prefill.test_parts import US_ON_JIS


@pytest.fixture
def visit_file(tmp_path: Path) -> Path:
    path = tmp_path / "visit.json"
    path.write_text(json.dumps(large_visit().to_json(), ensure_ascii=False), encoding="utf-8")
    return path


def test_encode_then_decode_gives_the_visit_guide_reads(
    madoguchi: MadoguchiRunner, visit_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "codes"
    encoded = madoguchi("qr", "encode", "--visit", str(visit_file), "--out", str(out))
    assert encoded.returncode == 0, encoded.stderr
    pngs = sorted(out.glob("*.png"))
    assert [p.name for p in pngs] == ["madoguchi-qr-1-of-2.png", "madoguchi-qr-2-of-2.png"]
    assert all(decode_file(p)[0].startswith(PREFIX.encode()) for p in pngs)
    # A photo of the second code, taken badly, and the first as a file: any order.
    photo = tmp_path / "photo.jpg"
    harden(Image.open(pngs[1]).convert("L"), (700, 300), 90).save(photo)
    decoded = madoguchi("qr", "decode", str(photo), str(pngs[0]), "--json")
    assert decoded.returncode == 0, decoded.stderr
    visit = json.loads(decoded.stdout)
    expected = large_visit().to_json()
    for member in expected["members"]:
        member["source"] = "qr"
    assert visit == expected
    guided = madoguchi("guide", "--visit", "-", "--json", input=decoded.stdout)
    assert guided.returncode == 0, guided.stderr
    summary = madoguchi("qr", "decode", str(pngs[0]), str(pngs[1]))
    assert "QRコード 2個を読み取りました" in summary.stdout and "世帯 12人" in summary.stdout


def test_decode_names_what_is_missing_or_foreign(
    madoguchi: MadoguchiRunner, visit_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "codes"
    assert madoguchi("qr", "encode", "--visit", str(visit_file), "--out", str(out)).returncode == 0
    missing = madoguchi("qr", "decode", str(out / "madoguchi-qr-2-of-2.png"))
    assert missing.returncode == EXIT_DATA
    assert "QRコードがそろっていません。1/2 も読み取ってください。" in missing.stderr
    import segno

    url = tmp_path / "url.png"
    segno.make_qr("https://www.city.example.lg.jp/").save(str(url), scale=6)
    foreign = madoguchi("qr", "decode", str(url))
    assert foreign.returncode == EXIT_DATA
    assert "ウェブサイトのアドレス(URL)" in foreign.stderr
    blank = tmp_path / "blank.png"
    Image.new("L", (200, 200), 255).save(blank)
    nothing = madoguchi("qr", "decode", str(blank))
    assert nothing.returncode == EXIT_DATA and "QRコードが見つかりません" in nothing.stderr
    absent = madoguchi("qr", "decode", str(tmp_path / "absent.png"))
    assert absent.returncode == EXIT_DATA and "画像ファイルが見つかりません" in absent.stderr


def test_decode_reads_what_a_wedge_scanner_types(
    madoguchi: MadoguchiRunner, visit_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "codes"
    assert madoguchi("qr", "encode", "--visit", str(visit_file), "--out", str(out)).returncode == 0
    lines = [decode_file(p)[0].decode() for p in sorted(out.glob("*.png"))]
    typed = "\n".join([lines[1].lower(), lines[0].translate(US_ON_JIS)]) + "\n\n"
    decoded = madoguchi("qr", "decode", "--typed", "--json", input=typed)
    assert decoded.returncode == 0, decoded.stderr
    assert len(json.loads(decoded.stdout)["members"]) == 12
    damaged = madoguchi("qr", "decode", "--typed", input=lines[0][:-3] + "(((\n" + lines[1] + "\n")
    assert damaged.returncode == EXIT_DATA
    assert "キーボード配列" in damaged.stderr


def test_encode_warns_about_answers_the_catalog_does_not_know(
    madoguchi: MadoguchiRunner, tmp_path: Path
) -> None:
    visit = six_member_visit().to_json()
    visit["answers"]["has_a_boat"] = True
    path = tmp_path / "visit.json"
    path.write_text(json.dumps(visit, ensure_ascii=False), encoding="utf-8")
    result = madoguchi("qr", "encode", "--visit", str(path), "--out", str(tmp_path / "o"))
    assert result.returncode == 0
    assert "注意: 質問「has_a_boat」は窓口の手続カタログにない" in result.stderr


def test_prefill_build_writes_a_self_contained_page(madoguchi: MadoguchiRunner, tmp_path: Path) -> None:
    result = madoguchi("prefill", "build", "--catalog", "sazanami", "--out", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == [
        "LICENSES.txt",
        "README.txt",
        "index.html",
    ]
    licences = (tmp_path / "site" / "LICENSES.txt").read_text(encoding="utf-8")
    assert "Kazuhiko Arase" in licences and "Arjun Barrett" in licences and licences.count("MIT") >= 2
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ja">' in page and 'name="viewport"' in page
    assert "Kazuhiko Arase" in page  # the licences travel with the page itself


def test_page_policy_allows_exactly_its_own_inline_scripts_and_nothing_remote() -> None:
    catalog = load_catalog()
    page, csp = render_page(catalog)
    scripts = re.findall(r"<script>(.*?)</script>", page, flags=re.S)
    assert len(scripts) == 3  # the QR encoder, the compressor, the application
    for source in scripts:
        digest = base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    [style] = re.findall(r"<style>(.*?)</style>", page, flags=re.S)
    assert base64.b64encode(hashlib.sha256(style.encode()).digest()).decode() in csp
    assert csp.startswith("default-src 'none'") and "unsafe" not in csp and "connect-src" not in csp
    assert re.search(r"""(src|href|action)\s*=\s*["']?(https?:)?//""", page) is None
    assert "<script src" not in page and '<link rel="stylesheet"' not in page
    # The catalog's own text cannot close the data block or inject markup.
    assert page.count("</script>") == 4


def test_page_data_carries_the_rules_not_the_procedures() -> None:
    catalog = load_catalog()
    data = page_data(catalog)
    assert [q["id"] for q in data["questions"]] == list(catalog.questions)
    assert "procedures" not in data
    inkan = next(q for q in data["questions"] if q["id"] == "inkan_register")
    assert {"fact": "legal_age", "op": "gte", "value": 15} in inkan["ask_when"]["all"]
    shussei = next(e for e in data["events"] if e["id"] == "shussei")
    assert "subject" not in shussei["description"]  # notes meant for staff are left out
    assert resident_text('お子さんが生まれたとき("subject" を true に)') == "お子さんが生まれたとき"
