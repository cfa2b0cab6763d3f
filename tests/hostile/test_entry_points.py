"""Generated hostile input for every entry point of the ``madoguchi`` command (issue 16, item 5).

Each case runs the real command in a child process limited to 1 GiB of address space and 20 s of CPU
(:mod:`tests.hostile.harness`) and must be refused: a non-zero exit, exactly one Japanese line on
standard error, no traceback, not the catch-all 「予期しないエラー」, no English from click. The inputs
are generated per kind of entry point — files given as arguments (visit JSON, card dumps, form values,
images, catalogs, the settings file), QR text typed by a wedge scanner, command-line values and
settings from the environment — from the same hostile shapes: nothing at all, endless (``/dev/zero``),
too large, nested too deep, numbers too long, not UTF-8, the wrong JSON type, impossible dates, control
characters and terminal escapes.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.hostile import qr_cases
from tests.hostile.harness import assert_refused, run_cli


@dataclass(frozen=True)
class Case:
    args: tuple[str, ...]
    stdin: bytes | None = None
    env: dict[str, str] = field(default_factory=dict)


def member(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "name": "窓口 太郎",
        "birth_date": "1980-02-17",
        "sex": "male",
        "relationship": "self",
    }
    return {**base, **changes}


def visit(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {"event": "tenkyo", "event_date": "2026-12-01", "members": [member()]}
    return {**base, **changes}


# ---------------------------------------------------------------- hostile JSON documents

JSON_SHAPES: dict[str, Callable[[], bytes]] = {
    "empty": lambda: b"",
    "nested_arrays": lambda: b"[" * 200_000 + b"]" * 200_000,
    "nested_in_visit": lambda: (
        json.dumps(visit()).encode()[:-1] + b', "x": ' + b"[" * 50_000 + b"]" * 50_000 + b"}"
    ),
    "number_100000_digits": lambda: b'{"event_date": ' + b"9" * 100_000 + b"}",
    "nan": lambda: json.dumps(visit()).encode()[:-1] + b', "members_count": NaN}',
    "not_utf8": lambda: b'{"event": "\xff\xfe\xfa"}',
    "top_level_array": lambda: b"[1, 2, 3]",
    "two_megabytes": lambda: json.dumps(visit(pad="x" * 2_000_000)).encode(),
    "answer_900_kb": lambda: json.dumps(visit(answers={"new_address": "あ" * 300_000})).encode(),
    "members_31": lambda: json.dumps(visit(members=[member(relationship="child")] * 31)).encode(),
    "members_none": lambda: json.dumps(visit(members=[])).encode(),
    "birth_2099": lambda: json.dumps(visit(members=[member(birth_date="2099-01-01")])).encode(),
    "birth_wrong_type": lambda: json.dumps(visit(members=[member(birth_date=19800217)])).encode(),
    "event_9999": lambda: json.dumps(visit(event_date="9999-12-31")).encode(),
    "event_escape": lambda: json.dumps(visit(event="\x1b[2J\x1b[31m")).encode(),
    "answers_3000": lambda: json.dumps(visit(answers={f"q{i}": True for i in range(3000)})).encode(),
    "random_bytes": lambda: random.Random(16).randbytes(4096),
}
ENDLESS = "/dev/zero"


# ---------------------------------------------------------------- building the cases


def build_cases(folder: Path, write: bool = True) -> dict[str, Case]:
    """The cases, their files written into ``folder`` (``write=False``: only the names and arguments,
    for collecting the tests without writing anything)."""
    cases: dict[str, Case] = {}
    out = folder / "out"

    def file(name: str, data: bytes) -> str:
        path = folder / name
        if write:
            path.write_bytes(data)
        return str(path)

    # Files given as arguments: the same hostile JSON through each command that reads a visit.
    for shape, make in JSON_SHAPES.items():
        path = file(f"{shape}.json", make())
        cases[f"guide_visit_{shape}"] = Case(("guide", "--visit", path))
        cases[f"forms_render_{shape}"] = Case(("forms", "render", "--visit", path, "--out", str(out)))
        cases[f"qr_encode_{shape}"] = Case(("qr", "encode", "--visit", path, "--out", str(out)))
        cases[f"forms_preview_values_{shape}"] = Case(
            ("forms", "preview", "jumin_idou", "--out", str(folder / "p.pdf"), "--values", path)
        )
    cases["guide_visit_endless"] = Case(("guide", "--visit", ENDLESS))
    cases["guide_visit_stdin_endless"] = Case(("guide", "--visit", "-"), stdin=b"[" * 3_000_000)
    cases["forms_render_endless"] = Case(("forms", "render", "--visit", ENDLESS, "--out", str(out)))
    cases["qr_encode_endless"] = Case(("qr", "encode", "--visit", ENDLESS, "--out", str(out)))
    cases["forms_preview_values_endless"] = Case(
        ("forms", "preview", "jumin_idou", "--out", str(folder / "p.pdf"), "--values", ENDLESS)
    )

    # Card dumps.
    dumps = {
        "empty": b"",
        "random": random.Random(1).randbytes(300),
        "two_megabytes": b"\xff" * 2_000_000,
        "hex_garbage": b"zz" * 100,
        "tlv_length_overflow": bytes.fromhex("ff4081ffffffff") + b"\x00" * 10,
        "deep_tlv": b"\x7f\x21\x82\xff\xff" * 200,
    }
    for shape, data in dumps.items():
        cases[f"card_decode_{shape}"] = Case(("card", "decode", file(f"dump-{shape}.bin", data)))
    cases["card_decode_endless"] = Case(("card", "decode", ENDLESS))
    cases["card_decode_folder"] = Case(("card", "decode", str(folder)))

    # Images: QR decode and the printed forms' back-office code.
    images = folder / "images"
    for shape, make_image in qr_cases.IMAGES.items():
        if write:
            images.mkdir(exist_ok=True)
            image = make_image(images)
        else:
            image = images / shape
        cases[f"qr_decode_{shape}"] = Case(("qr", "decode", str(image)))
        cases[f"forms_decode_{shape}"] = Case(("forms", "decode", str(image)))
    cases["qr_decode_endless"] = Case(("qr", "decode", ENDLESS))

    # QR text typed by a wedge scanner (one code per line on standard input).
    for shape, texts in qr_cases.hostile_texts().items():
        cases[f"qr_typed_{shape}"] = Case(
            ("qr", "decode", "--typed"), stdin="\n".join(texts).encode() + b"\n"
        )
    typed = {
        "one_endless_line": b"MDP2:" + b"A" * 5_000_000,
        "escape_sequences": b"MDP2:\x1b[2J\x1b]0;owned\x07\n",
        "url": b"https://example.jp/\n",
        "binary": random.Random(2).randbytes(500).replace(b"\n", b"") + b"\n",
        "wrong_version": b"MDP9:ABC\n",
        "ten_thousand_lines": b"MDP2:AAAA\n" * 10_000,
    }
    for shape, data in typed.items():
        cases[f"qr_typed_{shape}"] = Case(("qr", "decode", "--typed"), stdin=data)

    # Catalogs (YAML a municipality edits), through a command that loads one.
    catalogs = {
        "deep": "events:\n" + "  " + "[" * 5_000 + "]" * 5_000 + "\n",
        "billion_laughs": "a: &a [x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
        ),
        "not_utf8": "events: \udcff",
        "python_tag": "events: !!python/object/apply:os.system ['echo owned']\n",
        "self_alias": "a: &a [*a]\n",
    }
    for shape, text in catalogs.items():
        directory = folder / f"catalog-{shape}"
        if write:
            directory.mkdir()
            (directory / "catalog.yaml").write_bytes(text.encode("utf-8", "surrogateescape"))
        cases[f"catalog_{shape}"] = Case(
            ("guide", "--visit", file("ok.json", json.dumps(visit()).encode()), "--catalog", str(directory))
        )
    endless = folder / "catalog-endless"
    if write:
        endless.mkdir()
        os.symlink(ENDLESS, endless / "catalog.yaml")
    cases["catalog_endless"] = Case(("guide", "--visit", str(folder / "ok.json"), "--catalog", str(endless)))

    # The settings file and settings from the environment.
    settings_files = {
        "endless": ENDLESS,
        "deep_array": file("deep.toml", b"[counter]\nname = " + b"[" * 100_000 + b"]" * 100_000 + b"\n"),
        "not_utf8": file("bad.toml", b'[counter]\nname = "\xff"\n'),
        "huge": file("huge.toml", b"# " + b"x" * 2_000_000 + b"\n"),
        "unknown_key": file("unknown.toml", b'[database]\nurll = "x"\n'),
        "wrong_type": file("type.toml", b'[counter]\nidle_timeout_minutes = "five"\n'),
    }
    for shape, path in settings_files.items():
        cases[f"config_file_{shape}"] = Case(("config", "show"), env={"MADOGUCHI_CONFIG": path})
    environment = {
        "purge_time_offset": ("MADOGUCHI_DATABASE_DRAFT_PURGE_TIME", "20:00+09:00"),
        "purge_time_seconds": ("MADOGUCHI_DATABASE_DRAFT_PURGE_TIME", "20:00:00"),
        "counter_star": ("MADOGUCHI_COUNTER_NAME", "*"),
        "counter_escape": ("MADOGUCHI_COUNTER_NAME", "\x1b[2J窓口"),
        "counter_10000": ("MADOGUCHI_COUNTER_NAME", "窓" * 10_000),
        "idle_huge": ("MADOGUCHI_COUNTER_IDLE_TIMEOUT_MINUTES", "9" * 5_000),
        "idle_negative": ("MADOGUCHI_COUNTER_IDLE_TIMEOUT_MINUTES", "-1"),
        "timezone_unknown": ("MADOGUCHI_COUNTER_TIMEZONE", "Mars/Olympus"),
        "database_url_garbage": ("MADOGUCHI_DATABASE_URL", "mysql://root@x/db"),
        "printer_control": ("MADOGUCHI_DEVICES_PRINTER", "LP\x01\x07"),
    }
    for shape, (key, value) in environment.items():
        cases[f"config_env_{shape}"] = Case(("config", "show"), env={key: value})

    # Command-line values.
    ok = str(folder / "ok.json")
    arguments = {
        "guide_date_2025_02_30": ("guide", "--visit", ok, "--date", "2025-02-30"),
        "guide_date_huge_year": ("guide", "--visit", ok, "--date", "99999-01-01"),
        "guide_date_escape": ("guide", "--visit", ok, "--date", "\x1b[2J"),
        "guide_event_unknown": ("guide", "--visit", ok, "--event", "nosuchevent"),
        "forms_render_date_2025_02_30": (
            "forms",
            "render",
            "--visit",
            ok,
            "--out",
            str(out),
            "--date",
            "2025-02-30",
        ),
        "forms_render_out_is_a_file": ("forms", "render", "--visit", ok, "--out", ok, "--allow-incomplete"),
        "stats_date_9999": ("stats", "--from", "9999-12-31"),
        "stats_date_words": ("stats", "--from", "きのう"),
        "qr_encode_scale_huge": ("qr", "encode", "--visit", ok, "--out", str(out), "--scale", "9" * 50),
        "audit_days_negative": ("audit", "digests", "--days", "-5"),
        "db_purge_before_9999": ("db", "purge", "--before", "9999-12-31T25:00"),
        "unknown_option": ("guide", "--vist", ok),
        "unknown_command": ("gide",),
        "missing_value": ("guide", "--visit"),
        "long_argument": ("guide", "--visit", "x" * 100_000),
    }
    for shape, args in arguments.items():
        cases[f"argument_{shape}"] = Case(args)
    return cases


CASES = build_cases(Path("/hostile"), write=False)  # names and arguments for collection only


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Case]:
    folder = tmp_path_factory.mktemp("hostile")
    built = build_cases(folder)
    assert built.keys() == CASES.keys()
    return built


def test_the_suite_covers_every_entry_point() -> None:
    kinds = {name.split("_")[0] for name in CASES}
    assert {"guide", "forms", "qr", "card", "catalog", "config", "argument"} <= kinds
    assert len(CASES) >= 140


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_input_is_refused(name: str, cases: dict[str, Case], tmp_path: Path) -> None:
    case = cases[name]
    run = run_cli(case.args, tmp_path, stdin=case.stdin, env=case.env)
    assert_refused(run, name)
    assert run.seconds < 25, f"{name}: {run.seconds:.1f} s"
