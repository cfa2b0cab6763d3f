"""Translations of a catalog for residents: per language, per procedure and item, as data.

The texts a resident reads on the guide sheet (a procedure's name, why it is needed, its deadline and
note, the things to bring) are kept in one file per language, ``<catalog folder>/i18n/<code>.yaml``,
apart from the procedure files so that translators and rule editors never edit the same file:

```yaml
language: zh-Hans
procedures:
  tennyu_todoke:
    name: 迁入申报(転入届)
    reason: 您从其他市区町村搬到这里
    deadline: 开始居住之日起14天内
    note: …                 # optional, like the procedure's note
items:
  id_document:
    name: 身份证明文件(个人编号卡、驾驶执照、护照等)
counters:                   # optional: where to go, in the resident's language
  jumin: {name: …, place: …}
```

A municipality's folder has its own ``i18n/`` for its programmes (and may re-translate a base entry);
its entries are put on top of the base's, like the rest of the catalog. English is not in these files:
it is the catalog's own ``name_en`` / ``reason_en`` … twins. A text that is missing is never replaced
silently: :meth:`Translations.procedure` returns ``None`` and the guide sheet prints the Japanese with a
visible note; ``madoguchi catalog check`` warns with the count per language (:func:`translation_issues`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, ValidationError

from procedures.errors import CatalogIssue, Severity
from procedures.positions import LocatedDocument, load_yaml_file
from procedures.templates import TemplateSyntaxError, placeholders
from procedures.validation_messages import iter_messages

if TYPE_CHECKING:
    from procedures.catalog import Catalog


@dataclass(frozen=True, slots=True)
class Language:
    code: str
    name: str  # in the language itself, as the resident chooses it
    name_ja: str  # as staff know it
    easy_japanese: bool = False


LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language("ja-easy", "やさしい にほんご", "やさしい日本語", easy_japanese=True),
        Language("en", "English", "英語"),
        Language("zh-Hans", "中文(简体)", "中国語(簡体字)"),
        Language("ko", "한국어", "韓国語"),
        Language("vi", "Tiếng Việt", "ベトナム語"),
        Language("pt-BR", "Português (Brasil)", "ポルトガル語(ブラジル)"),
        Language("ne", "नेपाली", "ネパール語"),
        Language("fil", "Filipino", "フィリピノ語"),
        Language("id", "Bahasa Indonesia", "インドネシア語"),
    )
}
"""Every language the resident can choose besides Japanese, in the order they are offered."""

I18N_DIR = "i18n"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ProcedureText(_Model):
    name: str
    reason: str
    deadline: str = ""
    note: str = ""


class ItemText(_Model):
    name: str
    note: str = ""


class CounterText(_Model):
    name: str
    place: str = ""


class EventText(_Model):
    name: str
    description: str = ""


class QuestionText(_Model):
    text: str
    help: str = ""
    choices: dict[str, str] = {}


class TranslationFile(_Model):
    language: str
    procedures: dict[str, ProcedureText] = {}
    items: dict[str, ItemText] = {}
    counters: dict[str, CounterText] = {}
    events: dict[str, EventText] = {}
    questions: dict[str, QuestionText] = {}


@dataclass(frozen=True)
class Translations:
    """Every language's texts for one (merged) catalog; English comes from the catalog itself."""

    catalog: Catalog
    files: Mapping[str, TranslationFile] = field(default_factory=dict)
    issues: tuple[CatalogIssue, ...] = ()
    stale: Mapping[str, frozenset[tuple[str, str]]] = field(default_factory=dict)
    """Per language, ``(kind, id)`` of base translations of entries whose Japanese text the
    municipality changed in ``overrides.yaml`` without translating it again: treated as missing."""

    def procedure(self, language: str, procedure_id: str) -> ProcedureText | None:
        """The procedure's texts in ``language``, or ``None`` when it is not translated."""
        p = self.catalog.procedures.get(procedure_id)
        if p is None:
            return None
        if language == "en":
            return ProcedureText(
                name=p.name_en,
                reason=p.reason_en,
                deadline=p.deadline.text_en if p.deadline else "",
                note=p.note_en,
            )
        translated = self.files.get(language)
        if translated is None or ("procedure", procedure_id) in self.stale.get(language, frozenset()):
            return None
        return translated.procedures.get(procedure_id)

    def item(self, language: str, item_id: str) -> ItemText | None:
        item = self.catalog.items.get(item_id)
        if item is None:
            return None
        if language == "en":
            return ItemText(name=item.name_en, note=item.note_en)
        translated = self.files.get(language)
        if translated is None or ("item", item_id) in self.stale.get(language, frozenset()):
            return None
        return translated.items.get(item_id)

    def counter(self, language: str, counter_id: str) -> CounterText | None:
        counter = self.catalog.counters.get(counter_id)
        if counter is None:
            return None
        if language == "en":
            return CounterText(name=counter.name_en, place=counter.place_en)
        translated = self.files.get(language)
        return translated.counters.get(counter_id) if translated else None

    def event(self, language: str, event_id: str) -> EventText | None:
        event = self.catalog.events.get(event_id)
        if event is None:
            return None
        if language == "en":
            return EventText(name=event.name_en, description=event.description_en)
        translated = self.files.get(language)
        if translated is None or ("event", event_id) in self.stale.get(language, frozenset()):
            return None
        return translated.events.get(event_id)

    def question(self, language: str, question_id: str) -> QuestionText | None:
        question = self.catalog.questions.get(question_id)
        if question is None:
            return None
        if language == "en":
            return QuestionText(
                text=question.text_en,
                help=question.help_en,
                choices={c.value: c.label_en for c in question.choices},
            )
        translated = self.files.get(language)
        if translated is None or ("question", question_id) in self.stale.get(language, frozenset()):
            return None
        return translated.questions.get(question_id)

    def missing(self, language: str) -> Untranslated:
        """Ids of what a resident reads that has no text in ``language``: procedures, the items brought
        for them and their counters (the guide sheet), the kinds of events and the questions with their
        help texts (the pre-fill page)."""
        catalog = self.catalog
        used_items = {i for p in catalog.procedures.values() for i in p.bring}
        used_counters = {p.counter for p in catalog.procedures.values()}
        helps = []
        questions = []
        for qid, question in catalog.questions.items():
            text = self.question(language, qid)
            if text is None:
                questions.append(qid)
            elif question.help and not text.help:
                helps.append(qid)
        return Untranslated(
            procedures=tuple(p for p in catalog.procedures if self.procedure(language, p) is None),
            items=tuple(i for i in catalog.items if i in used_items and self.item(language, i) is None),
            counters=tuple(
                c for c in catalog.counters if c in used_counters and self.counter(language, c) is None
            ),
            events=tuple(e for e in catalog.events if self.event(language, e) is None),
            questions=tuple(questions),
            question_helps=tuple(helps),
        )


