"""The resident's pre-fill page in headless Chromium, end to end, and its rules against the engine's.

A resident fills the page built by ``madoguchi prefill build`` (served from a loopback HTTP server, as
a municipal website would serve it); the QR codes it shows are screenshotted, decoded by the counter's
decoder, and ``madoguchi qr decode | madoguchi guide`` evaluates exactly the visit the page made. The
page makes no network request: the server sees one GET, the browser records no other request, and a
script that tries to send something is stopped by the page's Content-Security-Policy.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from card_reader.qr import decode_image
from procedures.builtin_facts import BUILTIN_FACTS
from procedures.catalog import Catalog, load_catalog
from procedures.conditions import FactRef, references
from procedures.engine import collect_answers, guide, resolve_event
from procedures.evaluation import NOT_APPLICABLE, UNKNOWN, Evaluator, Interval
from procedures.prefill import decode_scans
from procedures.prefill.dictionary import CURRENT as CURRENT_DICTIONARY
from procedures.prefill.document import document_json, inflate
from procedures.prefill.parts import frame_parts
from procedures.visit import Member, Relationship, Sex, Source, Visit, parse_visit
from tests.conftest import MadoguchiRunner
from tests.integration.chromium import Chromium, Page

pytestmark = pytest.mark.integration

VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__violations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""

FILL = """
window.__fill = {
  fire: function (el) {
    el.dispatchEvent(new Event('input', {bubbles: true}));
    el.dispatchEvent(new Event('change', {bubbles: true}));
  },
  set: function (el, value) { el.value = value; this.fire(el); },
  date: function (scope, prefix, iso) {
    var p = iso.split('-');
    this.set(scope.querySelector('select[name="' + prefix + '-year"]'), String(+p[0]));
    this.set(scope.querySelector('select[name="' + prefix + '-month"]'), String(+p[1]));
    this.set(scope.querySelector('select[name="' + prefix + '-day"]'), String(+p[2]));
  },
  event: function (id, iso) {
    var radio = document.querySelector('input[name=event][value="' + id + '"]');
    radio.checked = true; this.fire(radio);
    this.date(document.getElementById('event-date'), 'event-date', iso);
  },
  member: function (index, m) {
    while (document.querySelectorAll('fieldset.member').length <= index) {
      document.getElementById('add-member').click();
    }
    var box = document.querySelectorAll('fieldset.member')[index];
    this.set(box.querySelector('input[name=name]'), m.name);
    if (m.furigana) this.set(box.querySelector('input[name=furigana]'), m.furigana);
    this.date(box, 'birth', m.birth_date);
    this.set(box.querySelector('select[name=sex]'), m.sex);
    this.set(box.querySelector('select[name=relationship]'), m.relationship);
    var same = box.querySelector('input[name=same-address]');
    if (same && m.address && same.checked) { same.click(); }
    if (m.address) this.set(box.querySelector('input[name=address]'), m.address);
  },
  open: function () {
    return Array.prototype.map.call(document.querySelectorAll('#questions fieldset.question'), function (q) {
      var answered = Array.prototype.some.call(q.querySelectorAll('input'), function (i) {
        return i.type === 'radio' ? i.checked : i.value !== '';
      });
      return {id: q.dataset.question, member: q.dataset.member === '' ? null : +q.dataset.member,
              answered: answered};
    });
  },
  answer: function (id, member, value) {
    var q = document.querySelector('#questions fieldset.question[data-question="' + id + '"][data-member="' +
      (member === null ? '' : member) + '"]');
    var radios = q.querySelectorAll('input[type=radio]');
    if (radios.length) {
      var radio = Array.prototype.find.call(radios, function (r) { return r.value === String(value); });
      radio.click();
    } else {
      this.set(q.querySelector('input'), String(value));
    }
  }
};
"""


class RecordingServer:
    """A loopback static file server that remembers every request path (stopped in :meth:`close`)."""

    def __init__(self, root: Path) -> None:
        self.paths: list[str] = []
        server = self

        class Handler(SimpleHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                server.paths.append(self.path)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(root)))
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="prefill-http", daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


@pytest.fixture(scope="module")
def built_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The pages of both shipped catalogs, built by the real command."""
    root = tmp_path_factory.mktemp("prefill-pages")
    for name in ("default", "sazanami"):
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "counter_app",
                "prefill",
                "build",
                "--catalog",
                name,
                "--out",
                str(root / name),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert "外部への通信はありません" in result.stdout
    return {name: root / name for name in ("default", "sazanami")}


