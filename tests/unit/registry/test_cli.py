"""``madoguchi registry load / purge``: the nightly job's command, with the counter's own key."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from counter_app.cli import cli
from counter_app.presenters.messages import EXIT_DATA
from tests.registry_data import generate, write_csv
from tests.unit.store.conftest import no_os_key_store  # noqa: F401

SHIPPED = Path(__file__).parents[3] / "procedures" / "catalogs" / "sazanami"


def test_load_then_purge(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    shutil.copytree(SHIPPED, catalog)
    (catalog / "registry.yaml").write_text("format: madoguchi-registry/1\nsource: csv\n", encoding="utf-8")
    env = {
        "MADOGUCHI_CONFIG": str(tmp_path / "config" / "madoguchi.toml"),
        "MADOGUCHI_DATA_DIR": str(tmp_path / "data"),
        "MADOGUCHI_COUNTER_NAME": "1番窓口",
        "MADOGUCHI_CATALOG_FOLDER": str(catalog),
    }
    rows = generate(residents=300, households=120, seed=9)
    extract = write_csv(tmp_path / "juki.csv", rows)
    result = CliRunner().invoke(cli, ["registry", "load", str(extract), "--remove"], env=env)
    assert result.exit_code == 0, result.output
    assert "住民 300 人、世帯 120" in result.output
    index = tmp_path / "data" / "registry-index.sqlite3"
    assert index.is_file() and not extract.exists()

    broken = [dict(r) for r in rows]
    broken[6]["世帯番号"] = "123"
    bad = write_csv(tmp_path / "juki2.csv", broken)
    before = index.read_bytes()
    result = CliRunner().invoke(cli, ["registry", "load", str(bad)], env=env)
    assert result.exit_code == EXIT_DATA
    assert "juki2.csv:8: 世帯番号「123」のチェックデジット(末尾の1桁)が合いません" in result.output
    assert index.read_bytes() == before and bad.exists()

    result = CliRunner().invoke(cli, ["registry", "purge"], env=env)
    assert result.exit_code == 0 and "消去しました" in result.output and not index.exists()
