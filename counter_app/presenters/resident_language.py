# ruff: noqa: E501 - one text per line, as translators read them
"""The language of the resident's screen: chosen by the resident, for what the resident reads and
confirms (the PIN prompts, their details, the procedures and why). The clerk's screen stays Japanese.

Plain Python (no Qt): :class:`ResidentLanguage` holds the choice as an observable and gives every text
of the resident's screen in that language; the catalog's procedure names and reasons come from its
translations (``i18n/``), in Japanese followed by the language's note where there is none. The choice
goes back to Japanese when a visit ends: nothing of one resident stays for the next.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Final

from counter_app.presenters.kiosk import KioskPresenter, KioskView, Step
from counter_app.presenters.observable import Observable
from counter_app.workflow.resident_guide import translated_procedure
from procedures.i18n import LANGUAGES
from procedures.prefill.ui_text import ui_strings
from procedures.visit import Member

if TYPE_CHECKING:  # the catalog's models load with the catalog
    from procedures.catalog import Catalog
    from procedures.engine import NeededProcedure

CHOICES: Final[tuple[tuple[str, str], ...]] = (
    ("ja", "日本語"),
    *((code, language.name) for code, language in LANGUAGES.items()),
)

CLERK_CHOICES: Final[tuple[tuple[str, str], ...]] = (
    ("ja", "日本語のみ"),
    *((code, f"{language.name_ja}と日本語") for code, language in LANGUAGES.items()),
)
"""The same choice on the clerk's screen (review page), named as staff know the languages."""

JA: Final[dict[str, str]] = {
    "window_title": "ご本人確認用画面",
    "welcome": "{counter}\nいらっしゃいませ",
    "thanks": "ありがとうございました。書類の内容をご確認のうえ、ご署名ください。",
    "confirm_details": "ご本人の情報をご確認ください",
    "confirm_review": "この内容で書類をお作りします。お間違いがないか、ご確認ください。",
    "procedures": "必要なお手続き",
    "member": "{name}{furigana} 様 — {relationship}",
    "birth_sex": "　生年月日 {birth}　性別 {sex}",
    "address": "　住所 {address}",
    "document_address": "書類に記載する住所: {address}",
    "pin_title": "ご本人確認(マイナンバーカード)",
    "tries": "暗証番号の残り回数: {n}回",
    "pin_enter": "暗証番号(数字4桁)を入力してください",
    "pin_last": "最後の1回です。ゆっくり入力してください",
    "checking": "カードを確認しています…",
    "reading": "読み取っています…",
    "done": "読み取りました",
    "last_try_wait": "残り1回です。係員がご案内しますので、少しお待ちください",
    "staff": "係員がご案内しますので、少しお待ちください",
    "back": "訂正",
    "ok": "決定",
    "language": "言語 / Language",
    "untranslated": "",
}