@pytest.fixture(scope="module")
def server(built_pages: dict[str, Path]) -> Iterator[RecordingServer]:
    serving = RecordingServer(next(iter(built_pages.values())).parent)
    yield serving
    serving.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Chromium]:
    chromium = Chromium()
    yield chromium
    chromium.close()


def _open(browser: Chromium, url: str) -> Page:
    page = browser.page()
    page.add_init_script(VIOLATIONS)
    page.goto(url)
    page.evaluate(FILL)
    return page


LARGE_HOUSEHOLD = [
    {
        "name": f"宇都宮 {given}",
        "furigana": f"うつのみや {reading}",
        "birth_date": f"{1950 + 4 * i}-{1 + i % 12:02d}-{1 + (3 * i) % 27:02d}",
        "sex": "male" if i % 2 else "female",
        "relationship": "self" if i == 0 else "other_relative",
        "address": f"埼玉県みどり川市桜ケ丘{i + 1}丁目{7 * i % 30 + 1}番{5 * i % 20 + 1}号 コーポ桜{100 + i}",
    }
    for i, (given, reading) in enumerate(
        [("蒼", "あおい"), ("凛", "りん"), ("樹", "いつき"), ("陽葵", "ひまり"), ("湊", "みなと"),
         ("紬", "つむぎ"), ("律", "りつ"), ("結菜", "ゆいな"), ("颯真", "そうま"), ("芽依", "めい"),
         ("朔", "さく"), ("詩織", "しおり"), ("大和", "やまと"), ("杏", "あん")]
    )
]  # fmt: skip


def _plan_value(catalog: Catalog, question_id: str, event_date: dt.date) -> Any:
    """What the resident answers: a fixed, plausible value for every kind of question."""
    question = catalog.questions[question_id]
    match question.type:
        case "yes_no":
            return question_id in {"inkan_register", "has_mynumber_card"}
        case "choice":
            return question.choices[0].value
        case "number":
            return question.min if question.min is not None else 1
        case "date":
            return (event_date - dt.timedelta(days=2)).isoformat()
        case _:
            return "東京都みどり川区中央一丁目2番3号 みどりハイツ405"


HOUSEHOLD = [
    {"name": "山田 太郎", "furigana": "やまだ たろう", "birth_date": "1980-05-01", "sex": "male",
     "relationship": "self", "address": "東京都みどり川区中央一丁目2番3号"},
    {"name": "山田 花子", "birth_date": "1982-07-12", "sex": "female", "relationship": "spouse"},
    {"name": "髙橋 𠮷子", "furigana": "たかはし よしこ", "birth_date": "2015-04-01", "sex": "female",
     "relationship": "child"},
    {"name": "山田 一郎", "birth_date": "2009-06-30", "sex": "male", "relationship": "child"},
    {"name": "佐藤 ハル", "birth_date": "1945-03-03", "sex": "female", "relationship": "spouse_parent",
     "address": "東京都みどり川区北町5-6"},
]  # fmt: skip


SCREEN = """(function () {
  var img = Array.prototype.find.call(document.querySelectorAll('img.qr'), function (i) {
    return !i.closest('figure').hidden; });
  var r = img.getBoundingClientRect();
  var b = document.getElementById('qr-next').getBoundingClientRect();
  var c = document.getElementById('qr-counter');
  return {part: +img.dataset.part, counter: c.textContent,
          counterPx: parseFloat(getComputedStyle(c).fontSize),
          img: [r.left, r.top, r.right, r.bottom], next: [b.left, b.top, b.right, b.bottom],
          view: [window.innerWidth, window.innerHeight], natural: img.naturalWidth,
          visible: document.querySelectorAll('figure.qr-part:not([hidden])').length,
          nextDisabled: document.getElementById('qr-next').disabled,
          backDisabled: document.getElementById('qr-back').disabled};
})()"""


