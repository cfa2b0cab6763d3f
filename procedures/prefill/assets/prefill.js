/* Madoguchi pre-fill page (docs/qr-format.md). Everything runs on the resident's device: no request
 * leaves the page (its Content-Security-Policy forbids any), nothing is stored. The catalog arrives as
 * JSON in #madoguchi-data; the QR parts are framed exactly as procedures/prefill/parts.py frames them.
 * The question rules mirror procedures/evaluation.py (three-valued: true / false / null = not known). */
(function () {
  'use strict';

  var DATA = JSON.parse(document.getElementById('madoguchi-data').textContent);
  var FORMAT = DATA.format;
  var EVENTS = {};
  DATA.events.forEach(function (e) { EVENTS[e.id] = e; });
  var QUESTIONS = {};
  DATA.questions.forEach(function (q) { QUESTIONS[q.id] = q; });
  var FACTS = {};
  DATA.facts.forEach(function (f) { FACTS[f.id] = f; });
  var MEMBER_BUILTINS = ['age', 'legal_age', 'school_age', 'sex', 'relationship', 'is_householder', 'is_subject', 'source'];

  // ------------------------------------------------------------------ the resident's language

  /* The page's words come from DATA.ui[LANG] (Japanese where a language has none); the catalog's texts
   * from DATA.i18n[LANG], or in Japanese followed by the language's "(in Japanese only)" note. The QR
   * codes carry ids and values only, so they are the same in every language. */
  var LANG = 'ja';
  var RUBY = /｜([^｜《》]+)《([^《》]+)》|([\u3400-\u9fff\uf900-\ufaff々〆ヶ]+)《([^《》]+)》/g;

  function t(key, vars) {
    var table = DATA.ui[LANG] || DATA.ui.ja;
    var text = table[key] !== undefined ? table[key] : DATA.ui.ja[key];
    return String(text).replace(/\{([a-z]+)\}/g, function (m, name) {
      return vars && vars[name] !== undefined ? String(vars[name]) : m;
    });
  }

  /* Text without its furigana markup (for option labels, alt texts and dialogs). */
  function plain(text) {
    return String(text).replace(RUBY, function (m, a, b, c) { return a || c; });
  }

  /* Put text into a node, the furigana of やさしい日本語 as <ruby>. */
  function put(node, text) {
    text = String(text);
    node.textContent = '';
    var last = 0;
    text.replace(RUBY, function (m, a, b, c, d, offset) {
      if (offset > last) node.appendChild(document.createTextNode(text.slice(last, offset)));
      var ruby = document.createElement('ruby');
      ruby.appendChild(document.createTextNode(a || c));
      var rt = document.createElement('rt');
      rt.textContent = b || d;
      ruby.appendChild(rt);
      node.appendChild(ruby);
      last = offset + m.length;
      return m;
    });
    if (last < text.length) node.appendChild(document.createTextNode(text.slice(last)));
    return node;
  }

  function translated(kind, id) {
    var table = DATA.i18n[LANG];
    return table && table[kind] ? table[kind][id] : undefined;
  }

  /* A catalog text in the resident's language, or the Japanese with the language's note. */
  function catalogText(kind, id, field, japanese) {
    if (LANG === 'ja' || !japanese) return japanese;
    var entry = translated(kind, id);
    if (entry && entry[field]) return entry[field];
    var note = t('japanese_only');
    return note ? japanese + ' ' + note : japanese;
  }

  function choiceLabel(question, choice) {
    var entry = translated('questions', question.id);
    if (LANG !== 'ja' && entry && entry.choices && entry.choices[choice.value]) return entry.choices[choice.value];
    return choice.label;
  }

  // ------------------------------------------------------------------ CRC-32, Base45, parts

  var CRC_TABLE = (function () {
    var table = new Array(256);
    for (var n = 0; n < 256; n++) {
      var c = n;
      for (var k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
    return table;
  })();

  function crc32(bytes) {
    var c = 0xffffffff;
    for (var i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  }

  var B45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

  function base45(bytes) {
    var out = '';
    for (var i = 0; i + 1 < bytes.length; i += 2) {
      var n = bytes[i] * 256 + bytes[i + 1];
      out += B45.charAt(n % 45) + B45.charAt(Math.floor(n / 45) % 45) + B45.charAt(Math.floor(n / 2025));
    }
    if (bytes.length % 2) {
      var last = bytes[bytes.length - 1];
      out += B45.charAt(last % 45) + B45.charAt(Math.floor(last / 45));
    }
    return out;
  }

  function be32(n) { return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]; }

  /* The QR texts for compressed content: MDP2: + Base45(set id, part, total, chunk, CRC-32). */
  function frameParts(content) {
    var total = Math.ceil(content.length / FORMAT.maxChunk);
    if (total > FORMAT.maxParts) throw new Error('too-large');
    var size = Math.floor(content.length / total);
    var extra = content.length % total;
    var setId = crc32(content);
    var texts = [];
    var start = 0;
    for (var i = 0; i < total; i++) {
      var end = start + size + (i < extra ? 1 : 0);
      var body = new Uint8Array(6 + end - start);
      body.set(be32(setId), 0);
      body[4] = i + 1;
      body[5] = total;
      body.set(content.subarray(start, end), 6);
      var part = new Uint8Array(body.length + 4);
      part.set(body, 0);
      part.set(be32(crc32(body)), body.length);
      texts.push(FORMAT.prefix + base45(part));
      start = end;
    }
    return texts;
  }

  /* The preset dictionary of format MDP2 (procedures/prefill/dictionary.py), sent by the page builder. */
  var DICTIONARY = (function () {
    var binary = atob(FORMAT.dictionary);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  })();

  /* MDP2 content: the dictionary's number, then the JSON in raw deflate primed with the dictionary. */
  function compress(documentObject) {
    var bytes = new TextEncoder().encode(JSON.stringify(documentObject));
    var deflated = window.fflate.deflateSync(bytes, { level: 9, dictionary: DICTIONARY });
    var content = new Uint8Array(deflated.length + 1);
    content[0] = FORMAT.dictionaryId;
    content.set(deflated, 1);
    return content;
  }

  // ------------------------------------------------------------------ dates

  function ymd(text) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text || '');
    if (!m) return null;
    var y = +m[1], mo = +m[2], d = +m[3];
    var probe = new Date(Date.UTC(y, mo - 1, d));
    if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) return null;
    return [y, mo, d];
  }

  function before(a, b) { return a[1] < b[1] || (a[1] === b[1] && a[2] < b[2]); }

  function ageOn(birth, on) {
    var years = on[0] - birth[0];
    if (before(on, birth)) years -= 1;
    return Math.max(years, 0);
  }

  /* The age the law counts: reached on the day before the birthday (年齢計算ニ関スル法律). */
  function legalAgeOn(birth, on) {
    var next = new Date(Date.UTC(on[0], on[1] - 1, on[2] + 1));
    return ageOn(birth, [next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate()]);
  }

  /* Age at the start of the school year (4/1) containing `on`; 4/1 births join the older year. */
  function schoolAgeOn(birth, on) {
    var schoolYear = on[1] >= 4 ? on[0] : on[0] - 1;
    var years = schoolYear - birth[0];
    if (birth[1] > 4 || (birth[1] === 4 && birth[2] >= 2)) years -= 1;
    return Math.max(years, 0);
  }

  function pad2(n) { return (n < 10 ? '0' : '') + n; }

  function isoOf(parts) {
    if (!parts.y || !parts.m || !parts.d) return '';
    return parts.y + '-' + pad2(+parts.m) + '-' + pad2(+parts.d);
  }

  function todayIso() {
    var now = new Date();
    return now.getFullYear() + '-' + pad2(now.getMonth() + 1) + '-' + pad2(now.getDate());
  }

  var ERAS = [
    ['令和', 2019, 5, 1], ['平成', 1989, 1, 8], ['昭和', 1926, 12, 25], ['大正', 1912, 7, 30], ['明治', 1868, 1, 25]
  ];

  function yearLabel(year) {
    var labels = [];
    for (var i = 0; i < ERAS.length; i++) {
      var era = ERAS[i];
      if (year >= era[1]) {
        var n = year - era[1] + 1;
        labels.push(era[0] + (n === 1 ? '元' : n) + '年');
        if (year !== era[1]) break; // the year an era began also belongs to the previous era
      }
    }
    return year + '年(' + labels.reverse().join('・') + ')';
  }

  // ------------------------------------------------------------------ the question rules

  var UNKNOWN = { marker: 'UNKNOWN' };
  var NOT_APPLICABLE = { marker: 'NOT_APPLICABLE' };

  function Interval(lo, hi) { this.lo = lo; this.hi = hi; }

  function literal(value) {
    if (value !== null && typeof value === 'object' && typeof value.$date === 'string') return { d: value.$date };
    return value;
  }

  function isDate(v) { return v !== null && typeof v === 'object' && typeof v.d === 'string'; }
  function isNumber(v) { return typeof v === 'number'; }

  function sameValue(a, b) {
    if (typeof a === 'boolean' || typeof b === 'boolean') return typeof a === typeof b && a === b;
    if (isDate(a) !== isDate(b)) return false;
    if (isDate(a)) return a.d === b.d;
    return a === b;
  }

  function ordered(a, op, b) {
    var x, y;
    if (isNumber(a) && isNumber(b)) { x = a; y = b; }
    else if (isDate(a) && isDate(b)) { x = a.d; y = b.d; }
    else return false;
    if (op === 'lt') return x < y;
    if (op === 'lte') return x <= y;
    if (op === 'gt') return x > y;
    return x >= y;
  }

  function compareValue(actual, op, expected) {
    if (op === 'in' || op === 'not_in') {
      var found = expected.some(function (e) { return sameValue(actual, literal(e)); });
      return op === 'in' ? found : !found;
    }
    var want = literal(expected);
    if (op === 'eq') return sameValue(actual, want);
    if (op === 'ne') return !sameValue(actual, want);
    return ordered(actual, op, want);
  }

  function compareInterval(actual, op, expected) {
    var lo = actual.lo, hi = actual.hi;
    if (op === 'in' || op === 'not_in') {
      var numbers = expected.filter(isNumber);
      var inside;
      if (lo === hi) inside = numbers.indexOf(lo) >= 0;
      else if (!numbers.some(function (n) { return lo <= n && n <= hi; })) inside = false;
      else inside = null;
      return op === 'in' || inside === null ? inside : !inside;
    }
    if (!isNumber(expected)) return false;
    var n = expected;
    if (op === 'eq' || op === 'ne') {
      var equal = lo === hi && hi === n ? true : (n < lo || n > hi ? false : null);
      return op === 'eq' || equal === null ? equal : !equal;
    }
    if (op === 'lt') return hi < n ? true : (lo >= n ? false : null);
    if (op === 'lte') return hi <= n ? true : (lo > n ? false : null);
    if (op === 'gt') return lo > n ? true : (hi <= n ? false : null);
    return lo >= n ? true : (hi < n ? false : null);
  }

  function kleeneAll(values) {
    if (values.some(function (v) { return v === false; })) return false;
    return values.some(function (v) { return v === null; }) ? null : true;
  }

  function kleeneAny(values) {
    if (values.some(function (v) { return v === true; })) return true;
    return values.some(function (v) { return v === null; }) ? null : false;
  }

  /* One visit (the JSON of docs/visit-format.md) under the catalog's rules. Members may be incomplete
   * while the resident types: a missing birth date makes age facts unknown, and so on. */
  function Evaluator(visit) {
    var event = EVENTS[visit.event];
    var allByDefault = event ? event.subjects.default === 'all' : true;
    var on = ymd(visit.event_date);
    this.event = visit.event;
    this.members = visit.members;
    this.size = visit.members.length;
    this.householdAnswers = visit.answers || {};
    var subjects = visit.members.map(function (m) {
      return m.subject === null || m.subject === undefined ? allByDefault : !!m.subject;
    });
    this.memberFacts = visit.members.map(function (m, i) {
      var birth = ymd(m.birth_date);
      var known = birth !== null && on !== null;
      return {
        age: known ? ageOn(birth, on) : UNKNOWN,
        legal_age: known ? legalAgeOn(birth, on) : UNKNOWN,
        school_age: known ? schoolAgeOn(birth, on) : UNKNOWN,
        sex: m.sex || UNKNOWN,
        relationship: m.relationship || UNKNOWN,
        is_householder: m.relationship ? m.relationship === 'self' : UNKNOWN,
        is_subject: subjects[i],
        source: 'qr'
      };
    });
    this.householdFacts = {
      household_size: this.size,
      subject_count: subjects.filter(function (s) { return s; }).length
    };
    this.answerCache = {};
    this.factCache = {};
    this.inProgress = [];
  }

  Evaluator.prototype.holds = function (c, member) {
    var self = this;
    if (c.all) return kleeneAll(c.all.map(function (x) { return self.holds(x, member); }));
    if (c.any) return kleeneAny(c.any.map(function (x) { return self.holds(x, member); }));
    if (c.not) {
      var inner = this.holds(c.not, member);
      return inner === null ? null : !inner;
    }
    if (c.event) return c.event.indexOf(this.event) >= 0;
    if (c.any_member) {
      var states = [];
      for (var m = 0; m < this.size; m++) states.push(this.holds(c.any_member, m));
      return kleeneAny(states);
    }
    var actual = c.fact !== undefined ? this.fact(c.fact, member) : this.answer(c.answer, member);
    if (actual === UNKNOWN) return null;
    if (actual === NOT_APPLICABLE) return false;
    if (actual instanceof Interval) return compareInterval(actual, c.op, c.value);
    return compareValue(actual, c.op, c.value);
  };

  Evaluator.prototype.context = function (question, member) {
    return question.scope === 'household' ? null : member;
  };

  Evaluator.prototype.stored = function (question, context) {
    var source = context === null ? this.householdAnswers : (this.members[context].answers || {});
    if (!Object.prototype.hasOwnProperty.call(source, question.id)) return undefined;
    var raw = source[question.id];
    return question.type === 'date' ? { d: raw } : raw;
  };

  Evaluator.prototype.answer = function (questionId, member) {
    var question = QUESTIONS[questionId];
    var context = this.context(question, member);
    var key = questionId + '@' + context;
    if (Object.prototype.hasOwnProperty.call(this.answerCache, key)) return this.answerCache[key];
    if (this.inProgress.indexOf(key) >= 0) throw new Error('cycle at question ' + questionId);
    this.inProgress.push(key);
    var state;
    try {
      state = this.resolve(question, context);
    } finally {
      this.inProgress.pop();
    }
    this.answerCache[key] = state;
    return state;
  };

  Evaluator.prototype.resolve = function (question, context) {
    var applies = this.holds(question.ask_when, context);
    if (applies === false) return question.otherwise !== null ? literal(question.otherwise) : NOT_APPLICABLE;
    if (applies === null) return UNKNOWN;
    var stored = this.stored(question, context);
    if (stored !== undefined) return stored;
    for (var i = 0; i < question.derive.length; i++) {
      var derived = this.holds(question.derive[i].when, context);
      if (derived === null) return UNKNOWN;
      if (derived) return literal(question.derive[i].value);
    }
    return UNKNOWN;
  };

  /* As Evaluator.answer_source in Python: answered, derived, not_applicable, otherwise, waiting, to_ask. */
  Evaluator.prototype.answerSource = function (questionId, member) {
    var question = QUESTIONS[questionId];
    var context = this.context(question, member);
    var applies = this.holds(question.ask_when, context);
    if (applies === false) return question.otherwise !== null ? 'otherwise' : 'not_applicable';
    if (applies === null) return 'waiting';
    if (this.stored(question, context) !== undefined) return 'answered';
    for (var i = 0; i < question.derive.length; i++) {
      var derived = this.holds(question.derive[i].when, context);
      if (derived === null) return 'waiting';
      if (derived) return 'derived';
    }
    return 'to_ask';
  };

  Evaluator.prototype.fact = function (factId, member) {
    if (MEMBER_BUILTINS.indexOf(factId) >= 0) return this.memberFacts[member][factId];
    if (Object.prototype.hasOwnProperty.call(this.householdFacts, factId)) return this.householdFacts[factId];
    var fact = FACTS[factId];
    var context = fact.scope === 'member' ? member : null;
    var key = factId + '@' + context;
    if (Object.prototype.hasOwnProperty.call(this.factCache, key)) return this.factCache[key];
    if (this.inProgress.indexOf('fact:' + key) >= 0) throw new Error('cycle at fact ' + factId);
    this.inProgress.push('fact:' + key);
    var value;
    try {
      if (fact.count) {
        var lo = 0, unknown = 0;
        for (var m = 0; m < this.size; m++) {
          var state = this.holds(fact.count, m);
          if (state === true) lo += 1;
          else if (state === null) unknown += 1;
        }
        value = unknown === 0 ? lo : new Interval(lo, lo + unknown);
      } else {
        var holds = this.holds(fact.when, context);
        value = holds === null ? UNKNOWN : holds;
      }
    } finally {
      this.inProgress.pop();
    }
    this.factCache[key] = value;
    return value;
  };

  /* Every question instance of the catalog with its state: [{id, member, source}] in asking order. */
  function answerSources(visit) {
    var ev = new Evaluator(visit);
    var out = [];
    DATA.questions.forEach(function (q) {
      if (q.scope === 'household') {
        out.push({ id: q.id, member: null, source: ev.answerSource(q.id, null) });
      } else {
        for (var m = 0; m < visit.members.length; m++) {
          out.push({ id: q.id, member: m, source: ev.answerSource(q.id, m) });
        }
      }
    });
    return out;
  }

  /* Every fact of the visit, per member or for the household: for tests against the engine's. */
  function factValues(visit) {
    var ev = new Evaluator(visit);
    function shown(value) {
      if (value === UNKNOWN) return 'unknown';
      if (value instanceof Interval) return [value.lo, value.hi];
      return isDate(value) ? value.d : value;
    }
    var out = [];
    MEMBER_BUILTINS.concat(Object.keys(FACTS)).forEach(function (id) {
      var fact = FACTS[id];
      var perMember = fact ? fact.scope === 'member' : true;
      var contexts = perMember ? visit.members.map(function (_, i) { return i; }) : [null];
      contexts.forEach(function (m) { out.push({ id: id, member: m, value: shown(ev.fact(id, m)) }); });
    });
    Object.keys(ev.householdFacts).forEach(function (id) {
      out.push({ id: id, member: null, value: shown(ev.fact(id, null)) });
    });
    return out;
  }

  // ------------------------------------------------------------------ the resident's input

  var nextUid = 1;
  var state = { event: '', eventDate: { y: '', m: '', d: '' }, members: [], answers: {} };

  function newMember() {
    return {
      uid: nextUid++, name: '', furigana: '', birth: { y: '', m: '', d: '' }, sex: '',
      relationship: state.members.length === 0 ? 'self' : '', address: '', sameAddress: state.members.length > 0,
      subject: null
    };
  }

  function answerKey(question, member) {
    return question.scope === 'household' ? question.id + '@' : question.id + '@' + state.members[member].uid;
  }

  function subjectDefault() {
    var event = EVENTS[state.event];
    return event ? event.subjects.default === 'all' : true;
  }

  /* The visit as docs/visit-format.md describes it; with `onlyUsable`, only answers the counter uses. */
  function currentVisit(onlyUsable) {
    var firstAddress = state.members.length ? state.members[0].address.trim() : '';
    var members = state.members.map(function (m, i) {
      var out = { name: m.name.trim(), birth_date: isoOf(m.birth), sex: m.sex, relationship: m.relationship };
      if (m.furigana.trim()) out.furigana = m.furigana.trim();
      var address = i > 0 && m.sameAddress ? firstAddress : m.address.trim();
      if (address) out.address = address;
      if (m.subject !== null) out.subject = m.subject;
      out.answers = {};
      return out;
    });
    var visit = { event: state.event, event_date: isoOf(state.eventDate), members: members, answers: {} };
    DATA.questions.forEach(function (q) {
      var contexts = q.scope === 'household' ? [null] : members.map(function (_, i) { return i; });
      contexts.forEach(function (i) {
        var key = answerKey(q, i);
        if (!Object.prototype.hasOwnProperty.call(state.answers, key)) return;
        (i === null ? visit.answers : members[i].answers)[q.id] = state.answers[key];
      });
    });
    if (onlyUsable) {
      var ev = new Evaluator(visit);
      var keep = { answers: {}, members: members.map(function () { return {}; }) };
      DATA.questions.forEach(function (q) {
        var contexts = q.scope === 'household' ? [null] : members.map(function (_, i) { return i; });
        contexts.forEach(function (i) {
          if (ev.answerSource(q.id, i) !== 'answered') return;
          if (i === null) keep.answers[q.id] = visit.answers[q.id];
          else keep.members[i][q.id] = members[i].answers[q.id];
        });
      });
      visit.answers = keep.answers;
      members.forEach(function (m, i) { m.answers = keep.members[i]; });
    }
    return visit;
  }

  // ------------------------------------------------------------------ building the page

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') {
        if (tag === 'option') node.textContent = plain(attrs[k]); else put(node, attrs[k]);
      }
      else if (k === 'className') node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function select(name, options, value, onChange) {
    var node = el('select', { name: name });
    options.forEach(function (o) {
      var option = el('option', { value: o[0], text: o[1] });
      if (String(o[0]) === String(value)) option.selected = true;
      node.appendChild(option);
    });
    node.addEventListener('change', function () { onChange(node.value); });
    return node;
  }

  function dateSelects(prefix, parts, years, onChange) {
    var japaneseYears = LANG === 'ja' || LANG === 'ja-easy';
    var yearOptions = [['', t('year')]].concat(years.map(function (y) {
      return [String(y), japaneseYears ? yearLabel(y) : String(y)];
    }));
    var months = [['', t('month')]];
    for (var m = 1; m <= 12; m++) months.push([String(m), t('month_n', { n: m })]);
    var days = [['', t('day')]];
    for (var d = 1; d <= 31; d++) days.push([String(d), t('day_n', { n: d })]);
    function set(key) {
      return function (value) { parts[key] = value; onChange(); };
    }
    return el('span', { className: 'date' }, [
      select(prefix + '-year', yearOptions, parts.y, set('y')),
      select(prefix + '-month', months, parts.m, set('m')),
      select(prefix + '-day', days, parts.d, set('d'))
    ]);
  }

  function range(from, to, step) {
    var out = [];
    for (var i = from; step > 0 ? i <= to : i >= to; i += step) out.push(i);
    return out;
  }

  var thisYear = new Date().getFullYear();

  function renderEvents() {
    var box = document.getElementById('events');
    box.textContent = '';
    DATA.events.forEach(function (event) {
      var input = el('input', { type: 'radio', name: 'event', value: event.id });
      input.checked = state.event === event.id;
      input.addEventListener('change', function () {
        if (state.event !== event.id) {
          state.event = event.id;
          state.answers = {}; // another life event asks other questions
          state.members.forEach(function (m) { m.subject = null; });
        }
        renderEventDate();
        renderMembers();
        changed();
      });
      box.appendChild(el('label', { className: 'choice event' }, [
        input,
        el('span', {}, [
          el('strong', { text: catalogText('events', event.id, 'name', event.name) }),
          event.description ? el('small', { text: catalogText('events', event.id, 'description', event.description) }) : null
        ])
      ]));
    });
  }

  function renderEventDate() {
    var box = document.getElementById('event-date');
    box.textContent = '';
    var event = EVENTS[state.event];
    if (!event) return;
    box.appendChild(el('div', { className: 'field' }, [
      el('span', { className: 'label', text: LANG === 'ja' ? event.date_label : t('event_date', { label: event.date_label }) }),
      dateSelects('event-date', state.eventDate, range(thisYear - 1, thisYear + 1, 1), changed)
    ]));
  }

  function textInput(name, value, attrs, onInput) {
    var input = el('input', Object.assign({ type: 'text', name: name }, attrs || {}));
    input.value = value;
    input.addEventListener('input', function () { onInput(input.value); });
    input.addEventListener('change', changed);
    return input;
  }

  function field(labelText, control, hint) {
    return el('label', { className: 'field' }, [
      el('span', { className: 'label', text: labelText }), control, hint ? el('small', { text: hint }) : null
    ]);
  }

  function renderMembers() {
    var box = document.getElementById('members');
    box.textContent = '';
    var event = EVENTS[state.event];
    state.members.forEach(function (member, index) {
      var card = el('fieldset', { className: 'member', 'data-member': String(index) });
      card.appendChild(el('legend', { text: t('member_n', { n: index + 1 }) }));
      // A name is kept exactly as typed (a residence card's upper-case Latin letters, order and spaces).
      card.appendChild(field(t('name'), textInput('name', member.name, { autocomplete: 'off', maxlength: '100',
        autocapitalize: 'characters', spellcheck: 'false' }, function (v) { member.name = v; }), t('name_hint')));
      card.appendChild(field(t('furigana'), textInput('furigana', member.furigana, { autocomplete: 'off', maxlength: '200' },
        function (v) { member.furigana = v; }), t('furigana_hint')));
      card.appendChild(el('div', { className: 'field' }, [
        el('span', { className: 'label', text: t('birth') }),
        dateSelects('birth', member.birth, range(thisYear, 1900, -1), changed)
      ]));
      card.appendChild(el('div', { className: 'field' }, [
        el('span', { className: 'label', text: t('sex') }),
        select('sex', [['', t('choose')], ['male', t('male')], ['female', t('female')]], member.sex,
          function (v) { member.sex = v; changed(); })
      ]));
      card.appendChild(el('div', { className: 'field' }, [
        el('span', { className: 'label', text: t('relationship') }),
        select('relationship', [['', t('choose')]].concat(DATA.relationships.map(function (r) {
          return [r.value, LANG === 'ja' ? r.label : t('rel_' + r.value)];
        })), member.relationship, function (v) { member.relationship = v; changed(); })
      ]));
      var address = textInput('address', member.address, { autocomplete: 'off', maxlength: '400' },
        function (v) { member.address = v; });
      var addressField = field(t('address'), address);
      if (index > 0) {
        var same = el('input', { type: 'checkbox', name: 'same-address' });
        same.checked = member.sameAddress;
        addressField.hidden = member.sameAddress;
        same.addEventListener('change', function () {
          member.sameAddress = same.checked;
          addressField.hidden = same.checked;
          changed();
        });
        card.appendChild(el('label', { className: 'check' }, [same, el('span', { text: t('same_address') })]));
      }
      card.appendChild(addressField);
      if (event) {
        var subject = el('input', { type: 'checkbox', name: 'subject' });
        subject.checked = member.subject === null ? subjectDefault() : member.subject;
        subject.addEventListener('change', function () { member.subject = subject.checked; changed(); });
        card.appendChild(el('label', { className: 'check' }, [subject, el('span', { text: t('subject', { label: event.subjects.label }) })]));
      }
      if (state.members.length > 1) {
        var remove = el('button', { type: 'button', className: 'remove', text: t('remove') });
        remove.addEventListener('click', function () {
          state.members.splice(index, 1);
          renderMembers();
          changed();
        });
        card.appendChild(remove);
      }
      box.appendChild(card);
    });
    document.getElementById('add-member').hidden = state.members.length >= FORMAT.maxMembers;
  }

  function memberLabel(index) {
    var name = state.members[index].name.trim();
    return name ? t('person', { name: name }) : t('member_n', { n: index + 1 });
  }

  var questionNodes = {};

  function questionNode(question, member, key) {
    var node = el('fieldset', { className: 'question', 'data-question': question.id,
      'data-member': member === null ? '' : String(member) });
    var legend = el('legend', {});
    var who = el('span', { className: 'who' });
    legend.appendChild(who);
    legend.appendChild(el('span', { text: catalogText('questions', question.id, 'text', question.text) }));
    node.appendChild(legend);
    node.whoLabel = who;
    if (question.help) node.appendChild(el('small', { text: catalogText('questions', question.id, 'help', question.help) }));
    var current = state.answers[key];
    function store(value) {
      if (value === undefined) delete state.answers[key];
      else state.answers[key] = value;
      changed();
    }
    var name = 'q-' + key;
    function radio(value, label) {
      var input = el('input', { type: 'radio', name: name, value: String(value) });
      input.checked = current === value;
      input.addEventListener('change', function () { store(value); });
      return el('label', { className: 'choice' }, [input, el('span', { text: label })]);
    }
    var controls = el('div', { className: 'controls' });
    if (question.type === 'yes_no') {
      controls.appendChild(radio(true, t('yes')));
      controls.appendChild(radio(false, t('no')));
    } else if (question.type === 'choice') {
      question.choices.forEach(function (c) { controls.appendChild(radio(c.value, choiceLabel(question, c))); });
    } else {
      var input = el('input', { name: name });
      if (question.type === 'number') {
        input.type = 'number';
        input.inputMode = 'numeric';
        input.step = '1';
        if (question.min !== null) input.min = String(question.min);
        if (question.max !== null) input.max = String(question.max);
      } else if (question.type === 'date') {
        input.type = 'date';
      } else {
        input.type = 'text';
        input.maxLength = 1000;
      }
      input.value = current === undefined ? '' : String(current);
      input.addEventListener('change', function () {
        var text = input.value.trim();
        if (text === '') return store(undefined);
        if (question.type === 'number') {
          var n = Number(text);
          return store(Number.isInteger(n) ? n : text);
        }
        store(text);
      });
      controls.appendChild(input);
    }
    var clear = el('button', { type: 'button', className: 'clear', text: t('clear') });
    clear.addEventListener('click', function () {
      controls.querySelectorAll('input').forEach(function (i) {
        if (i.type === 'radio') i.checked = false; else i.value = '';
      });
      store(undefined);
    });
    controls.appendChild(clear);
    node.appendChild(controls);
    return node;
  }

  function renderQuestions() {
    var box = document.getElementById('questions');
    var hint = document.getElementById('questions-hint');
    if (!state.event) {
      put(hint, t('questions_no_event'));
      box.textContent = '';
      questionNodes = {};
      return;
    }
    var visit = currentVisit(false);
    var ev = new Evaluator(visit);
    var wanted = [];
    DATA.questions.forEach(function (q) {
      var contexts = q.scope === 'household' ? [null] : visit.members.map(function (_, i) { return i; });
      contexts.forEach(function (i) {
        var source = ev.answerSource(q.id, i);
        if (source === 'answered' || source === 'to_ask') wanted.push({ q: q, member: i, key: answerKey(q, i) });
      });
    });
    put(hint, wanted.length ? t('questions_hint') : t('questions_need_members'));
    var keep = {};
    wanted.forEach(function (w, position) {
      var node = questionNodes[w.key] || questionNode(w.q, w.member, w.key);
      put(node.whoLabel, w.member === null ? '' : memberLabel(w.member) + ': ');
      node.setAttribute('data-member', w.member === null ? '' : String(w.member));
      keep[w.key] = node;
      if (box.children[position] !== node) box.insertBefore(node, box.children[position] || null);
    });
    Object.keys(questionNodes).forEach(function (key) {
      if (!keep[key] && questionNodes[key].parentNode) questionNodes[key].parentNode.removeChild(questionNodes[key]);
    });
    questionNodes = keep;
  }

  // ------------------------------------------------------------------ checking and the QR codes

  function problems(visit) {
    var out = [];
    var event = EVENTS[visit.event];
    if (!event) out.push(t('err_event'));
    else if (!ymd(visit.event_date)) out.push(t('err_event_date', { label: event.date_label }));
    var today = todayIso();
    visit.members.forEach(function (m, i) {
      var who = t('member_n', { n: i + 1 });
      if (!m.name) out.push(t('err_name', { who: who }));
      var birth = ymd(m.birth_date);
      if (!birth) out.push(t('err_birth', { who: who }));
      else if (m.birth_date > today) out.push(t('err_birth_future', { who: who }));
      if (!m.sex) out.push(t('err_sex', { who: who }));
      if (!m.relationship) out.push(t('err_relationship', { who: who }));
    });
    if (visit.members.filter(function (m) { return m.relationship === 'self'; }).length > 1) {
      out.push(t('err_one_head'));
    }
    if (event) {
      var allByDefault = event.subjects.default === 'all';
      var count = visit.members.filter(function (m) {
        return m.subject === undefined ? allByDefault : m.subject;
      }).length;
      var rule = event.subjects;
      if (count < rule.min || (rule.max !== null && count > rule.max)) {
        var expected = rule.max === null ? t('n_or_more', { n: rule.min })
          : (rule.min === rule.max ? t('n_people', { n: rule.min }) : t('n_to_m', { a: rule.min, b: rule.max }));
        out.push(t('err_subjects', { label: rule.label, expected: expected, count: count }));
      }
    }
    DATA.questions.forEach(function (q) {
      if (q.type !== 'number') return;
      function check(value, who) {
        if (value === undefined) return;
        var text = catalogText('questions', q.id, 'text', q.text);
        if (typeof value !== 'number' || !Number.isInteger(value)) out.push(t('err_integer', { who: who, question: text }));
        else if (q.min !== null && value < q.min) out.push(t('err_min', { who: who, question: text, n: q.min }));
        else if (q.max !== null && value > q.max) out.push(t('err_max', { who: who, question: text, n: q.max }));
      }
      if (q.scope === 'household') check(visit.answers[q.id], '');
      else visit.members.forEach(function (m, i) { check(m.answers[q.id], t('member_of', { n: i + 1 })); });
    });
    return out;
  }

  function buildDocument() {
    var visit = currentVisit(true);
    var found = problems(visit);
    if (found.length) return { problems: found };
    visit.members.forEach(function (m) {
      if (!Object.keys(m.answers).length) delete m.answers;
    });
    if (!Object.keys(visit.answers).length) delete visit.answers;
    return {
      problems: [],
      document: {
        catalog: DATA.catalog.id,
        catalog_version: DATA.catalog.version,
        created: todayIso(),
        visit: visit
      }
    };
  }

  function drawQr(text) {
    var qr = window.qrcode(0, FORMAT.errorCorrection);
    qr.addData(text, 'Alphanumeric');
    qr.make();
    var modules = qr.getModuleCount();
    var cell = FORMAT.cellPixels;
    var quiet = 4;
    var size = (modules + 2 * quiet) * cell;
    var canvas = document.createElement('canvas');
    canvas.width = size;
    canvas.height = size;
    var ctx = canvas.getContext('2d');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, size, size);
    ctx.fillStyle = '#000000';
    for (var r = 0; r < modules; r++) {
      for (var c = 0; c < modules; c++) {
        if (qr.isDark(r, c)) ctx.fillRect((c + quiet) * cell, (r + quiet) * cell, cell, cell);
      }
    }
    return canvas.toDataURL('image/png');
  }

  function makeQr() {
    var out = document.getElementById('qr-output');
    var errors = document.getElementById('errors');
    out.textContent = '';
    errors.textContent = '';
    var built = buildDocument();
    if (built.problems.length) {
      errors.appendChild(el('p', { text: t('check_these') }));
      errors.appendChild(el('ul', {}, built.problems.map(function (p) { return el('li', { text: p }); })));
      errors.scrollIntoView({ block: 'start' });
      return;
    }
    var texts;
    try {
      texts = frameParts(compress(built.document));
    } catch (e) {
      errors.appendChild(el('p', { text: t('too_much') }));
      return;
    }
    var total = texts.length;
    /* One code per screen: a large "n / N", the code sized to fit the screen, 戻る / 次へ. */
    var viewer = el('section', { className: 'qr-viewer', id: 'qr-viewer' });
    var counter = el('p', { className: 'qr-counter', id: 'qr-counter', 'aria-live': 'polite' });
    viewer.appendChild(counter);
    var figures = texts.map(function (text, i) {
      var url = drawQr(text);
      var img = el('img', { className: 'qr', alt: plain(t('qr_n', { i: i + 1, n: total })), src: url,
        'data-part': String(i + 1) });
      var save = el('a', { className: 'save', href: url, download: 'madoguchi-qr-' + (i + 1) + '-of-' + total + '.png',
        text: t('save_image') });
      var figure = el('figure', { className: 'qr-part' }, [
        img, el('figcaption', { text: t('qr_n', { i: i + 1, n: total }) }), save
      ]);
      viewer.appendChild(figure);
      return figure;
    });
    var back = el('button', { type: 'button', id: 'qr-back', text: t('back') });
    var next = el('button', { type: 'button', id: 'qr-next', className: 'primary', text: t('next') });
    viewer.appendChild(el('div', { className: 'qr-nav' }, [back, next]));
    viewer.appendChild(el('p', { className: 'hint', text: total === 1 ? t('show_one') : t('show_many', { n: total }) }));
    var current = 0;
    function show(index) {
      current = Math.max(0, Math.min(total - 1, index));
      figures.forEach(function (f, i) { f.hidden = i !== current; });
      counter.textContent = (current + 1) + ' / ' + total;
      back.disabled = current === 0;
      next.disabled = current === total - 1;
      viewer.scrollIntoView({ block: 'start' });
    }
    back.addEventListener('click', function () { show(current - 1); });
    next.addEventListener('click', function () { show(current + 1); });
    out.appendChild(viewer);
    var visit = built.document.visit;
    var answers = Object.keys(visit.answers || {}).length + visit.members.reduce(function (n, m) {
      return n + Object.keys(m.answers || {}).length;
    }, 0);
    var eventName = catalogText('events', visit.event, 'name', EVENTS[visit.event].name);
    out.appendChild(el('p', { className: 'summary', text: t('summary', { event: eventName,
      members: visit.members.length, answers: answers, date: built.document.created }) }));
    out.appendChild(el('p', { className: 'hint', text: t('close_hint') }));
    var print = el('button', { type: 'button', text: t('print') });
    print.addEventListener('click', function () { window.print(); });
    out.appendChild(print);
    document.body.classList.add('has-qr');
    show(0);
  }

  function changed() {
    var out = document.getElementById('qr-output');
    if (document.body.classList.contains('has-qr')) {
      out.textContent = '';
      out.appendChild(el('p', { className: 'stale', text: t('stale') }));
      document.body.classList.remove('has-qr');
    }
    renderQuestions();
  }

  function reset() {
    state = { event: '', eventDate: { y: '', m: '', d: '' }, members: [], answers: {} };
    state.members.push(newMember());
    questionNodes = {};
    document.getElementById('questions').textContent = '';
    document.getElementById('qr-output').textContent = '';
    document.getElementById('errors').textContent = '';
    document.body.classList.remove('has-qr');
    renderEvents();
    renderEventDate();
    renderMembers();
    renderQuestions();
  }

  document.getElementById('add-member').addEventListener('click', function () {
    state.members.push(newMember());
    renderMembers();
    changed();
  });
  document.getElementById('make-qr').addEventListener('click', makeQr);
  document.getElementById('reset').addEventListener('click', function () {
    if (window.confirm(plain(t('confirm_reset')))) reset();
  });

  /* The page's own texts in the HTML carry data-i18n="key". */
  function applyStatic() {
    document.documentElement.lang = LANG === 'ja-easy' ? 'ja' : LANG;
    // The municipality by its English name for readers of other scripts (its Japanese is in the footer).
    var municipality = LANG === 'ja' || LANG === 'ja-easy' ? DATA.catalog.municipality : DATA.catalog.municipality_en;
    Array.prototype.forEach.call(document.querySelectorAll('[data-i18n]'), function (node) {
      put(node, t(node.getAttribute('data-i18n'), { municipality: municipality,
        catalog: DATA.catalog.id, version: DATA.catalog.version }));
    });
    document.title = plain(t('title', { municipality: municipality }));
  }

  function setLanguage(code) {
    LANG = DATA.ui[code] ? code : 'ja';
    document.getElementById('language').value = LANG;
    applyStatic();
    questionNodes = {};
    document.getElementById('questions').textContent = '';
    var hadQr = document.body.classList.contains('has-qr');
    renderEvents();
    renderEventDate();
    renderMembers();
    renderQuestions();
    if (hadQr) makeQr(); // the same codes: they carry ids and values, never words of a language
  }

  var chooser = document.getElementById('language');
  DATA.languages.forEach(function (l) {
    chooser.appendChild(el('option', { value: l.code, text: l.name }));
  });
  chooser.addEventListener('change', function () { setLanguage(chooser.value); });
  reset();

  /* For tests and for a municipality checking its catalog: the rules and the format, nothing else. */
  window.MadoguchiPrefill = {
    answerSources: answerSources,
    factValues: factValues,
    frameParts: function (bytes) { return frameParts(new Uint8Array(bytes)); },
    compress: function (documentObject) { return Array.from(compress(documentObject)); },
    buildDocument: buildDocument,
    currentVisit: currentVisit,
    setLanguage: setLanguage
  };
})();
