"""The resident's pre-fill page: one static, offline HTML file generated from a catalog.

``madoguchi prefill build --catalog DIR --out DIR`` writes:

* ``index.html`` — the page: Japanese, phone-sized, no server and no network request. Everything it
  needs is inside it: the catalog's events and questions (with their ``ask_when`` / ``derive``
  rules, evaluated in the page exactly as :mod:`procedures.evaluation` evaluates them), the
  application script, and two vendored libraries, unmodified — ``qrcode-generator`` 2.0.4 (QR
  encoder, MIT) and ``fflate`` 0.8.2 (zlib compression, MIT). Its Content-Security-Policy allows
  only these inline scripts (by hash) and ``data:`` images, so the browser itself refuses any
  request the page might try to make;
* ``LICENSES.txt`` — the third-party licences (also shown at the foot of the page);
* ``README.txt`` — a note for the municipality's web team.

Any municipal web server can host the folder as it is; the page works opened from a file, too.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Final

from procedures.catalog import Catalog
from procedures.conditions import AllOf, AnyMember, AnyOf, Compare, Condition, EventIs, FactRef, Not
from procedures.i18n import LANGUAGES
from procedures.prefill.dictionary import CURRENT as CURRENT_DICTIONARY
from procedures.prefill.dictionary import dictionary
from procedures.prefill.document import MAX_MEMBERS
from procedures.prefill.parts import MAX_CHUNK, MAX_PARTS, PREFIX
from procedures.prefill.ui_text import ui_strings
from procedures.visit import Relationship

ERROR_CORRECTION: Final = "M"
CELL_PIXELS: Final = 6
"""Pixels per QR module in the page's images (the page scales them to the screen, pixelated)."""
VENDORED: Final = (
    ("vendor/qrcode-generator-2.0.4.js", "vendor/LICENSE-qrcode-generator.txt"),
    ("vendor/fflate-0.8.2.js", "vendor/LICENSE-fflate.txt"),
)
_README: Final = """自治体ウェブサイトのご担当の方へ

このフォルダーは、窓口の「事前入力(QRコード作成)」ページです。index.html と LICENSES.txt を
そのままウェブサーバーに置いてください(ファイル名は変えてもかまいません)。

・ページはサーバーと通信しません。入力内容は利用者の端末の中だけで処理されます。
  (Content-Security-Policy により、ブラウザーが外部への通信をすべて拒否します。)
・スクリプトや CSS を書き換えると、ページ内の Content-Security-Policy のハッシュと合わなくなり
  動かなくなります。変更は手続カタログを直して `madoguchi prefill build` で作り直してください。
・手続カタログを更新したときは、このページも作り直してください。古い版で作ったQRコードも
  窓口で読み取れます(使えない答えは窓口の画面に示されます)。

catalog: {catalog} / version: {version} / generated: {generated}
"""


@dataclass(frozen=True)
class PageBuild:
    """What :func:`build_page` wrote."""

    index: Path
    licenses: Path
    readme: Path
    size: int
    content_security_policy: str


def _asset(name: str) -> str:
    return (resources.files("procedures.prefill") / "assets" / name).read_text(encoding="utf-8")


def _literal(value: Any) -> Any:
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    return value


def condition_json(condition: Condition) -> dict[str, Any]:
    """A parsed condition as the page's JSON (the YAML form, with comparisons spelt out)."""
    match condition:
        case AllOf(items=items):
            return {"all": [condition_json(c) for c in items]}
        case AnyOf(items=items):
            return {"any": [condition_json(c) for c in items]}
        case Not(item=item):
            return {"not": condition_json(item)}
        case AnyMember(item=item):
            return {"any_member": condition_json(item)}
        case EventIs(events=events):
            return {"event": list(events)}
        case Compare(operand=operand, op=op, value=value):
            kind = "fact" if isinstance(operand, FactRef) else "answer"
            shown = [_literal(v) for v in value] if isinstance(value, tuple) else _literal(value)
            return {kind: operand.id, "op": op.value, "value": shown}
    raise TypeError(f"unknown condition {type(condition).__name__}")


_STAFF_NOTE = re.compile(r"[(（][^()（）]*[A-Za-z\"][^()（）]*[)）]")


def resident_text(text: str) -> str:
    """Catalog text as a resident reads it: parenthetical notes that speak of the visit JSON (ASCII
    words such as ``"subject"``) are for staff and are left out."""
    return _STAFF_NOTE.sub("", text).strip()


def _current_dictionary() -> bytes:
    preset = dictionary(CURRENT_DICTIONARY)
    assert preset is not None
    return preset