@dataclass(frozen=True, slots=True)
class Untranslated:
    """What one language lacks in a catalog (ids, in catalog order)."""

    procedures: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    counters: tuple[str, ...] = ()
    events: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    question_helps: tuple[str, ...] = ()

    def _kinds(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        return (
            ("手続", self.procedures),
            ("持ち物", self.items),
            ("窓口", self.counters),
            ("届出の種類", self.events),
            ("質問", self.questions),
            ("質問の説明", self.question_helps),
        )

    def counts(self) -> list[tuple[str, int]]:
        """Each kind that lacks something, as staff name it, with its count."""
        return [(name, len(ids)) for name, ids in self._kinds() if ids]

    def examples(self, n: int = 3) -> list[str]:
        """The first ``n`` ids lacking a text, procedures first."""
        return [entry for _name, ids in self._kinds() for entry in ids][:n]


def _read_file(
    path: Path, issues: list[CatalogIssue]
) -> tuple[TranslationFile | None, LocatedDocument | None]:
    document = load_yaml_file(path, str(path))
    for problem in document.problems:
        issues.append(CatalogIssue(str(path), problem.line, problem.message))
    if document.problems or document.data is None:
        return None, document
    try:
        return TranslationFile.model_validate(document.data), document
    except ValidationError as exc:
        for path_key, message in iter_messages(exc):
            issues.append(CatalogIssue(str(path), document.line_of(path_key), message))
        return None, document


def _merge(base: TranslationFile, top: TranslationFile) -> TranslationFile:
    return TranslationFile(
        language=top.language,
        procedures={**base.procedures, **top.procedures},
        items={**base.items, **top.items},
        counters={**base.counters, **top.counters},
        events={**base.events, **top.events},
        questions={**base.questions, **top.questions},
    )


def load_translations(catalog: Catalog) -> Translations:
    """The translations of the base's ``i18n/`` folder with the catalog's own on top, and every
    problem found in them (unknown languages or ids, placeholders the Japanese text does not have)."""
    issues: list[CatalogIssue] = []
    files: dict[str, TranslationFile] = {}
    own: dict[str, set[tuple[str, str]]] = {}
    folders = [d for d in (catalog.base_directory, catalog.directory) if d is not None]
    for directory in folders:
        i18n = directory / I18N_DIR
        if not i18n.is_dir():
            continue
        for path in sorted(i18n.iterdir()):
            if path.suffix not in (".yaml", ".yml") or not path.is_file():
                continue
            code = path.stem
            if code not in LANGUAGES or code == "en":
                known = ", ".join(c for c in LANGUAGES if c != "en")
                issues.append(
                    CatalogIssue(
                        str(path),
                        None,
                        f"言語「{code}」の翻訳ファイルは読み込まれません(使える言語: {known}。"
                        "英語はカタログの name_en などに書きます)",
                        Severity.WARNING,
                    )
                )
                continue
            parsed, document = _read_file(path, issues)
            if parsed is None or document is None:
                continue
            if parsed.language != code:
                issues.append(
                    CatalogIssue(
                        str(path),
                        document.line_of(("language",)),
                        f"language「{parsed.language}」がファイル名の言語「{code}」と違います",
                    )
                )
                continue
            _check_ids(catalog, parsed, document, issues)
            files[code] = _merge(files[code], parsed) if code in files else parsed
            if directory == catalog.directory:
                own[code] = (
                    {("procedure", i) for i in parsed.procedures}
                    | {("item", i) for i in parsed.items}
                    | {("event", i) for i in parsed.events}
                    | {("question", i) for i in parsed.questions}
                )
    # A base translation of a text the municipality reworded (葬祭費の額 …) would say the wrong thing.
    reworded = {
        (o.kind, o.ident)
        for o in catalog.overrides
        if not o.disabled and {"name", "reason", "note", "deadline", "text", "help", "choices"} & set(o.keys)
    }
    stale = {code: frozenset(reworded - own.get(code, set())) for code in files}
    return Translations(catalog, files, tuple(issues), stale)


def _check_ids(
    catalog: Catalog, parsed: TranslationFile, document: LocatedDocument, issues: list[CatalogIssue]
) -> None:
    tables: tuple[tuple[str, str, Iterable[str]], ...] = (
        ("procedures", "手続", catalog.procedures),
        ("items", "持ち物", catalog.items),
        ("counters", "窓口", catalog.counters),
        ("events", "届出の種類", catalog.events),
        ("questions", "質問", catalog.questions),
    )
    for key, label, known in tables:
        known_ids = set(known)
        for ident in getattr(parsed, key):
            if ident not in known_ids:
                issues.append(
                    CatalogIssue(
                        document.file,
                        document.line_of((key, ident)),
                        f"翻訳の{label}「{ident}」はカタログにありません(id を確認してください)",
                        Severity.WARNING,
                    )
                )
    for ident, question_text in parsed.questions.items():
        question = catalog.questions.get(ident)
        values = {c.value for c in question.choices} if question is not None else set()
        for value in question_text.choices:
            if question is not None and value not in values:
                issues.append(
                    CatalogIssue(
                        document.file,
                        document.line_of(("questions", ident, "choices", value)),
                        f"翻訳の質問「{ident}」の選択肢「{value}」はカタログにありません",
                        Severity.WARNING,
                    )
                )
    for ident, text in parsed.procedures.items():
        procedure = catalog.procedures.get(ident)
        if procedure is None:
            continue
        try:
            allowed = set(placeholders(procedure.reason))
            used = set(placeholders(text.reason))
        except TemplateSyntaxError as exc:
            issues.append(
                CatalogIssue(document.file, document.line_of(("procedures", ident, "reason")), str(exc))
            )
            continue
        for name in sorted(used - allowed):
            issues.append(
                CatalogIssue(
                    document.file,
                    document.line_of(("procedures", ident, "reason")),
                    f"翻訳の理由にある「{{{name}}}」は日本語の理由にありません",
                )
            )


def translation_issues(catalog: Catalog, translations: Translations | None = None) -> list[CatalogIssue]:
    """Problems in the translation files and, per language, one warning with the counts of what is not
    translated (the guide sheet and the pre-fill page show it in Japanese with a note)."""
    translations = translations or load_translations(catalog)
    issues = list(translations.issues)
    where = str(catalog.directory / I18N_DIR)
    folders = [d for d in (catalog.base_directory, catalog.directory) if d is not None]
    if not any((d / I18N_DIR).is_dir() for d in folders):
        return issues  # a catalog (and base) that offers no translations at all: only Japanese, by design
    for code, language in LANGUAGES.items():
        missing = translations.missing(code)
        counts = missing.counts()
        if not counts:
            continue
        parts = "・".join(f"{name}{count}件" for name, count in counts)
        issues.append(
            CatalogIssue(
                f"{where}/{code}.yaml",
                None,
                f"{language.name_ja}({code})に翻訳されていないものがあります: {parts}"
                f"(例: {', '.join(missing.examples())}。案内シートと事前入力ページには日本語で表示し、"
                "翻訳がないことを注記します)",
                Severity.WARNING,
            )
        )
    return issues