TRANSLATIONS: Final[dict[str, dict[str, str]]] = {
    "ja-easy": {
        "window_title": "あなたが見《み》る画面《がめん》",
        "welcome": "{counter}\nようこそ",
        "thanks": "ありがとうございました。書類《しょるい》を見《み》て、名前《なまえ》を書《か》いてください。",
        "confirm_details": "あなたの情報《じょうほう》を見《み》てください",
        "confirm_review": "この内容《ないよう》で書類《しょるい》を作《つく》ります。間違《まちが》いがないか、見《み》てください。",
        "procedures": "必要《ひつよう》な手続《てつづ》き",
        "member": "{name}{furigana} さん — {relationship}",
        "birth_sex": "　生年月日《せいねんがっぴ》 {birth}　性別《せいべつ》 {sex}",
        "address": "　住所《じゅうしょ》 {address}",
        "document_address": "書類《しょるい》に書《か》く住所《じゅうしょ》: {address}",
        "pin_title": "マイナンバーカードで本人確認《ほんにんかくにん》",
        "tries": "暗証番号《あんしょうばんごう》を入《い》れられる回数《かいすう》: あと{n}回《かい》",
        "pin_enter": "暗証番号《あんしょうばんごう》(数字《すうじ》4つ)を入《い》れてください",
        "pin_last": "最後《さいご》の1回《かい》です。ゆっくり入《い》れてください",
        "checking": "カードを確認《かくにん》しています…",
        "reading": "読《よ》んでいます…",
        "done": "読《よ》みました",
        "last_try_wait": "あと1回《かい》です。係《かかり》の人《ひと》が説明《せつめい》します。少《すこ》し待《ま》ってください",
        "staff": "係《かかり》の人《ひと》が説明《せつめい》します。少《すこ》し待《ま》ってください",
        "back": "直《なお》す",
        "ok": "決定《けってい》",
    },
    "en": {
        "window_title": "Your screen",
        "welcome": "{counter}\nWelcome",
        "thanks": "Thank you. Please check the forms and sign them.",
        "confirm_details": "Please check your details",
        "confirm_review": "We will make the forms with these details. Please check that they are correct.",
        "procedures": "Procedures you need",
        "member": "{name}{furigana} — {relationship}",
        "birth_sex": "  Date of birth {birth}  Sex {sex}",
        "address": "  Address {address}",
        "document_address": "Address on the forms: {address}",
        "pin_title": "Identification (My Number card)",
        "tries": "PIN tries left: {n}",
        "pin_enter": "Please enter your PIN (4 digits)",
        "pin_last": "This is the last try. Please enter it slowly",
        "checking": "Checking the card…",
        "reading": "Reading…",
        "done": "Done",
        "last_try_wait": "One try is left. A staff member will help you; please wait a moment",
        "staff": "A staff member will help you; please wait a moment",
        "back": "Correct",
        "ok": "OK",
        "untranslated": "(in Japanese only)",
    },
    "zh-Hans": {
        "window_title": "本人确认画面",
        "welcome": "{counter}\n欢迎光临",
        "thanks": "谢谢。请确认文件内容后签名。",
        "confirm_details": "请确认您的信息",
        "confirm_review": "将按此内容制作文件。请确认是否有误。",
        "procedures": "需要办理的手续",
        "member": "{name}{furigana} — {relationship}",
        "birth_sex": "　出生日期 {birth}　性别 {sex}",
        "address": "　住址 {address}",
        "document_address": "文件上记载的住址: {address}",
        "pin_title": "本人确认(个人编号卡)",
        "tries": "密码剩余次数: {n}次",
        "pin_enter": "请输入密码(4位数字)",
        "pin_last": "这是最后1次。请慢慢输入",
        "checking": "正在确认卡…",
        "reading": "正在读取…",
        "done": "已读取",
        "last_try_wait": "只剩1次。工作人员会为您说明,请稍等",
        "staff": "工作人员会为您说明,请稍等",
        "back": "更正",
        "ok": "确定",
        "untranslated": "(仅有日语)",
    },
    "ko": {
        "window_title": "본인 확인 화면",
        "welcome": "{counter}\n어서 오십시오",
        "thanks": "감사합니다. 서류 내용을 확인하신 후 서명해 주세요.",
        "confirm_details": "본인 정보를 확인해 주세요",
        "confirm_review": "이 내용으로 서류를 작성합니다. 틀린 곳이 없는지 확인해 주세요.",
        "procedures": "필요한 절차",
        "member": "{name}{furigana} 님 — {relationship}",
        "birth_sex": "  생년월일 {birth}  성별 {sex}",
        "address": "  주소 {address}",
        "document_address": "서류에 기재할 주소: {address}",
        "pin_title": "본인 확인(마이넘버 카드)",
        "tries": "비밀번호 남은 횟수: {n}회",
        "pin_enter": "비밀번호(숫자 4자리)를 입력해 주세요",
        "pin_last": "마지막 1회입니다. 천천히 입력해 주세요",
        "checking": "카드를 확인하고 있습니다…",
        "reading": "읽고 있습니다…",
        "done": "읽었습니다",
        "last_try_wait": "1회 남았습니다. 직원이 안내해 드리니 잠시 기다려 주세요",
        "staff": "직원이 안내해 드리니 잠시 기다려 주세요",
        "back": "정정",
        "ok": "확인",
        "untranslated": "(일본어만)",
    },
    "vi": {
        "window_title": "Màn hình dành cho bạn",
        "welcome": "{counter}\nXin chào quý khách",
        "thanks": "Xin cảm ơn. Hãy kiểm tra nội dung giấy tờ rồi ký tên.",
        "confirm_details": "Hãy kiểm tra thông tin của bạn",
        "confirm_review": "Giấy tờ sẽ được làm theo nội dung này. Hãy kiểm tra xem có sai sót không.",
        "procedures": "Các thủ tục cần làm",
        "member": "{name}{furigana} — {relationship}",
        "birth_sex": "  Ngày sinh {birth}  Giới tính {sex}",
        "address": "  Địa chỉ {address}",
        "document_address": "Địa chỉ ghi trên giấy tờ: {address}",
        "pin_title": "Xác nhận danh tính (thẻ My Number)",
        "tries": "Số lần nhập mã PIN còn lại: {n}",
        "pin_enter": "Hãy nhập mã PIN (4 chữ số)",
        "pin_last": "Đây là lần cuối. Hãy nhập chậm rãi",
        "checking": "Đang kiểm tra thẻ…",
        "reading": "Đang đọc…",
        "done": "Đã đọc xong",
        "last_try_wait": "Chỉ còn 1 lần. Nhân viên sẽ hướng dẫn, xin vui lòng chờ một chút",
        "staff": "Nhân viên sẽ hướng dẫn, xin vui lòng chờ một chút",
        "back": "Sửa",
        "ok": "Xác nhận",
        "untranslated": "(chỉ có tiếng Nhật)",
    },
    "pt-BR": {
        "window_title": "Sua tela",
        "welcome": "{counter}\nSeja bem-vindo(a)",
        "thanks": "Obrigado. Confira os formulários e assine-os.",
        "confirm_details": "Confira os seus dados",
        "confirm_review": "Os formulários serão feitos com estes dados. Confira se estão corretos.",
        "procedures": "Procedimentos necessários",
        "member": "{name}{furigana} — {relationship}",
        "birth_sex": "  Data de nascimento {birth}  Sexo {sex}",
        "address": "  Endereço {address}",
        "document_address": "Endereço nos formulários: {address}",
        "pin_title": "Identificação (cartão My Number)",
        "tries": "Tentativas de senha restantes: {n}",
        "pin_enter": "Digite a senha (4 números)",
        "pin_last": "Esta é a última tentativa. Digite com calma",
        "checking": "Verificando o cartão…",
        "reading": "Lendo…",
        "done": "Lido",
        "last_try_wait": "Resta 1 tentativa. Um atendente vai ajudar; aguarde um momento",
        "staff": "Um atendente vai ajudar; aguarde um momento",
        "back": "Corrigir",
        "ok": "Confirmar",
        "untranslated": "(só em japonês)",
    },
    "ne": {
        "window_title": "तपाईंको स्क्रिन",
        "welcome": "{counter}\nस्वागत छ",
        "thanks": "धन्यवाद। कागजात जाँचेर हस्ताक्षर गर्नुहोस्।",
        "confirm_details": "आफ्नो विवरण जाँच गर्नुहोस्",
        "confirm_review": "यही विवरणले कागजात बनाइन्छ। गल्ती छैन भनी जाँच गर्नुहोस्।",
        "procedures": "गर्नुपर्ने प्रक्रियाहरू",
        "member": "{name}{furigana} — {relationship}",
        "birth_sex": "  जन्ममिति {birth}  लिङ्ग {sex}",
        "address": "  ठेगाना {address}",
        "document_address": "कागजातमा लेखिने ठेगाना: {address}",
        "pin_title": "पहिचान (माइनम्बर कार्ड)",
        "tries": "पिन हाल्न बाँकी पटक: {n}",
        "pin_enter": "पिन (४ अङ्क) हाल्नुहोस्",
        "pin_last": "यो अन्तिम पटक हो। बिस्तारै हाल्नुहोस्",
        "checking": "कार्ड जाँच गरिँदै छ…",
        "reading": "पढिँदै छ…",
        "done": "पढियो",
        "last_try_wait": "१ पटक मात्र बाँकी छ। कर्मचारीले सहयोग गर्नुहुन्छ, केही बेर पर्खनुहोस्",
        "staff": "कर्मचारीले सहयोग गर्नुहुन्छ, केही बेर पर्खनुहोस्",
        "back": "सच्याउनुहोस्",
        "ok": "ठीक छ",
        "untranslated": "(जापानीमा मात्र)",
    },
    "fil": {
        "window_title": "Ang inyong screen",
        "welcome": "{counter}\nMaligayang pagdating",
        "thanks": "Salamat. Pakitingnan ang mga form at pumirma.",
        "confirm_details": "Pakitingnan ang inyong impormasyon",
        "confirm_review": "Gagawin ang mga form ayon dito. Pakitingnan kung tama.",
        "procedures": "Mga kailangang proseso",
        "member": "{name}{furigana} — {relationship}",
        "birth_sex": "  Petsa ng kapanganakan {birth}  Kasarian {sex}",
        "address": "  Address {address}",
        "document_address": "Address sa mga form: {address}",
        "pin_title": "Pagkakakilanlan (My Number card)",
        "tries": "Natitirang pagsubok sa PIN: {n}",
        "pin_enter": "Ilagay ang PIN (4 na numero)",
        "pin_last": "Ito na ang huling pagsubok. Dahan-dahang ilagay",
        "checking": "Sinusuri ang card…",
        "reading": "Binabasa…",
        "done": "Nabasa na",
        "last_try_wait": "Isang pagsubok na lang. Tutulungan kayo ng staff; sandali lamang",
        "staff": "Tutulungan kayo ng staff; sandali lamang",
        "back": "Itama",
        "ok": "OK",
        "untranslated": "(Japanese lamang)",
    },
    "id": {
        "window_title": "Layar Anda",
        "welcome": "{counter}\nSelamat datang",
        "thanks": "Terima kasih. Periksa isi formulir lalu tanda tangani.",
        "confirm_details": "Periksa data Anda",
        "confirm_review": "Formulir akan dibuat dengan data ini. Periksa apakah sudah benar.",
        "procedures": "Prosedur yang diperlukan",
        "member": "{name}{furigana} — {relationship}",
        "birth_sex": "  Tanggal lahir {birth}  Jenis kelamin {sex}",
        "address": "  Alamat {address}",
        "document_address": "Alamat pada formulir: {address}",
        "pin_title": "Identifikasi (kartu My Number)",
        "tries": "Sisa percobaan PIN: {n}",
        "pin_enter": "Masukkan PIN (4 angka)",
        "pin_last": "Ini percobaan terakhir. Masukkan dengan pelan",
        "checking": "Memeriksa kartu…",
        "reading": "Membaca…",
        "done": "Selesai dibaca",
        "last_try_wait": "Tinggal 1 kali. Petugas akan membantu; mohon tunggu sebentar",
        "staff": "Petugas akan membantu; mohon tunggu sebentar",
        "back": "Perbaiki",
        "ok": "OK",
        "untranslated": "(hanya bahasa Jepang)",
    },
}

