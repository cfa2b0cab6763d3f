"""Every error a clerk can meet, as one clear Japanese line (and the CLI's exit code).

The one place that maps library errors to words; the kiosk and the CLI both call
:func:`clerk_message`. Messages never contain personal data or a PIN.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from card_reader.qr import QrImageError
    from forms import errors as forms
    from printing.model import PrinterCondition
    from procedures import errors as procedures
    from procedures.prefill import errors as prefill

# The libraries' error modules are imported when a message is asked for, not with this module: the
# kiosk's first screen (and every CLI command) imports this module, and most of those packages are
# loaded only after the window shows (docs/architecture.md, "Start-up order").

# Exit codes of the CLI (README.md, "The `madoguchi` command", and the docs page of each command).
EXIT_ERROR = 1
EXIT_DEVICE = 3  # PC/SC service, reader, card presence
EXIT_PIN = 4  # wrong PIN, confirmation needed
EXIT_LOCKED = 5
EXIT_DATA = 6  # not a My Number card, malformed data, unreadable input
EXIT_REMOVED = 7
EXIT_PRINTER = 8
EXIT_DATABASE = 9  # database unreachable or at another schema version
EXIT_CONFIG = 10  # settings file or environment override unusable
EXIT_AUTH = 11  # supervisor sign-in refused or locked
EXIT_FORMS = 12  # a form cannot be printed: font missing, layout invalid, value that does not fit
EXIT_TAMPERED = 13  # a sealed day of the audit log no longer matches its digest
EXIT_REGISTRY = 14  # the resident registry unreachable, a lookup refused, a broken extract


@dataclass(frozen=True, slots=True)
class ClerkMessage:
    text: str
    exit_code: int = EXIT_ERROR


def clerk_message(error: BaseException) -> ClerkMessage:  # noqa: PLR0915 (one case per error kind)
    """The Japanese line a clerk reads for ``error``."""
    from card_reader import errors as card
    from card_reader.qr import QrImageError
    from counter_app.adapters.registry import model as registry
    from counter_app.adapters.store import errors as store
    from counter_app.settings.config import ConfigError
    from counter_app.workflow.visit_session import SecondHouseholderError, VisitSessionError
    from forms import errors as forms
    from printing import errors as printing
    from procedures import errors as procedures

    match error:
        case card.PcscUnavailableError():
            return ClerkMessage(
                "カードリーダーのサービス(PC/SC)に接続できません。pcscd(Windowsでは Smart Card サービス)が"
                "動いているか確認してください。",
                EXIT_DEVICE,
            )
        case card.NoReaderError(wanted=str(wanted)):
            return ClerkMessage(
                f"カードリーダー「{wanted}」が見つかりません。接続と名前を確認してください。", EXIT_DEVICE
            )
        case card.NoReaderError():
            return ClerkMessage(
                "カードリーダーが接続されていません。USBケーブルを確認してください。", EXIT_DEVICE
            )
        case card.NoCardError():
            return ClerkMessage(
                "カードが置かれていません。マイナンバーカードをリーダーに置いてください。", EXIT_DEVICE
            )
        case card.CardRemovedError():
            return ClerkMessage(
                "読み取り中にカードが離れました。カードをリーダーに置き直して、もう一度読み取ってください。",
                EXIT_REMOVED,
            )
        case card.NotMyNumberCardError():
            return ClerkMessage(
                "マイナンバーカードではないカードです。マイナンバーカードを置いてください。", EXIT_DATA
            )
        case card.PinFormatError():
            return ClerkMessage("暗証番号は数字4桁で入力してください。", EXIT_PIN)
        case card.WrongPinError(tries_left=tries):
            warn = "次に間違えるとロックされます。" if tries == 1 else ""
            return ClerkMessage(f"暗証番号が違います。残り{tries}回です。{warn}", EXIT_PIN)
        case card.LastTryConfirmationRequired():
            return ClerkMessage(
                "暗証番号の残り回数が1回です。間違えるとカードがロックされるため、本人に確認のうえ"
                "最後の1回であることを承認してから入力してください。",
                EXIT_PIN,
            )
        case card.PinLockedError(just_locked=True):
            return ClerkMessage(
                "暗証番号を3回間違えたため、カードがロックされました。ロックの解除は市区町村の窓口"
                "(本人確認書類が必要)でのみできます。",
                EXIT_LOCKED,
            )
        case card.PinLockedError():
            return ClerkMessage(
                "このカードの券面事項入力補助用暗証番号はロックされています。解除は市区町村の窓口"
                "(本人確認書類が必要)でのみできます。手入力で受付を続けてください。",
                EXIT_LOCKED,
            )
        case card.MalformedCardDataError():
            return ClerkMessage(
                "カードの基本4情報を正しく読み取れませんでした(データ形式の異常)。手入力で受付を続けてください。",
                EXIT_DATA,
            )
        case card.StatusWordError(sw=sw):
            return ClerkMessage(
                f"カードが読み取りの命令を受け付けませんでした(応答 {sw:04X})。カードを置き直して、もう一度"
                "読み取ってください。続くときは手入力で受付を続けてください。",
                EXIT_DEVICE,
            )
        case card.CardCommunicationError():
            return ClerkMessage(
                "カードとの通信に失敗しました。カードを置き直して、もう一度読み取ってください。", EXIT_DEVICE
            )
        case QrImageError():
            return _qr_image_message(error)
        case card.CardError():
            return ClerkMessage("カードの読み取りに失敗しました。カードを置き直してください。", EXIT_DEVICE)
        case printing.PrintServiceUnavailableError():
            return ClerkMessage(
                "印刷サービス(CUPS)に接続できません。印刷待ちの書類は保存されています。"
                "印刷サービスが復旧したら「再試行」を押してください。",
                EXIT_PRINTER,
            )
        case printing.PrinterNotFoundError(printer=name):
            return ClerkMessage(
                f"プリンター「{name}」が見つかりません。設定画面でプリンターを選び直してください。",
                EXIT_PRINTER,
            )
        case printing.NoPrinterConfiguredError():
            return ClerkMessage(
                "プリンターが設定されていません。設定画面でプリンターを選んでください。", EXIT_PRINTER
            )
        case printing.PrintJobFailedError():
            return ClerkMessage(
                "印刷が中止されました。プリンターの状態を確認して「再試行」を押してください"
                "(同じ書類が二重に印刷されることはありません)。",
                EXIT_PRINTER,
            )
        case printing.UnsealedFolderError():
            return ClerkMessage(
                "書類をフォルダーに書き出す鍵がないため、何も書き出しませんでした"
                "(個人情報を暗号化せずに保存しないためです)。管理者に連絡してください。",
                EXIT_PRINTER,
            )
        case printing.SpoolCorruptedError():
            return ClerkMessage(
                "印刷待ちの書類を読み出せませんでした。この書類はもう一度作成してください。", EXIT_PRINTER
            )
        case printing.PrintingError():
            return ClerkMessage("印刷できませんでした。プリンターの状態を確認してください。", EXIT_PRINTER)
        case registry.RegistryDataError():
            return ClerkMessage(error.message, EXIT_DATA)
        case registry.RegistryError():
            return ClerkMessage(error.message, EXIT_REGISTRY)
        case store.DatabaseTlsError():
            return ClerkMessage(
                "データベースのサーバー証明書を確認できないため接続しません(通信の暗号化と相手の確認に失敗)。"
                "受付はこのまま続けられます(記録はこの端末に保存します)。システム担当に連絡してください。",
                EXIT_DATABASE,
            )
        case store.DatabaseUnavailableError():
            return ClerkMessage(
                "データベースに接続できません。受付はこのまま続けられます(記録はこの端末に保存し、"
                "接続が戻りしだい自動で送ります)。続くときはシステム担当に連絡してください。",
                EXIT_DATABASE,
            )
        case store.SchemaTooNewError():
            return ClerkMessage(
                "データベースは新しい版のMadoguchiで更新されています。この端末のMadoguchiを更新してください"
                "(記録はこの端末に保存されています)。",
                EXIT_DATABASE,
            )
        case store.SchemaNotReadyError():
            return ClerkMessage(
                "データベースの準備ができていません。"
                "システム担当が `madoguchi db upgrade` を実行してください。",
                EXIT_DATABASE,
            )
        case store.SignInRefusedError():
            return ClerkMessage("ログイン名またはパスワードが違います。", EXIT_AUTH)
        case store.SupervisorLockedError(until=until):
            return ClerkMessage(
                f"パスワードを続けて間違えたため、監督者アカウントを{until.astimezone():%H時%M分}まで"
                "ロックしました。",
                EXIT_AUTH,
            )
        case store.SupervisorRequiredError():
            return ClerkMessage(
                "この操作には監督者のサインインが必要です(無効・ロック中の監督者は操作できません)。"
                "有効な監督者のログイン名とパスワードで操作してください。",
                EXIT_AUTH,
            )
        case store.SelfUnlockError(login=login):
            return ClerkMessage(f"監督者「{login}」のロックは、別の監督者が解除してください。", EXIT_AUTH)
        case store.SupervisorExistsError(login=login):
            return ClerkMessage(f"監督者「{login}」はすでに登録されています。", EXIT_DATA)
        case store.UnknownSupervisorError(login=login):
            return ClerkMessage(f"監督者「{login}」は登録されていません。", EXIT_DATA)
        case store.WeakPasswordError(minimum=minimum):
            return ClerkMessage(f"パスワードは{minimum}文字以上にしてください。", EXIT_DATA)
        case store.LocalWriteError(reason="full"):
            return ClerkMessage(
                "この端末のディスクがいっぱいのため、受付の一時保存と記録ができません。受付はこのまま続けられます"
                "(記録はメモリーに保持し、空きができしだい保存します)。不要なファイルを消すか、システム担当に"
                "連絡してください。",
                EXIT_DATA,
            )
        case store.LocalWriteError(reason="read_only"):
            return ClerkMessage(
                "この端末のデータフォルダーに書き込めません(読み取り専用か権限がありません)。受付はこのまま"
                "続けられます(記録はメモリーに保持し、書き込めるようになりしだい保存します)。システム担当に"
                "連絡してください。",
                EXIT_DATA,
            )
        case store.LocalWriteError():
            return ClerkMessage(
                "この端末のディスクに書き込めません(ディスクの異常)。受付はこのまま続けられます"
                "(記録はメモリーに保持し、書き込めるようになりしだい保存します)。システム担当に連絡してください。",
                EXIT_DATA,
            )
        case store.DraftsNotKeptError():
            return ClerkMessage(
                "この端末には受付の一時保存を安全に暗号化する鍵の置き場所(OSのキーストア)がないため、"
                "一時保存はしません。受付はこのまま続けられます(途中で終了すると入力内容は残りません)。"
                "システム担当に連絡してください。",
                EXIT_ERROR,
            )
        case store.DraftKeyUnavailableError():
            return ClerkMessage(
                "一時保存した受付の暗号鍵を保管しているOSのキーストアが使えません。パソコンにサインインし直すか、"
                "システム担当に連絡してください。",
                EXIT_ERROR,
            )
        case store.DraftError():
            return ClerkMessage(
                "一時保存した受付を読み込めませんでした。最初から受付してください。", EXIT_DATA
            )
        case store.RecordError():
            return ClerkMessage(
                "記録する内容に誤りがあるため記録できません(個人情報や不正な値は記録しません)。"
                "システム担当に連絡してください。",
                EXIT_DATA,
            )
        case store.StoreError():
            return ClerkMessage(
                "記録の保存で問題が起きました。システム担当に連絡してください。", EXIT_DATABASE
            )
        case ConfigError(source=source, key=str(key), reason=reason):
            return ClerkMessage(f"設定ファイルに誤りがあります({source} の {key}): {reason}", EXIT_CONFIG)
        case ConfigError(source=source, reason=reason):
            return ClerkMessage(f"設定ファイルに誤りがあります({source}): {reason}", EXIT_CONFIG)
        case SecondHouseholderError():
            return ClerkMessage("世帯主は1人だけです。ほかの方の続柄を確かめてください。", EXIT_DATA)
        case VisitSessionError():
            return ClerkMessage(
                "この受付ではその操作はできません。画面の案内に沿って操作し、続くときは受付をやり直してください。",
                EXIT_ERROR,
            )
        case forms.FormsError():
            return _forms_message(error)
        case procedures.ProceduresError():
            return _procedures_message(error)
        case FileNotFoundError():
            return ClerkMessage(f"ファイルが見つかりません: {error.filename}", EXIT_DATA)
        case OSError() if error.filename is not None or error.errno in (errno.ENOSPC, errno.EROFS):
            return _file_message(error)
        case _:
            return ClerkMessage(f"予期しないエラーが発生しました({type(error).__name__})。", EXIT_ERROR)


def _file_message(error: OSError) -> ClerkMessage:
    """A file or folder the command could not read or write (``--out`` an existing file, no space …)."""
    name = error.filename if error.filename is not None else ""
    where = f": {name}" if name else ""
    match error:
        case FileExistsError():
            text = (
                f"同じ名前のファイルかフォルダーがすでにあります{where}。"
                "別の名前か空のフォルダーを指定してください。"
            )
        case IsADirectoryError():
            text = f"フォルダーではなくファイルを指定してください{where}"
        case NotADirectoryError():
            text = f"フォルダーを指定してください(同じ名前のファイルがあります){where}"
        case PermissionError():
            text = f"ファイルを読み書きする権限がありません{where}。保存先を確かめてください。"
        case _ if error.errno == errno.ENOSPC:
            text = (
                f"ディスクの空きがありません{where}。不要なファイルを消すか、システム担当に連絡してください。"
            )
        case _ if error.errno == errno.EROFS:
            text = f"書き込みできない場所です(読み取り専用){where}。保存先を確かめてください。"
        case _:
            text = f"ファイルを読み書きできませんでした{where}。ファイルと保存先を確かめてください。"
    return ClerkMessage(text, EXIT_DATA)


def _procedures_message(error: procedures.ProceduresError) -> ClerkMessage:
    """The clerk's line for an error of the procedures package (catalog, visit, answers)."""
    from procedures import errors as procedures
    from procedures.handoff.csvfile import HandoffFileError
    from procedures.prefill import errors as prefill

    match error:
        case procedures.CatalogError(directory=directory, errors=errors):
            first = f"最初の誤り: {errors[0]}。" if errors else ""
            return ClerkMessage(
                f"手続カタログに誤りがあります({len(errors)}件)。{first}"
                f"`madoguchi catalog check {directory}` で確認してください。",
                EXIT_DATA,
            )
        case procedures.CatalogNotFoundError(wanted=wanted, shipped=shipped):
            names = "・".join(shipped)
            return ClerkMessage(
                f"手続カタログが見つかりません: {wanted}"
                f"(catalog.yaml のあるフォルダーか、同梱の名前 {names} を指定してください)。",
                EXIT_DATA,
            )
        case procedures.VisitFormatError(location=location, problem=problem):
            where = f"{location}: " if location else ""
            return ClerkMessage(f"受付の内容(JSON)に誤りがあります: {where}{problem}", EXIT_DATA)
        case procedures.UnknownEventError(event_id=None, known=known):
            return ClerkMessage(
                f"届出の種類が指定されていません(--event か受付の event)。指定できるもの: {', '.join(known)}",
                EXIT_DATA,
            )
        case procedures.UnknownEventError(event_id=event_id, known=known):
            return ClerkMessage(
                f"届出の種類「{event_id}」はこのカタログにありません。指定できるもの: {', '.join(known)}",
                EXIT_DATA,
            )
        case procedures.AnswerError(question_id=question_id, member=member, problem=problem):
            who = "世帯" if member is None else f"世帯員{member}"
            return ClerkMessage(
                f"質問「{question_id}」への答え({who})が正しくありません: {problem}", EXIT_DATA
            )
        case procedures.SubjectCountError(label=label, count=count, minimum=low, maximum=high):
            expected = f"{low}人以上" if high is None else (f"{low}人" if low == high else f"{low}〜{high}人")
            return ClerkMessage(
                f"「{label}」として印をつけた方が{count}人です。{expected}にしてください"
                "(世帯の画面で対象の方を選び直してください)。",
                EXIT_DATA,
            )
        case procedures.CatalogCycleError(chain=chain):
            return ClerkMessage(
                f"手続カタログに循環参照があります({' → '.join(chain)})。"
                "`madoguchi catalog check` で確認してください。",
                EXIT_DATA,
            )
        case HandoffFileError(problem=problem):
            return ClerkMessage(f"引き渡しファイルがレイアウトと合いません: {problem}", EXIT_DATA)
        case prefill.PrefillError():
            return _prefill_message(error)
        case _:
            return ClerkMessage("手続の判定ができませんでした。システム担当に連絡してください。", EXIT_ERROR)


