"""The guide sheets of this checkout against another checkout's (main): bytes compared, time A/B.

``python -m bench.guide_identity --other /work/main [--runs 100]``: the other checkout's ``forms``
package is copied into a temporary folder as ``forms_other`` (imports renamed) and loaded in this
process beside ours, with its fonts found through symbolic links so that both register their own
reportlab fonts. Then:

* **Bytes**: 18 Japanese/English sheets (the bench.forms sample, 1 to 20 pages, empty, no
  household, Latin text, trailing spaces and line breaks) and 10 bilingual sheets (the Portuguese
  bench sheet and one in each resident's language), rendered by both, compared byte for byte (and
  page counts, and the bilingual placed lines); then all Japanese/English sheets again, warm.
* **Time**: interleaved in one process (other, ours, other, ours …), the median of ``--runs`` each,
  for the sample sheet, a five-page sheet and the Portuguese bilingual sheet — the shared machine's
  speed drifts, so only renders timed side by side are compared.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import importlib
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import forms.fonts as our_fonts
import forms.guide as our_guide
import forms.guide_bilingual as our_bilingual
import forms.scripts as our_scripts
from bench.forms import guide_sheet, resident_guide

JA = "みどり区に引っ越してきたため、国民健康保険に加入する必要があります(世帯主が手続きしてください)。"
TEXTS = {
    "ja": JA,
    "en": "You moved into Midori ward from another city; please bring ID (passport) and 2 photos 3x4cm.",
    "pt-BR": "Você se mudou para o distrito de Midori — traga documento (passaporte).",
    "ko": "미도리구로 이사했기 때문에 국민건강보험에 가입해야 합니다 (세대주가 신청하세요).",
    "zh-Hans": "因为搬到了绿区,需要加入国民健康保险(请由户主办理手续)。",
    "ne": "तपाईं मिदोरी वडामा सर्नुभएकोले राष्ट्रिय स्वास्थ्य बीमामा दर्ता गर्नुपर्छ।",
    "vi": "Vì bạn đã chuyển đến quận Midori nên cần tham gia bảo hiểm y tế quốc dân.",
    "ja-easy": "みどり区《く》に引《ひ》っ越《こ》してきたので、保険《ほけん》に入《はい》ります。",
    "fil": "Lumipat kayo sa Midori ward kaya kailangang sumali sa pambansang seguro.",
    "id": "Anda pindah ke distrik Midori sehingga perlu ikut asuransi kesehatan nasional.",
}
NAMES = ["髙﨑　𠮷太郎", "山田　花子", "渡邉　一郎", "佐藤　次郎", "Maria SILVA"]
FONT_FILES = (
    "ipaexm.ttf", "ipaexg.ttf", "ipamjm.ttf", "NotoSans-Regular.ttf", "NotoSansDevanagari-Regular.ttf",
    "NanumGothic.ttf", "wqy-microhei.ttc",
)  # fmt: skip


def load_other(checkout: Path, into: Path) -> dict[str, ModuleType]:
    """The other checkout's forms package as ``forms_other`` (its absolute imports renamed)."""
    target = into / "forms_other"
    shutil.copytree(checkout / "forms", target)
    for path in target.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"\bfrom forms\.", "from forms_other.", text)
        text = re.sub(r"^import forms\.", "import forms_other.", text, flags=re.MULTILINE)
        text = re.sub(r"\bfrom forms import", "from forms_other import", text)
        path.write_text(text, encoding="utf-8")
    sys.path.insert(0, str(into))
    names = ("fonts", "guide", "guide_bilingual", "scripts")
    return {name: importlib.import_module(f"forms_other.{name}") for name in names}


def font_links(into: Path) -> Path:
    """The fonts under other paths, so the other package registers fonts of its own names."""
    folder = into / "fonts"
    folder.mkdir()
    for name in FONT_FILES:
        found = sorted(Path("/usr/share/fonts").rglob(name))
        if found:
            (folder / name).symlink_to(found[0])
    return folder


