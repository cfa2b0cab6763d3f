"""``madoguchi forms list / check / preview / decode`` through the real command group."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from click.testing import CliRunner

from counter_app.cli import cli
from counter_app.presenters.messages import EXIT_FORMS
from forms.samples import HOUSEHOLDER


def test_list_shows_the_ten_forms_and_their_fields() -> None:
    result = CliRunner().invoke(cli, ["forms", "list", "--json"])
    assert result.exit_code == 0, result.output
    forms = {entry["id"]: entry for entry in json.loads(result.output)}
    assert len(forms) >= 10
    assert forms["jumin_idou"]["title"] == "住民異動届"
    assert {"name", "kana", "birth_date"} <= {f["name"] for f in forms["jumin_idou"]["groups"]["members"]}
    assert "death_date" in {f["name"] for f in forms["sousaihi"]["fields"]}
    human = CliRunner().invoke(cli, ["forms", "list"])
    assert "葬祭費支給申請書" in human.output


def test_check_passes_the_shipped_layouts_and_reports_a_broken_one(tmp_path: Path) -> None:
    ok = CliRunner().invoke(cli, ["forms", "check"])
    assert ok.exit_code == 0 and "問題はありません" in ok.output
    broken = (Path(__file__).parents[3] / "forms" / "layouts" / "sousaihi.yaml").read_text(encoding="utf-8")
    (tmp_path / "sousaihi.yaml").write_text(
        broken.replace("field: death_date", "field: death_day"), encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["forms", "check", str(tmp_path)])
    assert result.exit_code == EXIT_FORMS
    assert "sousaihi.yaml:" in result.output and "death_day" in result.output


def test_preview_and_decode_round_trip(tmp_path: Path) -> None:
    pdf = tmp_path / "kaigo.pdf"
    result = CliRunner().invoke(cli, ["forms", "preview", "kaigo_idou", "--out", str(pdf)])
    assert result.exit_code == 0, result.output
    subprocess.run(["pdftoppm", "-r", "200", "-gray", "-png", str(pdf), str(tmp_path / "scan")], check=True)
    decoded = CliRunner().invoke(cli, ["forms", "decode", str(tmp_path / "scan-1.png")])
    assert decoded.exit_code == 0, decoded.output
    record = json.loads(decoded.output)
    assert record["form"] == "kaigo_idou" and record["values"]["applicant_name"] == HOUSEHOLDER


def test_preview_with_values_that_do_not_fit_names_the_field(tmp_path: Path) -> None:
    values = tmp_path / "values.json"
    values.write_text(json.dumps({"applicant_name": "髙﨑" * 80}, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["forms", "preview", "sousaihi", "--values", str(values), "--out", str(tmp_path / "x.pdf")]
    )
    assert result.exit_code == EXIT_FORMS
    assert "applicant_name" in result.output and "枠に収まりません" in result.output


def test_decode_without_a_form_code(tmp_path: Path) -> None:
    from PIL import Image

    blank = tmp_path / "blank.png"
    Image.new("L", (300, 300), 255).save(blank)
    result = CliRunner().invoke(cli, ["forms", "decode", str(blank)])
    assert result.exit_code != 0 and "処理用QRコードが見つかりません" in result.output