_SCANNER_LAYOUT_HINT = (
    "キーボード入力型のスキャナーでは、スキャナーのキーボード配列(日本語/英語)の設定がパソコンと"
    "合っているか確認してください。"
)


def _prefill_message(error: prefill.PrefillError) -> ClerkMessage:
    """The clerk's line for a pre-fill QR code that gives nothing usable (docs/qr-format.md)."""
    from procedures.prefill import errors as prefill

    match error:
        case prefill.ForeignCodeError(kind=prefill.ForeignKind.URL):
            return ClerkMessage(
                "読み取ったQRコードはウェブサイトのアドレス(URL)です。事前入力ページで作成した"
                "QRコードを表示してもらってください。",
                EXIT_DATA,
            )
        case prefill.ForeignCodeError(kind=prefill.ForeignKind.PAYMENT):
            return ClerkMessage(
                "読み取ったQRコードは支払い用のコードです。事前入力ページで作成したQRコードを表示して"
                "もらってください。",
                EXIT_DATA,
            )
        case prefill.ForeignCodeError(kind=prefill.ForeignKind.FORM):
            return ClerkMessage(
                "読み取ったQRコードは窓口で印刷した書類の処理用のコードで、事前入力のQRコードではありません。",
                EXIT_DATA,
            )
        case prefill.ForeignCodeError():
            return ClerkMessage(
                "読み取ったQRコードは事前入力のQRコードではありません。事前入力ページで作成したQRコードを"
                "表示してもらってください。",
                EXIT_DATA,
            )
        case prefill.UnknownVersionError(version=found, supported=supported):
            return ClerkMessage(
                f"このQRコードの形式(MDP{found})には、この端末のMadoguchi(MDP{supported}に対応)は"
                "対応していません。Madoguchiを更新するまでは手入力で受付してください。",
                EXIT_DATA,
            )
        case (
            prefill.PartFormatError(keyboard_suspect=True) | prefill.PartChecksumError(keyboard_suspect=True)
        ):
            return ClerkMessage(
                "スキャナーから届いた文字が崩れていて、QRコードの内容を確かめられません。"
                + _SCANNER_LAYOUT_HINT,
                EXIT_DATA,
            )
        case prefill.PartFormatError():
            return ClerkMessage(
                "QRコードの内容が途中で切れているか、形式が正しくありません。もう一度読み取ってください。",
                EXIT_DATA,
            )
        case prefill.PartChecksumError(part=int(part)):
            return ClerkMessage(
                f"{part}番目のQRコードを正しく読み取れませんでした(検査用の値が一致しません)。"
                "もう一度読み取ってください。続くときは事前入力ページでQRコードを作り直してもらってください。",
                EXIT_DATA,
            )
        case prefill.PartChecksumError():
            return ClerkMessage(
                "QRコードを正しく読み取れませんでした(検査用の値が一致しません)。もう一度読み取ってください。",
                EXIT_DATA,
            )
        case prefill.MixedSetsError(received=received, total=total):
            done = "・".join(f"{i}/{total}" for i in received)
            return ClerkMessage(
                f"別の組のQRコードが読み取られました(読み取り中の組: {done} 読み取り済み)。"
                "同じ画面に表示されたQRコードだけを読み取るか、読み取りを最初からやり直してください。",
                EXIT_DATA,
            )
        case prefill.MissingPartsError(missing=missing, total=total) if total:
            names = "・".join(f"{i}/{total}" for i in missing)
            return ClerkMessage(f"QRコードがそろっていません。{names} も読み取ってください。", EXIT_DATA)
        case prefill.MissingPartsError():
            return ClerkMessage("事前入力のQRコードがまだ読み取られていません。", EXIT_DATA)
        case prefill.SetChecksumError():
            return ClerkMessage(
                "QRコードの内容が壊れています(全体の検査用の値が一致しません)。事前入力ページでQRコードを"
                "作り直してもらうか、手入力で受付してください。",
                EXIT_DATA,
            )
        case prefill.PrefillContentError(detail=str(detail)) if detail:
            return ClerkMessage(
                f"QRコードは読み取れましたが、受付に使える世帯の方の情報がありません({detail})。"
                "手入力で受付してください。",
                EXIT_DATA,
            )
        case prefill.PrefillContentError():
            return ClerkMessage(
                "QRコードは読み取れましたが、受付に使える世帯の方の情報がありません。手入力で受付してください。",
                EXIT_DATA,
            )
        case _:
            return ClerkMessage(
                "事前入力のQRコードを読み取れませんでした。手入力で受付してください。", EXIT_DATA
            )