def sheet(g: Any, counters: int, procedures: int, lang: str = "ja", seed: int = 0, **kw: Any) -> Any:
    rnd = random.Random(seed)
    base = TEXTS[kw.get("text_lang") or lang]
    out = []
    for c in range(counters):
        procs = []
        for k in range(procedures):
            procs.append(
                g.GuideProcedure(
                    name=f"{base[: rnd.randint(4, 20)]} {k}",
                    reason=base[: rnd.randint(5, len(base))]
                    + (base * rnd.randint(0, 2))[: rnd.randint(0, 80)],
                    items_to_bring=tuple(base[i : i + rnd.randint(3, 15)] for i in range(rnd.randint(0, 4))),
                    deadline=dt.date(2025, 4, 14) + dt.timedelta(days=rnd.randint(-3, 90))
                    if rnd.random() < 0.8
                    else None,
                    deadline_rule=base[: rnd.randint(0, 25)],
                    done_today=rnd.random() < 0.3,
                    forms=tuple(f"書類{i}号 住民異動届" for i in range(rnd.randint(0, 2))),
                    note=base[: rnd.randint(0, 60)] if rnd.random() < 0.4 else "",
                    deadline_note=base[: rnd.randint(0, 30)] if rnd.random() < 0.2 else "",
                    people=tuple(rnd.sample(NAMES, rnd.randint(0, 3))),
                    untranslated=rnd.random() < 0.1,
                )
            )
        location = f"本庁舎{c + 1}階" if rnd.random() < 0.7 else ""
        out.append(g.GuideCounter(f"{c + 1}番窓口 {base[: rnd.randint(3, 12)]}", location, tuple(procs)))
    return g.GuideSheet(
        visit_date=dt.date(2025, 4, 14),
        counters=tuple(out),
        language="en" if lang == "en" else "ja",
        office="みどり区役所" if seed % 2 == 0 else "",
        household=kw.get("household", "髙﨑　𠮷太郎"),
        notes=tuple(base[: rnd.randint(10, 80)] for _ in range(kw.get("notes", 1))),
    )


def resident(g: Any, b: Any, ja: Any, lang: str, seed: int) -> Any:
    rnd = random.Random(seed + 100)
    base = TEXTS[lang]
    counters = []
    for counter in ja.counters:
        procs = []
        for p in counter.procedures:
            if p.untranslated:  # printed in Japanese in the resident's column
                procs.append(p)
                continue
            items = tuple(base[: rnd.randint(5, 30)] for _ in p.items_to_bring)
            procs.append(
                g.GuideProcedure(
                    name=base[: rnd.randint(5, 30)],
                    reason=base[: rnd.randint(10, len(base))],
                    items_to_bring=items,
                    deadline=p.deadline,
                    deadline_rule=base[: rnd.randint(0, 30)],
                    done_today=p.done_today,
                    forms=p.forms,
                    note=base[: rnd.randint(0, 40)],
                    people=p.people,
                    untranslated_parts=items[:1] if items and rnd.random() < 0.3 else (),
                )
            )
        counters.append(g.GuideCounter(base[: rnd.randint(5, 25)], base[: rnd.randint(0, 15)], tuple(procs)))
    return b.ResidentGuide(
        language=lang, counters=tuple(counters), office=base[:12], notes=tuple(base[:20] for _ in ja.notes)
    )