def _screens(page: Page) -> list[tuple[int, bytes]]:
    """Each code as the phone's screen shows it (a viewport screenshot), going through them with 次へ;
    checks that the whole code, a large "n / N" and the buttons are on the screen."""
    total = page.evaluate("document.querySelectorAll('img.qr').length")
    screens = []
    for number in range(1, total + 1):
        state = page.evaluate(SCREEN)
        width, height = state["view"]
        left, top, right, bottom = state["img"]
        assert state["part"] == number and state["visible"] == 1
        assert state["counter"] == f"{number} / {total}" and state["counterPx"] >= 32
        assert left >= 0 and top >= 0 and right <= width and bottom <= height, (
            state
        )  # nothing under the bezel
        assert right - left >= min(width - 40, 300), state  # as large as the screen allows
        assert state["next"][1] >= 0 and state["next"][3] <= height, state
        assert state["backDisabled"] == (number == 1) and state["nextDisabled"] == (number == total)
        png = base64.b64decode(page.send("Page.captureScreenshot", {"format": "png"})["data"])
        screens.append((number, png))
        if number < total:
            page.evaluate("document.getElementById('qr-next').click()")
    if total > 1:  # and back again
        page.evaluate("document.getElementById('qr-back').click()")
        assert page.evaluate(SCREEN)["part"] == total - 1
    return screens


def test_resident_fills_the_page_and_the_counter_reads_the_same_visit(
    browser: Chromium,
    server: RecordingServer,
    madoguchi: MadoguchiRunner,
    tmp_path: Path,
) -> None:
    catalog = load_catalog("default")
    event_date = dt.date.today() - dt.timedelta(days=3)
    page_url = f"{server.url}/default/index.html"
    server.paths.clear()
    page = _open(browser, page_url)
    page.evaluate(f"__fill.event('tennyu', '{event_date.isoformat()}')")
    for index, member in enumerate(HOUSEHOLD):
        page.evaluate(f"__fill.member({index}, {json.dumps(member, ensure_ascii=False)})")

    # Answer what the page asks until it asks nothing new (answers reveal further questions).
    answered: set[tuple[str, int | None]] = set()
    for _ in range(60):
        pending = [q for q in page.evaluate("__fill.open()") if not q["answered"]]
        if not pending:
            break
        first = pending[0]
        value = _plan_value(catalog, first["id"], event_date)
        page.evaluate(
            f"__fill.answer({json.dumps(first['id'])}, {json.dumps(first['member'])}, {json.dumps(value)})"
        )
        answered.add((first["id"], first["member"]))
    else:
        pytest.fail("the page kept asking questions")
    assert len(answered) >= 10  # a five-member move-in asks about cards, insurance, seals, …

    expected_document = page.evaluate("MadoguchiPrefill.buildDocument()")
    assert expected_document["problems"] == []
    page.evaluate("document.getElementById('make-qr').click()")
    total = page.evaluate("document.querySelectorAll('img.qr').length")
    assert total >= 1  # MDP2: five members and their answers fit one code

    # Screenshot every screen the resident shows, decode each: one code per screen.
    screens = _screens(page)
    assert [n for n, _ in screens] == list(range(1, total + 1))
    shots = []
    for number, png in reversed(screens):
        path = tmp_path / f"shot-{number}.png"
        path.write_bytes(png)
        shots.append(path)
        payloads = decode_image(Image.open(io.BytesIO(png)))
        assert len(payloads) == 1 and payloads[0].startswith(b"MDP2:")

    prefill = decode_scans([decode_image(Image.open(p))[0] for p in shots], catalog)
    assert prefill.notes == ()
    assert prefill.catalog_id == catalog.id and prefill.catalog_version == catalog.meta.version
    assert prefill.created == dt.date.today()
    expected = parse_visit(expected_document["document"]["visit"])
    expected = expected.model_copy(
        update={"members": tuple(m.model_copy(update={"source": Source.QR}) for m in expected.members)}
    )
    assert prefill.visit == expected
    assert [m.name for m in prefill.visit.members] == [m["name"] for m in HOUSEHOLD]
    assert prefill.visit.members[4].address == "東京都みどり川区北町5-6"
    assert prefill.visit.members[1].address == "東京都みどり川区中央一丁目2番3号"  # "same as the first"

    # The counter's commands: decode the screenshots, then evaluate the visit.
    decoded = madoguchi("qr", "decode", *map(str, shots), "--json")
    assert decoded.returncode == 0, decoded.stderr
    assert decoded.stderr == ""
    assert parse_visit(decoded.stdout) == prefill.visit
    guided = madoguchi("guide", "--visit", "-", "--json", input=decoded.stdout)
    assert guided.returncode == 0, guided.stderr
    guidance = guide(catalog, prefill.visit)
    assert json.loads(guided.stdout) == guidance.to_json()
    # Everything the page asked was answered, so the counter has nothing left to ask, and the page
    # sent no answer the counter ignores.
    assert guidance.complete
    assert guidance.ignored_answers == ()
    assert len(guidance.procedures) >= 5

    # No request but the page itself, and no policy violation or script error along the way.
    assert server.paths == ["/default/index.html"]
    requested = {e["request"]["url"] for e in page.events("Network.requestWillBeSent")}
    assert {u for u in requested if not u.startswith("data:")} == {page_url}
    assert page.evaluate("window.__violations") == []
    assert page.events("Runtime.exceptionThrown") == []