def _qr_image_message(error: QrImageError) -> ClerkMessage:
    """The clerk's line for an image (file or camera frame) that cannot be scanned for QR codes."""
    where = f": {error.path}" if error.path else ""
    if error.reason.startswith("file not found"):
        return ClerkMessage(f"画像ファイルが見つかりません{where}", EXIT_DATA)
    if error.reason.startswith("not a readable image"):
        return ClerkMessage(
            f"画像ファイルとして読み取れません(PNG・JPEG などを指定してください){where}", EXIT_DATA
        )
    if error.reason.startswith("file too large"):
        return ClerkMessage(
            f"画像ファイルが大きすぎます(30 MB まで)。QRコードの部分だけの画像を指定してください{where}",
            EXIT_DATA,
        )
    if error.reason.startswith("too many pixels"):
        return ClerkMessage(
            "画像の画素数が多すぎます(5,000万画素まで)。QRコードの部分を切り抜くか縮小した画像を"
            f"指定してください{where}",
            EXIT_DATA,
        )
    if error.reason.startswith("zbar is older"):
        return ClerkMessage(
            "QRコードの読み取りに使う zbar が古すぎます(0.23 以上が必要です)。"
            "システム担当に連絡してください。",
            EXIT_ERROR,
        )
    return ClerkMessage(f"画像からQRコードを読み取れませんでした{where}", EXIT_DATA)