_RUBY = re.compile(r"｜([^｜《》]+)《([^《》]+)》|([\u3400-\u9fff\uf900-\ufaff々〆ヶ]+)《([^《》]+)》")


def with_readings(text: str) -> str:
    """やさしい日本語's furigana in parentheses after the kanji, for labels that cannot show ruby."""
    return _RUBY.sub(lambda m: f"{m.group(1) or m.group(3)}({m.group(2) or m.group(4)})", text)


class ResidentLanguage:
    """The resident's choice and every text of their screen in it."""

    def __init__(self) -> None:
        self.language: Observable[str] = Observable("ja")

    def choose(self, code: str) -> None:
        self.language.set(code if code == "ja" or code in LANGUAGES else "ja")

    def reset(self) -> None:
        if self.language.value != "ja":
            self.language.set("ja")

    def follow_visits(self, kiosk: KioskPresenter) -> Callable[[], None]:
        """Go back to Japanese when a visit ends (the kiosk returns to waiting), whichever screen the
        language was chosen on: nothing of one resident stays for the next. Returns the unsubscribe."""
        last = [kiosk.view.value.step]

        def on_view(view: KioskView) -> None:
            ended = view.step is Step.WAITING and last[0] is not Step.WAITING
            last[0] = view.step
            if ended:
                self.reset()

        return kiosk.view.subscribe(on_view, now=False)

    def text(self, key: str, **values: object) -> str:
        table = TRANSLATIONS.get(self.language.value, {})
        template = table.get(key, JA[key])
        return with_readings(template.format(**values))

    def _ui(self, key: str) -> str:
        return with_readings(ui_strings(self.language.value)[key])

    def member_lines(self, member: Member, with_address: bool) -> list[str]:
        """A member as the resident checks them: the name exactly as recorded, then birth and sex."""
        language = self.language.value
        if language == "ja":
            relationship, sex = member.relationship.label_ja, member.sex.label_ja
        else:
            relationship, sex = self._ui(f"rel_{member.relationship.value}"), self._ui(member.sex.value)
        furigana = f"({member.furigana})" if member.furigana else ""
        lines = [self.text("member", name=member.name, furigana=furigana, relationship=relationship)]
        lines.append(self.text("birth_sex", birth=self.date(member.birth_date), sex=sex))
        if member.address and with_address:
            lines.append(self.text("address", address=member.address))
        return lines

    def date(self, day: dt.date) -> str:
        if self.language.value in ("ja", "ja-easy", "zh-Hans"):
            return f"{day.year}年{day.month}月{day.day}日"
        if self.language.value == "ko":
            return f"{day.year}년 {day.month}월 {day.day}일"
        return day.isoformat()

    def procedure_line(self, catalog: Catalog, needed: NeededProcedure, with_reason: bool = True) -> str:
        """A procedure (and why), in the resident's language; in Japanese with the note if untranslated."""
        language = self.language.value
        if language == "ja":
            name, reason, untranslated = needed.procedure.name, needed.reason, False
        else:
            name, reason, untranslated = translated_procedure(catalog, needed, language)
        line = f"{name} — {reason}" if with_reason else name
        note = self.text("untranslated")
        return with_readings(f"{line} {note}" if untranslated and note else line)
