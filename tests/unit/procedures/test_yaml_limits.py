"""Hostile catalog YAML: alias bombs, self-referencing aliases, deep nesting, huge files.

Each is refused before anything is built, with one Japanese line, fast and in little memory (issue 16,
item 7: a billion-laughs catalog ran 78 s, reached 4 GB and printed a traceback; a self-referencing
alias gave the catch-all message).
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from procedures.positions import (
    MAX_ALIASES,
    MAX_DEPTH,
    MAX_NODES,
    MAX_YAML_BYTES,
    load_yaml_file,
    load_yaml_text,
)

CATALOGS = Path(__file__).resolve().parents[3] / "procedures" / "catalogs"


def billion_laughs(levels: int = 9, width: int = 10) -> str:
    lines = ['a0: &a0 ["lol"]']
    for level in range(1, levels + 1):
        refs = ", ".join([f"*a{level - 1}"] * width)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


def merge_bomb(levels: int = 9, width: int = 10) -> str:
    lines = ["m0: &m0 {" + ", ".join(f"k{i}: {i}" for i in range(width)) + "}"]
    for level in range(1, levels + 1):
        refs = ", ".join([f"*m{level - 1}"] * width)
        lines.append(f"m{level}: &m{level} {{<<: [{refs}]}}")
    return "\n".join(lines) + "\n"


HOSTILE: dict[str, str] = {
    "billion_laughs": billion_laughs(),
    "merge_bomb": merge_bomb(),
    "self_reference_sequence": "a: &a [*a]\n",
    "self_reference_mapping": "a: &a {b: *a}\n",
    "self_reference_merge": "a: &a {<<: *a}\n",
    "deep_flow_sequence": "x: " + "[" * 100_000 + "]" * 100_000 + "\n",
    "deep_flow_mapping": "x: " + "{a: " * 50_000 + "1" + "}" * 50_000 + "\n",
    "deep_block": "".join("  " * i + f"k{i}:\n" for i in range(MAX_DEPTH + 5))
    + "  " * (MAX_DEPTH + 5)
    + "v\n",
    "many_aliases": "a: &a 1\nb: [" + ", ".join(["*a"] * (MAX_ALIASES + 1)) + "]\n",
    "many_nodes": "a: [" + ", ".join("1" for _ in range(MAX_NODES + 1)) + "]\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_yaml_is_refused_fast_and_small(name: str) -> None:
    tracemalloc.start()
    started = time.monotonic()
    try:
        document = load_yaml_text(HOSTILE[name], "bomb.yaml")
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    elapsed = time.monotonic() - started
    assert elapsed < 5, f"{name}: {elapsed:.1f} s"
    assert peak < 200 * 1024 * 1024, f"{name}: {peak / 2**20:.0f} MiB"
    assert document.data is None
    assert len(document.problems) == 1
    message = document.problems[0].message
    assert message.startswith("YAML") and "\n" not in message
    assert any("\u3040" <= ch <= "\u30ff" for ch in message), message  # Japanese


def test_the_limits_are_far_above_real_catalogs() -> None:
    for path in CATALOGS.rglob("*.yaml"):
        document = load_yaml_file(path, str(path))
        assert document.problems == (), path
        assert path.stat().st_size * 10 < MAX_YAML_BYTES


def test_ordinary_aliases_and_merge_keys_still_work() -> None:
    document = load_yaml_text("base: &b {x: 1, y: 2}\nuse: {<<: *b, z: 3}\nlist: [*b, *b]\n", "ok.yaml")
    assert document.problems == ()
    assert document.data["use"] == {"x": 1, "y": 2, "z": 3}
    assert document.data["list"] == [{"x": 1, "y": 2}, {"x": 1, "y": 2}]


def test_a_list_as_a_mapping_key_is_not_built() -> None:
    document = load_yaml_text("a: &a [1, 2]\n? *a\n: x\n", "key.yaml")
    assert [p.message for p in document.problems] == ["キーは文字列で書いてください"]


def test_a_file_too_large_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as out:
        out.truncate(MAX_YAML_BYTES + 1)  # sparse: no disk used
    document = load_yaml_file(path, "huge.yaml")
    assert document.data is None and len(document.problems) == 1
    assert "大きすぎ" in document.problems[0].message


def _limited() -> None:  # in the child: 1 GiB of address space, 20 s of CPU
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
    resource.setrlimit(resource.RLIMIT_CPU, (20, 20))


@pytest.mark.parametrize("name", ["billion_laughs", "self_reference_sequence", "deep_flow_sequence"])
def test_catalog_check_refuses_a_bomb_in_one_line(name: str, tmp_path: Path) -> None:
    folder = tmp_path / "catalog"
    shutil.copytree(CATALOGS / "sazanami", folder)
    (folder / "facts.yaml").write_text(HOSTILE[name], encoding="utf-8")
    env = {**os.environ, "MADOGUCHI_CONFIG": str(tmp_path / "absent.toml")}
    env.pop("MADOGUCHI_CATALOG_FOLDER", None)
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "counter_app", "catalog", "check", str(folder)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
        preexec_fn=_limited,
    )
    assert time.monotonic() - started < 20
    assert result.returncode == 6, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "予期しないエラー" not in result.stderr + result.stdout
    lines = [line for line in result.stdout.splitlines() if "facts.yaml" in line]
    assert len(lines) == 1 and "YAML" in lines[0], result.stdout


# --- fuzz: the YAML reader never raises, whatever the text ------------------------------------------
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PIECES = st.sampled_from(
    ["&a ", "*a", "&b ", "*b", "<<: ", "[", "]", "{", "}", ": ", "- ", "? ", ", ", "\n", "  ", "'", '"',
     "!!python/object:os.system ", "!!binary ", "%YAML 1.1\n", "---\n", "...\n", "\t", "#", "key", "1e999",
     "0x", "~", "null", "|\n", ">\n", "\\", "\x00", "\ufeff", "窓口", "\u2028"]
)  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES | st.text(max_size=5), max_size=60).map("".join))
def test_fuzz_any_text_gives_data_or_problems_never_an_exception(text: str) -> None:
    started = time.monotonic()
    document = load_yaml_text(text, "fuzz.yaml")
    assert time.monotonic() - started < 2
    for problem in document.problems:
        assert problem.message and "\n" not in problem.message