def convert(value: Any, classes: dict[str, Any]) -> Any:
    """Our dataclasses as the other package's (same fields)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        cls = classes[type(value).__name__]
        return cls(**{f.name: convert(getattr(value, f.name), classes) for f in dataclasses.fields(value)})
    if isinstance(value, tuple):
        return tuple(convert(v, classes) for v in value)
    return value


def guide_cases() -> list[tuple[str, Any]]:
    g = our_guide
    out: list[tuple[str, Any]] = [("bench sample", guide_sheet())]
    shapes = [
        (1, 1, "ja"), (2, 3, "ja"), (3, 4, "ja"), (5, 5, "ja"), (8, 6, "ja"), (12, 6, "ja"), (16, 7, "ja"),
        (2, 3, "en"), (6, 5, "en"), (10, 6, "en"), (0, 0, "ja"), (0, 0, "en"), (3, 0, "ja"), (25, 2, "ja"),
    ]  # fmt: skip
    for seed, (n_counters, n_procedures, lang) in enumerate(shapes):
        out.append((f"{lang} {n_counters}x{n_procedures}", sheet(g, n_counters, n_procedures, lang, seed)))
    out.append(("no household", sheet(g, 3, 3, seed=40, household="", notes=0)))
    out.append(("ja sheet, Latin text", sheet(g, 4, 4, "ja", seed=41, text_lang="en")))
    spaced = sheet(g, 4, 4, "ja", seed=42)
    counters = tuple(
        dataclasses.replace(
            c,
            procedures=tuple(
                dataclasses.replace(
                    p,
                    reason=p.reason[: 10 + 7 * i] + ("\u3000 " if i % 2 else "  \n次の行\u3000"),
                    note=p.note + "\u3000\u3000",
                )
                for i, p in enumerate(c.procedures)
            ),
        )
        for c in spaced.counters
    )
    out.append(("trailing spaces, line breaks", dataclasses.replace(spaced, counters=counters)))
    return out


def bilingual_cases() -> list[tuple[str, Any, Any]]:
    out: list[tuple[str, Any, Any]] = [("bench pt-BR", guide_sheet(), resident_guide())]
    shapes = [("ko", 3, 3), ("zh-Hans", 4, 4), ("ne", 3, 3), ("vi", 5, 4), ("ja-easy", 3, 3), ("en", 2, 2),
              ("pt-BR", 8, 5), ("fil", 1, 1), ("id", 0, 0)]  # fmt: skip
    for seed, (lang, n_counters, n_procedures) in enumerate(shapes):
        ja = sheet(our_guide, n_counters, n_procedures, "ja", seed=seed + 200)
        out.append((f"bilingual {lang}", ja, resident(our_guide, our_bilingual, ja, lang, seed)))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--other", type=Path, required=True, help="the other checkout (e.g. /work/main)")
    parser.add_argument("--runs", type=int, default=100, help="interleaved renders per side (median)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="guide-identity-"))
    other = load_other(args.other, tmp)
    o_fonts = other["fonts"].load_fonts([font_links(tmp)], system=False).preload()
    o_scripts = other["scripts"].ScriptFonts(o_fonts, [tmp / "fonts"], system=False)
    n_fonts = our_fonts.load_fonts().preload()
    n_scripts = our_scripts.ScriptFonts(n_fonts)
    og, ob = other["guide"], other["guide_bilingual"]
    classes = {n: getattr(og, n) for n in ("GuideSheet", "GuideCounter", "GuideProcedure")}
    classes["ResidentGuide"] = ob.ResidentGuide

    same = total = 0
    for name, s in guide_cases():
        a, b = og.render_guide_sheet(convert(s, classes), o_fonts), our_guide.render_guide_sheet(s, n_fonts)
        ok = a.pdf == b.pdf and a.page_count == b.page_count
        same, total = same + ok, total + 1
        print(f"{'same' if ok else 'DIFFERENT':9} {name}: {b.page_count} pages, {len(b.pdf)} bytes")
    for name, ja, res in bilingual_cases():
        a = ob.render_bilingual_guide(convert(ja, classes), convert(res, classes), o_fonts, o_scripts)
        b = our_bilingual.render_bilingual_guide(ja, res, n_fonts, n_scripts)
        lines_a = [dataclasses.astuple(line) for line in a.lines]
        ok = (
            a.pdf == b.pdf
            and a.page_count == b.page_count
            and lines_a == [dataclasses.astuple(line) for line in b.lines]
        )
        same, total = same + ok, total + 1
        print(f"{'same' if ok else 'DIFFERENT':9} {name}: {b.page_count} pages, {len(b.pdf)} bytes")
    warm = all(
        og.render_guide_sheet(convert(s, classes), o_fonts).pdf
        == our_guide.render_guide_sheet(s, n_fonts).pdf
        for _, s in guide_cases()
    )
    print(f"again, warm: {'same' if warm else 'DIFFERENT'}")
    print(f"{same}/{total} byte-identical")

    ja, res, five = guide_sheet(), resident_guide(), sheet(our_guide, 5, 5, "ja", seed=3)
    o_ja, o_res, o_five = convert(ja, classes), convert(res, classes), convert(five, classes)
    jobs: dict[str, tuple[Callable[[], object], Callable[[], object]]] = {
        "guide sheet (bench sample)": (
            lambda: og.render_guide_sheet(o_ja, o_fonts),
            lambda: our_guide.render_guide_sheet(ja, n_fonts),
        ),
        "guide sheet, 5 pages": (
            lambda: og.render_guide_sheet(o_five, o_fonts),
            lambda: our_guide.render_guide_sheet(five, n_fonts),
        ),
        "bilingual pt-BR (bench)": (
            lambda: ob.render_bilingual_guide(o_ja, o_res, o_fonts, o_scripts),
            lambda: our_bilingual.render_bilingual_guide(ja, res, n_fonts, n_scripts),
        ),
    }
    for name, (old, new) in jobs.items():
        for _ in range(5):
            old()
            new()
        times: tuple[list[float], list[float]] = ([], [])
        for _ in range(args.runs):
            for fn, out in ((old, times[0]), (new, times[1])):
                t = time.perf_counter()
                fn()
                out.append((time.perf_counter() - t) * 1000)
        a_ms, b_ms = statistics.median(times[0]), statistics.median(times[1])
        print(
            f"{name:28} other {a_ms:6.2f} ms  ours {b_ms:6.2f} ms  ({a_ms / b_ms:.2f}x), "
            f"median of {args.runs} each"
        )
    shutil.rmtree(tmp)
    return 0 if same == total and warm else 1


if __name__ == "__main__":
    sys.exit(main())