PHONES = [(360, 640, 3.0), (375, 667, 2.0), (390, 844, 3.0), (412, 915, 2.625), (430, 932, 3.0)]


@pytest.mark.parametrize(("width", "height", "scale"), PHONES, ids=[f"{w}x{h}" for w, h, _ in PHONES])
def test_one_code_per_screen_at_phone_sizes(
    browser: Chromium, server: RecordingServer, width: int, height: int, scale: float
) -> None:
    """A household large enough for several codes: every screen shows one whole code, its "n / N" and
    次へ / 戻る, and each screenshot decodes to exactly that part; together they give the household."""
    catalog = load_catalog("default")
    page = browser.page(width, height, scale)
    page.add_init_script(VIOLATIONS)
    page.goto(f"{server.url}/default/index.html")
    page.evaluate(FILL)
    event_date = dt.date.today() - dt.timedelta(days=3)
    page.evaluate(f"__fill.event('tennyu', '{event_date.isoformat()}')")
    for index, member in enumerate(LARGE_HOUSEHOLD):
        page.evaluate(f"__fill.member({index}, {json.dumps(member, ensure_ascii=False)})")
    page.evaluate("document.getElementById('make-qr').click()")
    screens = _screens(page)
    assert len(screens) >= 2
    scans = []
    for number, png in screens:
        payloads = decode_image(Image.open(io.BytesIO(png)))
        assert len(payloads) == 1, (width, height, number)
        scans.append(payloads[0])
    prefill = decode_scans(reversed(scans), catalog)
    assert [m.name for m in prefill.visit.members] == [m["name"] for m in LARGE_HOUSEHOLD]
    assert page.events("Runtime.exceptionThrown") == []
    assert page.evaluate("window.__violations") == []


def test_a_script_on_the_page_cannot_send_anything(browser: Chromium, server: RecordingServer) -> None:
    page = _open(browser, f"{server.url}/default/index.html")
    server.paths.clear()
    outcome = page.evaluate(
        f"""(async function () {{
          var results = [];
          try {{ await fetch('{server.url}/leak?fetch'); results.push('fetch sent'); }}
          catch (e) {{ results.push('fetch blocked'); }}
          var queued = navigator.sendBeacon('{server.url}/leak?beacon', 'x');
          results.push(queued ? 'beacon queued' : 'beacon refused');
          await new Promise(function (done) {{
            var img = new Image(); img.onload = img.onerror = done; img.src = '{server.url}/leak?img';
          }});
          await new Promise(function (done) {{ setTimeout(done, 300); }});
          return results;
        }})()"""
    )
    assert outcome[0] == "fetch blocked"
    assert server.paths == []
    violations = page.evaluate("window.__violations")
    assert any(v.startswith("connect-src") for v in violations)
    assert any(v.startswith("img-src") for v in violations)


# ---------------------------------------------------------------- the page's rules = the engine's


