"""`madoguchi catalog check` checks the municipality's 外字 (issue 14, item 5): a font file and a code-point
map in the catalog folder (``gaiji/gaiji.yaml``), each problem as ``file:line: message``, exit code 6;
a valid map lists the registered characters.

外字 are the municipality's own characters at private-use code points (Unicode 15, §23.5 Private-Use
Characters: U+E000–U+F8FF, planes 15–16), as the resident record and the card can carry them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

import procedures
from counter_app.cli import cli
from forms import FontSet
from tests.unit.forms.glyph_images import gaiji_folder


def _catalog(tmp_path: Path) -> Path:
    folder = tmp_path / "catalog"
    shutil.copytree(procedures.default_catalog_dir(), folder)
    return folder


def test_a_valid_gaiji_map_is_listed(fonts: FontSet, tmp_path: Path) -> None:
    folder = _catalog(tmp_path)
    gaiji_folder(fonts, folder)
    result = CliRunner().invoke(cli, ["catalog", "check", str(folder)])
    assert result.exit_code == 0, result.output
    assert "外字: U+E001 \ue001 本市登録外字 0001" in result.output and "OK:" in result.output


def test_gaiji_problems_are_reported_at_file_and_line(fonts: FontSet, tmp_path: Path) -> None:
    folder = _catalog(tmp_path)
    gaiji = gaiji_folder(fonts, folder)
    (gaiji / "gaiji.yaml").write_text(
        "font: gaiji.ttf\n"
        "characters:\n"
        "  - code: U+E001\n"
        "    name: 本市登録外字 0001\n"
        "  - code: U+908A\n"  # line 5: 邉 itself is not a private-use code point
        "  - code: U+E002\n"  # line 6: the font has no glyph there
        "  - code: U+E001\n",  # line 7: registered twice
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["catalog", "check", str(folder)])
    assert result.exit_code == 6
    lines = result.output.splitlines()
    assert "gaiji/gaiji.yaml:5: characters の 2 番目: U+908A は私用領域ではありません" in "\n".join(lines)
    assert any(
        line.startswith("gaiji/gaiji.yaml:6: ") and "U+E002 の字形がありません" in line for line in lines
    )
    assert any(line.startswith("gaiji/gaiji.yaml:7: ") and "2回登録" in line for line in lines)

    (gaiji / "gaiji.yaml").write_text("font: missing.ttf\ncharacters:\n  - code: U+E001\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["catalog", "check", str(folder), "--json"])
    assert result.exit_code == 6
    issues = [i for i in json.loads(result.output)["issues"] if i["file"] == "gaiji/gaiji.yaml"]
    assert [(i["line"], i["severity"]) for i in issues] == [(1, "error")]  # the font: line
    assert "missing.ttf" in issues[0]["message"]
