"""``madoguchi catalog check`` reads registry.yaml beside the catalog: problems at file:line, exit 6."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from counter_app.cli import cli
from counter_app.presenters.messages import EXIT_DATA

SHIPPED = Path(__file__).parents[3] / "procedures" / "catalogs" / "sazanami"


def catalog_with(tmp_path: Path, registry_yaml: str) -> Path:
    folder = tmp_path / "catalog"
    shutil.copytree(SHIPPED, folder)
    (folder / "registry.yaml").write_text(registry_yaml, encoding="utf-8")
    return folder


def test_a_good_registry_yaml_is_summarised_after_ok(tmp_path: Path) -> None:
    folder = catalog_with(
        tmp_path,
        "format: madoguchi-registry/1\nsource: sql\nview: juki.madoguchi_view\ncolumns:\n"
        "  宛名番号: ATENA_NO\n  氏名: SHIMEI\nanswers:\n  foreign_resident: any_foreign\n",
    )
    result = CliRunner().invoke(cli, ["catalog", "check", str(folder)])
    assert result.exit_code == 0, result.output
    assert "住民記録: registry.yaml OK — ビュー juki.madoguchi_view、区の列名 2 件" in result.output
    assert "registry.yaml: 警告" not in result.output  # a known file of the catalog folder


def test_problems_at_their_lines(tmp_path: Path) -> None:
    folder = catalog_with(
        tmp_path,
        "format: madoguchi-registry/1\n"
        "source: sql\n"
        "columns:\n"
        "  宛名番号: ATENA_NO\n"
        "  個人番号: KOJIN_NO\n"
        "lookups_per_window: 0\n",
    )
    result = CliRunner().invoke(cli, ["catalog", "check", str(folder)])
    assert result.exit_code == EXIT_DATA
    registry = folder / "registry.yaml"
    assert f"{registry}:5: 個人番号(マイナンバー)は住民記録の照会に使いません" in result.output
    assert f"{registry}:6: lookups_per_window は 1〜500 の整数です" in result.output


def test_an_answer_for_a_question_the_catalog_lacks(tmp_path: Path) -> None:
    folder = catalog_with(
        tmp_path,
        "format: madoguchi-registry/1\nanswers:\n  foreign_resident: any_foreign\n"
        "  kokuseki_x: any_foreign\n",
    )
    result = CliRunner().invoke(cli, ["catalog", "check", str(folder), "--json"])
    assert result.exit_code == EXIT_DATA
    assert '"line": 4' in result.output and "質問「kokuseki_x」はこのカタログにありません" in result.output
