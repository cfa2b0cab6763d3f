# ruff: noqa: E501 - one text per line, as translators read them
"""Why a deadline is not the period's last day, in the resident's language.

The engine says it in Japanese and English (:class:`procedures.deadlines.Deadline` ``note`` /
``note_en``: 期限の6月15日(日)は閉庁日のため、翌開庁日の6月16日(月)まで). For the other languages of the guide
sheet the same three cases are said here, with the dates written as the resident reads them
(:func:`forms.guide_bilingual.format_date`); the closed day's own name (祝日, 年末年始 …) is the
municipality's Japanese word and is left out — the date and its weekday are given.
"""

from __future__ import annotations

from typing import Final

from forms.guide_bilingual import format_date
from procedures.deadlines import ClosedDayRule, Deadline

NOTES: Final[dict[str, dict[ClosedDayRule, str]]] = {
    "ja-easy": {
        ClosedDayRule.MOVED: "最後《さいご》の日《ひ》の{end}は、役所《やくしょ》が休《やす》みです。次《つぎ》に役所《やくしょ》が開《あ》いている日《ひ》、{day}まで大丈夫《だいじょうぶ》です。",
        ClosedDayRule.BEFORE: "{end}は、役所《やくしょ》が休《やす》みです。その前《まえ》の、役所《やくしょ》が開《あ》いている日《ひ》、{day}までに来《き》てください。",
        ClosedDayRule.KEPT: "最後《さいご》の日《ひ》の{end}は、役所《やくしょ》が休《やす》みです。期限《きげん》は延《の》びません。",
    },
    "zh-Hans": {
        ClosedDayRule.MOVED: "最后一天{end}是休息日,期限顺延至下一个办公日{day}。",
        ClosedDayRule.BEFORE: "{end}是休息日,请在此前的办公日{day}之前前来。",
        ClosedDayRule.KEPT: "最后一天{end}是休息日(期限不顺延)。",
    },
    "ko": {
        ClosedDayRule.MOVED: "마지막 날인 {end}은 휴무일이므로, 기한은 다음 개청일인 {day}까지입니다.",
        ClosedDayRule.BEFORE: "{end}은 휴무일이므로, 그 전 개청일인 {day}까지 와 주십시오.",
        ClosedDayRule.KEPT: "마지막 날인 {end}은 휴무일입니다(기한은 연장되지 않습니다).",
    },
    "vi": {
        ClosedDayRule.MOVED: "Ngày cuối cùng ({end}) là ngày cơ quan nghỉ, nên thời hạn được dời đến ngày làm việc tiếp theo: {day}.",
        ClosedDayRule.BEFORE: "{end} là ngày cơ quan nghỉ. Vui lòng đến chậm nhất vào ngày làm việc trước đó: {day}.",
        ClosedDayRule.KEPT: "Ngày cuối cùng ({end}) là ngày cơ quan nghỉ (thời hạn không được kéo dài).",
    },
    "pt-BR": {
        ClosedDayRule.MOVED: "O último dia ({end}) é um dia sem atendimento: o prazo passa para o próximo dia de atendimento, {day}.",
        ClosedDayRule.BEFORE: "{end} é um dia sem atendimento: venha até o dia de atendimento anterior, {day}.",
        ClosedDayRule.KEPT: "O último dia ({end}) é um dia sem atendimento (o prazo não é prorrogado).",
    },
    "ne": {
        ClosedDayRule.MOVED: "अन्तिम दिन ({end}) कार्यालय बिदाको दिन हो, त्यसैले म्याद अर्को कार्यालय खुल्ने दिन {day} सम्म हुन्छ।",
        ClosedDayRule.BEFORE: "{end} कार्यालय बिदाको दिन हो। कृपया त्यसभन्दा अघिको कार्यालय खुल्ने दिन {day} सम्ममा आउनुहोस्।",
        ClosedDayRule.KEPT: "अन्तिम दिन ({end}) कार्यालय बिदाको दिन हो (म्याद थपिँदैन)।",
    },
    "fil": {
        ClosedDayRule.MOVED: "Sarado ang opisina sa huling araw ({end}), kaya ang takdang araw ay ang susunod na araw na bukas ang opisina: {day}.",
        ClosedDayRule.BEFORE: "Sarado ang opisina sa {end}. Pumunta hanggang sa naunang araw na bukas ang opisina: {day}.",
        ClosedDayRule.KEPT: "Sarado ang opisina sa huling araw ({end}) (hindi pinahahaba ang takdang panahon).",
    },
    "id": {
        ClosedDayRule.MOVED: "Hari terakhir ({end}) adalah hari kantor tutup, sehingga batas waktunya menjadi hari kerja berikutnya, {day}.",
        ClosedDayRule.BEFORE: "{end} adalah hari kantor tutup. Silakan datang paling lambat pada hari kerja sebelumnya, {day}.",
        ClosedDayRule.KEPT: "Hari terakhir ({end}) adalah hari kantor tutup (batas waktu tidak diperpanjang).",
    },
}


def closed_day_note(deadline: Deadline, language: str) -> str | None:
    """The note in ``language`` (English: the engine's own), or ``None`` when there is none to give."""
    if language == "en":
        return deadline.note_en or None
    templates = NOTES.get(language)
    rule = deadline.closed
    if templates is None or rule is None or deadline.period_end is None:
        return None
    day = deadline.come_by if rule is ClosedDayRule.BEFORE else deadline.date
    if day is None and rule is not ClosedDayRule.KEPT:
        return None
    return templates[rule].format(
        end=format_date(deadline.period_end, language),
        day=format_date(day, language) if day is not None else "",
    )