def _forms_message(error: forms.FormsError) -> ClerkMessage:
    """The clerk's line for an error of the forms package (printing a pre-filled form)."""
    from forms import errors as forms
    from forms.gaiji import GaijiError

    match error:
        case forms.FontMissingError(family=family, file_name=file_name, package=package):
            return ClerkMessage(
                f"書類の印刷に必要なフォント「{family}」({file_name})が見つかりません。"
                f"{package} をインストールするか、設定でフォントのフォルダを指定してください。",
                EXIT_FORMS,
            )
        case forms.GlyphMissingError(form_id=form_id, field=field) if field:
            return ClerkMessage(
                f"書類「{form_id}」の項目「{field}」に、印刷できるフォントのない文字({error.code_points})があります。"
                "外字の登録を確認してください。",
                EXIT_FORMS,
            )
        case forms.GlyphMissingError():
            return ClerkMessage(
                f"印刷できるフォントのない文字({error.code_points})があります。外字の登録を確認してください。",
                EXIT_FORMS,
            )
        case GaijiError(folder=folder, problems=problems):
            return ClerkMessage(f"外字の登録({folder})に誤りがあります: {'、'.join(problems)}", EXIT_FORMS)
        case forms.TextDoesNotFitError(title=title, label=label, field=field, fits_at=fits_at):
            fix = (
                f"文字を{fits_at:g}ポイントに小さくして印刷するか、内容を修正してください"
                if fits_at is not None
                else "内容を修正するか、様式の枠を広げてください"
            )
            return ClerkMessage(
                f"書類「{title}」の「{label}」({field})の内容が長すぎて枠に収まりません。"
                f"{fix}(印字を欠けさせることはしません)。",
                EXIT_FORMS,
            )
        case forms.FieldValueError(form_id=form_id, field=field, reason=reason):
            return ClerkMessage(
                f"書類「{form_id}」の項目「{field}」の値が正しくありません: {reason}", EXIT_DATA
            )
        case forms.TooManyRowsError(form_id=form_id, rows=rows, capacity=capacity):
            return ClerkMessage(
                f"書類「{form_id}」に載せる人数({rows}人)が様式の行数({capacity}行)を超え、続紙もありません。",
                EXIT_FORMS,
            )
        case forms.UnknownFormError(form_id=form_id):
            return ClerkMessage(
                f"書類の様式「{form_id}」が見つかりません。様式のフォルダを確認してください。", EXIT_FORMS
            )
        case forms.LayoutError(problems=problems):
            first = problems[0] if problems else ""
            more = f"ほか{len(problems) - 1}件" if len(problems) > 1 else ""
            return ClerkMessage(f"書類の様式に誤りがあります: {first}{more}", EXIT_FORMS)
        case forms.QrPayloadTooLargeError(form_id=form_id):
            return ClerkMessage(
                f"書類「{form_id}」の処理用QRコードに内容が入りきりません。様式のQRコードを大きくしてください。",
                EXIT_FORMS,
            )
        case forms.QrPayloadError():
            return ClerkMessage("読み取ったQRコードは窓口の書類のものではないか、破損しています。", EXIT_DATA)
        case forms.WarekiRangeError():
            return ClerkMessage(
                "明治6年より前の日付は和暦で印刷できません。日付を確認してください。", EXIT_DATA
            )
        case _:
            return ClerkMessage("書類を作成できませんでした。システム担当に連絡してください。", EXIT_FORMS)


_PRINTER_CONDITIONS = {  # by PrinterCondition's name (printing is not imported before it is used)
    "READY": "印刷できます。",
    "OFFLINE": "プリンターがオフラインです。電源とケーブル(ネットワーク)を確認してください。"
    "つながると自動で印刷を続けます。",
    "PAPER_OUT": "用紙がありません。用紙を補給すると印刷を続けます。",
    "PAPER_JAM": "紙詰まりです。詰まった用紙を取り除いてください。",
    "TONER_OUT": "トナー(インク)がありません。交換してください。",
    "DOOR_OPEN": "プリンターのカバーが開いています。閉じてください。",
    "STOPPED": "プリンターが停止しています。原因を取り除いてから「再試行」を押してください。",
    "NOT_ACCEPTING": "プリンターが印刷を受け付けていません。「再試行」を押してください。",
    "OTHER_ERROR": "プリンターにエラーが出ています。プリンターの表示を確認してください。",
}


def printer_condition_message(condition: PrinterCondition) -> str:
    """What the clerk reads while a job waits on the printer."""
    return _PRINTER_CONDITIONS[condition.name]
