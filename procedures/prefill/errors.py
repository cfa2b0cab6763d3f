"""Errors of the pre-fill QR format: a scan (or a set of scans) that gives nothing usable.

Every error derives from :class:`PrefillError` (itself a :class:`~procedures.errors.ProceduresError`).
They carry part numbers, counts and kinds, never a scanned payload or a resident's data, so they
are safe to log; ``counter_app.presenters.messages`` turns them into the clerk's Japanese line. Problems that
leave the rest usable (an answer the catalog does not know, a changed catalog version) are not
errors but :class:`procedures.prefill.document.PrefillNote` entries of the result.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from procedures.errors import ProceduresError


class PrefillError(ProceduresError):
    """Base of every error of :mod:`procedures.prefill`."""


class ForeignKind(StrEnum):
    """What a scanned code that is not a pre-fill part looks like."""

    URL = "url"
    PAYMENT = "payment"  # EMVCo merchant codes (JPQR), app payment codes
    FORM = "form"  # the back-office code printed on Madoguchi's own forms ("MDG1:")
    TEXT = "text"
    BINARY = "binary"
    EMPTY = "empty"


class ForeignCodeError(PrefillError):
    """The scanned code is not a Madoguchi pre-fill code (a web address, a payment code …)."""

    def __init__(self, kind: ForeignKind) -> None:
        self.kind = kind
        super().__init__(f"not a pre-fill code ({kind.value})")


class UnknownVersionError(PrefillError):
    """A pre-fill code of a format version this Madoguchi does not read (``MDP2:`` …)."""

    def __init__(self, version: str, supported: str) -> None:
        self.version = version
        self.supported = supported
        super().__init__(f"pre-fill format version {version!r} (this version reads {supported!r})")


class PartFormatError(PrefillError):
    """The part is ours by its prefix but its body is malformed (cut short, not Base45 …).

    ``keyboard_suspect`` is true when the text shows signs of a keyboard-wedge scanner typing with a
    keyboard layout that differs from the computer's (characters that Base45 never contains).
    """

    def __init__(self, reason: str, keyboard_suspect: bool = False) -> None:
        self.reason = reason
        self.keyboard_suspect = keyboard_suspect
        super().__init__(f"malformed pre-fill part: {reason}")


class PartChecksumError(PrefillError):
    """A part's own checksum does not match: it was misread, mistyped by a scanner, or altered."""

    def __init__(self, part: int | None, keyboard_suspect: bool = False) -> None:
        self.part = part
        self.keyboard_suspect = keyboard_suspect
        super().__init__(f"checksum mismatch in part {part}" if part else "checksum mismatch in a part")


class MixedSetsError(PrefillError):
    """A part of another set arrived while a set was being collected (two residents' codes, or an old one)."""

    def __init__(self, received: Sequence[int], total: int, other_part: int, other_total: int) -> None:
        self.received = tuple(received)
        self.total = total
        self.other_part = other_part
        self.other_total = other_total
        super().__init__(
            f"part {other_part}/{other_total} belongs to another set than the parts {list(self.received)}"
            f" of {total}"
        )


class MissingPartsError(PrefillError):
    """The set is incomplete: ``missing`` names the parts (1-based) not yet scanned."""

    def __init__(self, missing: Sequence[int], total: int) -> None:
        self.missing = tuple(missing)
        self.total = total
        super().__init__(f"missing part(s) {list(self.missing)} of {total}")


class SetChecksumError(PrefillError):
    """Every part is present, but the assembled content fails its checksum or cannot be inflated."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"assembled pre-fill content is damaged: {reason}")


class PrefillContentError(PrefillError):
    """The assembled content is intact but is not a pre-fill document, or holds no usable member."""

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason
        self.detail = detail  # Japanese, no values: why the members were left out ("1人目の方の生年月日が…")
        super().__init__(f"unusable pre-fill content: {reason}")
