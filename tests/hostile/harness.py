"""Running the real ``madoguchi`` command on hostile input, in a child process with limits.

Each case runs ``python -m counter_app …`` with an address-space limit (``RLIMIT_AS``), a CPU-time
limit and a wall-clock timeout, in its own settings and data folders. :func:`assert_refused` checks
what the issue asks of every refusal: a non-zero exit, exactly one line on standard error, in
Japanese, no traceback, not the catch-all 「予期しないエラー」, no English from click.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

MEMORY_LIMIT = 1024 * 1024 * 1024
"""Address space of the child: 1 GiB (the issue's bound; a run that needs more fails with MemoryError)."""
CPU_SECONDS = 20
WALL_SECONDS = 30
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
CATCH_ALL = "予期しないエラー"
ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def error_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]


def _limits() -> None:  # runs in the child before exec
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS + 1))


def run_cli(
    args: Sequence[str],
    home: Path,
    *,
    stdin: bytes | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = WALL_SECONDS,
) -> Run:
    """``madoguchi args…`` in a child process limited to :data:`MEMORY_LIMIT` and :data:`CPU_SECONDS`."""
    full_env = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "PYTHONPATH": str(ROOT),
        "MADOGUCHI_CONFIG": str(home / "config" / "madoguchi.toml"),
        "MADOGUCHI_DATA_DIR": str(home / "data"),
        "MADOGUCHI_COUNTER_NAME": "1番窓口",
        # Two threads at most: the limits are per process, and every BLAS/OpenMP pool reserves space.
        "OMP_NUM_THREADS": "1",
        **(env or {}),
    }
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "counter_app", *args],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        env=full_env,
        timeout=timeout,
        check=False,
        preexec_fn=_limits,
        cwd=ROOT,
    )
    return Run(
        done.returncode,
        done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
        time.monotonic() - started,
    )


def assert_refused(run: Run, name: str) -> str:
    """The checks every refusal must pass; returns the one line."""
    lines = run.error_lines
    assert run.returncode not in (0, -9, -24), f"{name}: exit {run.returncode}\n{run.stderr}"
    assert "Traceback" not in run.stderr, f"{name}: traceback\n{run.stderr}"
    assert "MemoryError" not in run.stderr, f"{name}: out of memory\n{run.stderr}"
    assert len(lines) == 1, f"{name}: {len(lines)} lines on stderr\n{run.stderr}"
    line = lines[0]
    assert JAPANESE.search(line), f"{name}: not Japanese: {line}"
    assert CATCH_ALL not in line, f"{name}: the catch-all message: {line}"
    assert not re.search(r"\b(Usage|Error|Try|Show this)\b", line), f"{name}: English: {line}"
    return line