def page_data(catalog: Catalog) -> dict[str, Any]:
    """Everything of the catalog the page needs (no procedures: the counter decides those)."""
    meta = catalog.meta
    return {
        "format": {
            "prefix": PREFIX,
            "dictionaryId": CURRENT_DICTIONARY,
            "dictionary": base64.b64encode(_current_dictionary()).decode("ascii"),
            "maxChunk": MAX_CHUNK,
            "maxParts": MAX_PARTS,
            "maxMembers": MAX_MEMBERS,
            "errorCorrection": ERROR_CORRECTION,
            "cellPixels": CELL_PIXELS,
        },
        "catalog": {
            "id": meta.id,
            "version": meta.version,
            "municipality": meta.municipality,
            "municipality_en": meta.municipality_en,
            "fictional": meta.fictional,
        },
        "events": [
            {
                "id": e.id,
                "name": e.name,
                "description": resident_text(e.description),
                "date_label": e.date_label,
                "subjects": {
                    "default": e.subjects.default,
                    "min": e.subjects.min,
                    "max": e.subjects.max,
                    "label": e.subjects.label,
                },
            }
            for e in catalog.events.values()
        ],
        "questions": [
            {
                "id": q.id,
                "text": q.text,
                "help": q.help,
                "type": q.type,
                "scope": q.scope,
                "choices": [{"value": c.value, "label": c.label} for c in q.choices],
                "min": q.min,
                "max": q.max,
                "ask_when": condition_json(q.ask_when),
                "derive": [{"value": _literal(d.value), "when": condition_json(d.when)} for d in q.derive],
                "otherwise": _literal(q.otherwise),
            }
            for q in catalog.questions.values()
        ],
        "facts": [
            {
                "id": f.id,
                "scope": f.scope,
                "count": condition_json(f.count) if f.count is not None else None,
                "when": condition_json(f.when) if f.when is not None else None,
            }
            for f in catalog.facts.values()
        ],
        "relationships": [{"value": r.value, "label": r.label_ja} for r in Relationship],
        # The resident's languages: the page's own words, and the catalog's translations (i18n/).
        "languages": [{"code": "ja", "name": "日本語"}]
        + [{"code": code, "name": language.name} for code, language in LANGUAGES.items()],
        "ui": {code: ui_strings(code) for code in ("ja", *LANGUAGES)},
        "i18n": {code: _catalog_translations(catalog, code) for code in LANGUAGES},
    }


def _catalog_translations(catalog: Catalog, code: str) -> dict[str, Any]:
    """The catalog's texts the page shows, in one language (only what is translated)."""
    translations = catalog.translations
    events = {}
    for event_id in catalog.events:
        text = translations.event(code, event_id)
        if text is not None:
            events[event_id] = {"name": text.name, "description": text.description}
    questions = {}
    for question_id in catalog.questions:
        question = translations.question(code, question_id)
        if question is not None:
            questions[question_id] = {
                "text": question.text,
                "help": question.help,
                "choices": dict(question.choices),
            }
    return {"events": events, "questions": questions}


def _script_safe_json(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _hash(source: str) -> str:
    return (
        "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"
    )


def licenses_text() -> str:
    return "\n\n".join(_asset(licence).strip() for _, licence in VENDORED) + "\n"


def render_page(catalog: Catalog, generator: str = "") -> tuple[str, str]:
    """The page's HTML and its Content-Security-Policy."""
    scripts = []
    for script, licence in VENDORED:
        source = _asset(script)
        first_line = _asset(licence).splitlines()[0]
        scripts.append(f"/*! {first_line} — licence: LICENSES.txt */\n{source}")
    app = _asset("prefill.js")
    style = _asset("page.css")
    for name, source in (("qrcode", scripts[0]), ("fflate", scripts[1]), ("app", app), ("style", style)):
        if "</script" in source.lower() or "</style" in source.lower():
            raise ValueError(f"{name} cannot be inlined: it contains a closing tag")
    csp = "; ".join(
        (
            "default-src 'none'",
            "script-src " + " ".join(_hash(s) for s in (*scripts, app)),
            "style-src " + _hash(style),
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        )
    )
    meta = catalog.meta
    title = f"{meta.municipality} 窓口 事前入力(QRコード作成)"
    fictional = (
        '<p class="fictional" data-i18n="fictional">'
        "このページは架空の自治体の手続カタログで作った見本です。</p>\n"
        if meta.fictional
        else ""
    )
    replacements = {
        "@@CSP@@": html.escape(csp),
        "@@GENERATOR@@": html.escape(generator),
        "@@TITLE@@": html.escape(title),
        "@@FICTIONAL@@": fictional,
        "@@MUNICIPALITY@@": html.escape(meta.municipality),
        "@@CATALOG@@": html.escape(meta.id),
        "@@VERSION@@": html.escape(meta.version),
        "@@LICENSES@@": html.escape(licenses_text()),
        "@@STYLE@@": style,
        "@@DATA@@": _script_safe_json(page_data(catalog)),
        "@@QRCODE@@": scripts[0],
        "@@FFLATE@@": scripts[1],
        "@@APP@@": app,
    }
    # One pass: a marker that happens to occur in a value (catalog text, a script) stays as it is.
    page = re.sub(r"@@[A-Z]+@@", lambda m: replacements[m.group(0)], _asset("page.html"))
    return page, csp


def build_page(catalog: Catalog, out_dir: Path, generator: str = "") -> PageBuild:
    """Write the page, its licences and a note for the web team into ``out_dir`` (created if needed)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    page, csp = render_page(catalog, generator)
    index = out_dir / "index.html"
    index.write_text(page, encoding="utf-8")
    licenses = out_dir / "LICENSES.txt"
    licenses.write_text(licenses_text(), encoding="utf-8")
    readme = out_dir / "README.txt"
    readme.write_text(
        _README.format(
            catalog=catalog.id, version=catalog.meta.version, generated=dt.date.today().isoformat()
        ),
        encoding="utf-8",
    )
    return PageBuild(index, licenses, readme, len(page.encode("utf-8")), csp)