def _age_edges(catalog: Catalog) -> list[int]:
    """The ages the catalog's rules compare with (``age``, ``legal_age``, ``school_age``), and one either
    side (the birth dates drawn around them hit the day-before-the-birthday edge of ``legal_age`` too)."""
    edges: set[int] = set()
    conditions = [q.ask_when for q in catalog.questions.values()]
    conditions += [c.when for q in catalog.questions.values() for c in q.derive]
    conditions += [c for f in catalog.facts.values() for c in (f.count, f.when) if c is not None]
    for condition in conditions:
        for compare in references(condition):
            ages = ("age", "legal_age", "school_age")
            if isinstance(compare.operand, FactRef) and compare.operand.id in ages:
                values = compare.value if isinstance(compare.value, tuple) else (compare.value,)
                for value in values:
                    if isinstance(value, int) and not isinstance(value, bool):
                        edges |= {value - 1, value, value + 1}
    return sorted(e for e in edges if 0 <= e <= 110)


@st.composite
def _birth_dates(draw: st.DrawFn, event_date: dt.date, edges: list[int]) -> dt.date:
    """Birth dates that hit the rules' edges: at the ages the rules compare with, a birthday on, just
    before or just after the event date, or 4/1 or 4/2 (the school-year boundary); or any date."""
    age = draw(st.sampled_from(edges) | st.integers(0, 95))
    kind = draw(st.sampled_from(["birthday", "school_year", "any"]))
    if kind == "any":
        return draw(st.dates(dt.date(1925, 1, 1), event_date))
    if kind == "school_year":
        year = event_date.year - age - draw(st.integers(0, 1))
        born = dt.date(year, 4, draw(st.sampled_from([1, 2])))
    else:
        day = (
            event_date.replace(month=3, day=1)
            if (event_date.month, event_date.day) == (2, 29)
            else event_date
        )
        born = day.replace(year=day.year - age) + dt.timedelta(days=draw(st.integers(-1, 2)))
    return min(born, event_date)


def _visits(catalog: Catalog) -> st.SearchStrategy[Visit]:
    edges = _age_edges(catalog)

    @st.composite
    def build(draw: st.DrawFn) -> Visit:
        event_date = draw(st.dates(dt.date(2024, 1, 1), dt.date(2026, 12, 31)))
        members = []
        for index in range(draw(st.integers(1, 5))):
            relationship = (
                Relationship.SELF
                if index == 0 and draw(st.booleans())
                else draw(st.sampled_from([r for r in Relationship if r is not Relationship.SELF]))
            )
            members.append(
                Member(
                    name=f"世帯員{index}",
                    birth_date=draw(_birth_dates(event_date, edges)),
                    sex=draw(st.sampled_from(list(Sex))),
                    relationship=relationship,
                    is_householder=relationship is Relationship.SELF,
                    subject=draw(st.none() | st.booleans()),
                    source=Source.QR,  # what the page's members are
                )
            )
        answers: dict[str, Any] = {}
        member_answers: list[dict[str, Any]] = [{} for _ in members]
        for question in catalog.questions.values():
            targets = [answers] if question.scope == "household" else member_answers
            for target in targets:
                if not draw(st.booleans()):
                    continue
                match question.type:
                    case "yes_no":
                        value: Any = draw(st.booleans())
                    case "choice":
                        value = draw(st.sampled_from([c.value for c in question.choices]))
                    case "number":
                        low = question.min if question.min is not None else 0
                        value = draw(st.integers(low, question.max if question.max is not None else low + 5))
                    case "date":
                        value = (event_date + dt.timedelta(days=draw(st.integers(-400, 400)))).isoformat()
                    case _:
                        value = draw(st.sampled_from(["はい", "東京都", ""]))
                target[question.id] = value
        return Visit(
            event=draw(st.sampled_from(list(catalog.events))),
            event_date=event_date,
            members=tuple(
                m.model_copy(update={"answers": a}) for m, a in zip(members, member_answers, strict=True)
            ),
            answers=answers,
        )

    return build()


