"""counter_app.presenters.messages: every procedures error becomes one Japanese line with exit code 6."""

from __future__ import annotations

import pytest

from counter_app.presenters.messages import EXIT_DATA, EXIT_ERROR, clerk_message
from procedures.errors import (
    AnswerError,
    CatalogCycleError,
    CatalogError,
    CatalogIssue,
    CatalogNotFoundError,
    ProceduresError,
    Severity,
    SubjectCountError,
    UnknownEventError,
    VisitFormatError,
)

ISSUE = CatalogIssue("cat/procedures/a.yaml", 12, "様式「x」は catalog.yaml の forms にありません")


@pytest.mark.parametrize(
    ("error", "text"),
    [
        (
            CatalogError("cat", [ISSUE, CatalogIssue("cat/items.yaml", 3, "未使用", Severity.WARNING)]),
            "手続カタログに誤りがあります(1件)。"
            "最初の誤り: cat/procedures/a.yaml:12: 様式「x」は catalog.yaml の forms にありません。"
            "`madoguchi catalog check cat` で確認してください。",
        ),
        (
            CatalogNotFoundError("/srv/none", ("default", "sazanami")),
            "手続カタログが見つかりません: /srv/none"
            "(catalog.yaml のあるフォルダーか、同梱の名前 default・sazanami を指定してください)。",
        ),
        (
            VisitFormatError("members[1].birth_date", "日付を YYYY-MM-DD の形で書いてください"),
            "受付の内容(JSON)に誤りがあります: members[1].birth_date: 日付を YYYY-MM-DD の形で書いてください",
        ),
        (
            UnknownEventError(None, ("tennyu", "shibou")),
            "届出の種類が指定されていません(--event か受付の event)。指定できるもの: tennyu, shibou",
        ),
        (
            UnknownEventError("x", ("tennyu",)),
            "届出の種類「x」はこのカタログにありません。指定できるもの: tennyu",
        ),
        (
            AnswerError("insurance", 2, "選択肢(kokuho、employee)のどれかで答えてください"),
            "質問「insurance」への答え(世帯員2)が正しくありません: "
            "選択肢(kokuho、employee)のどれかで答えてください",
        ),
        (
            SubjectCountError("shibou", 0, 1, 1, "亡くなった方"),
            "「亡くなった方」として印をつけた方が0人です。1人にしてください(世帯の画面で対象の方を選び直してください)。",
        ),
        (
            SubjectCountError("shussei", 5, 1, 4, "生まれたお子さん"),
            "「生まれたお子さん」として印をつけた方が5人です。"
            "1〜4人にしてください(世帯の画面で対象の方を選び直してください)。",
        ),
        (
            CatalogCycleError(["question:a", "fact:b", "question:a"]),
            "手続カタログに循環参照があります(question:a → fact:b → question:a)。"
            "`madoguchi catalog check` で確認してください。",
        ),
    ],
)
def test_procedures_errors(error: Exception, text: str) -> None:
    message = clerk_message(error)
    assert message.text == text
    assert message.exit_code == EXIT_DATA


def test_unexpected_procedures_error() -> None:
    message = clerk_message(ProceduresError("internal"))
    assert message.text == "手続の判定ができませんでした。システム担当に連絡してください。"
    assert message.exit_code == EXIT_ERROR