def _engine_sources(catalog: Catalog, visit: Visit) -> list[list[Any]]:
    """Each question instance's state as the engine sees it: ``to_ask`` and ``waiting`` are the
    engine's UNKNOWN (asked / not yet decidable), ``not_applicable`` its NOT_APPLICABLE, and
    ``answered`` / ``derived`` / ``otherwise`` a known value."""
    event = resolve_event(catalog, visit)
    default = event.subjects.default == "all"
    subjects = [default if m.subject is None else m.subject for m in visit.members]
    assert visit.event_date is not None
    answers = collect_answers(catalog, visit)
    evaluator = Evaluator(catalog, event, visit.event_date, visit.members, subjects, answers)
    out: list[list[Any]] = []
    for question in catalog.questions.values():
        contexts: list[int | None] = (
            [None] if question.scope == "household" else list(range(len(visit.members)))
        )
        for member in contexts:
            applies = evaluator.holds(question.ask_when, member)
            if applies is False:
                source = "otherwise" if question.otherwise is not None else "not_applicable"
            elif applies is None:
                source = "waiting"
            elif (question.id, member) in answers:
                source = "answered"
            else:
                source = "to_ask"
                for case in question.derive:
                    derived = evaluator.holds(case.when, member)
                    if derived is None or derived:
                        source = "waiting" if derived is None else "derived"
                        break
            state = evaluator.answer(question.id, member)
            assert (state is UNKNOWN) == (source in ("waiting", "to_ask"))
            assert (state is NOT_APPLICABLE) == (source == "not_applicable")
            out.append([question.id, member, source])
    return out


def _engine_facts(catalog: Catalog, visit: Visit) -> list[list[Any]]:
    event = resolve_event(catalog, visit)
    default = event.subjects.default == "all"
    subjects = [default if m.subject is None else m.subject for m in visit.members]
    assert visit.event_date is not None
    evaluator = Evaluator(
        catalog, event, visit.event_date, visit.members, subjects, collect_answers(catalog, visit)
    )

    def shown(value: Any) -> Any:
        if value is UNKNOWN:
            return "unknown"
        if isinstance(value, Interval):
            return [value.lo, value.hi]
        return value.isoformat() if isinstance(value, dt.date) else value

    out: list[list[Any]] = []
    members = list(range(len(visit.members)))
    builtin = [f for f in BUILTIN_FACTS.values() if f.scope == "member"]
    for fact_id, scope in [(f.id, "member") for f in builtin] + [
        (f.id, f.scope) for f in catalog.facts.values()
    ]:
        contexts: list[int | None] = list(members) if scope == "member" else [None]
        out += [[fact_id, m, shown(evaluator.fact(fact_id, m))] for m in contexts]
    for fact_id in ("household_size", "subject_count"):
        out.append([fact_id, None, shown(evaluator.fact(fact_id, None))])
    return out


@pytest.mark.parametrize("name", ["default", "sazanami"])
def test_the_page_asks_exactly_when_the_engine_would(
    browser: Chromium, server: RecordingServer, name: str
) -> None:
    """For random households and answers, every question's state (to ask, answered, derived, not
    applicable, waiting) and every fact in the page equal the engine's — the page's part framing
    equals Python's byte for byte, and what the page compresses (MDP2: fflate's raw deflate with the
    preset dictionary) Python inflates to the same document."""
    catalog = load_catalog(name)
    page = _open(browser, f"{server.url}/{name}/index.html")

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(visit=_visits(catalog), content=st.binary(min_size=1, max_size=900))
    def check(visit: Visit, content: bytes) -> None:
        sources = page.evaluate(
            f"MadoguchiPrefill.answerSources({json.dumps(visit.to_json(), ensure_ascii=False)})"
        )
        assert [[s["id"], s["member"], s["source"]] for s in sources] == _engine_sources(catalog, visit)
        facts = page.evaluate(
            f"MadoguchiPrefill.factValues({json.dumps(visit.to_json(), ensure_ascii=False)})"
        )
        assert [[f["id"], f["member"], f["value"]] for f in facts] == _engine_facts(catalog, visit)
        assert page.evaluate(f"MadoguchiPrefill.frameParts({json.dumps(list(content))})") == frame_parts(
            content
        )
        document = document_json(visit, catalog.id, catalog.meta.version, dt.date(2025, 3, 28))
        compressed = page.evaluate(f"MadoguchiPrefill.compress({json.dumps(document, ensure_ascii=False)})")
        assert compressed[0] == CURRENT_DICTIONARY
        assert inflate(bytes(compressed), "2") == document

    check()
    assert page.events("Runtime.exceptionThrown") == []
