"""Windows DPAPI (``CryptProtectData`` / ``CryptUnprotectData`` of ``crypt32.dll``) through ctypes.

Used for the draft key on a Windows counter whose OS key store (Credential Manager) cannot be used:
the key file in the settings folder is protected for the **current Windows user** on this machine, so a
copy of the folder (or of the whole disk without the user's logon secret) does not open it. Standard
library only, so that it can be checked under Wine's Python on the Linux CI (``python dpapi.py``
round-trips a secret and prints ``ok``).
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

ENTROPY = b"madoguchi-draft-key-v1"
"""Extra secret mixed in by DPAPI: another program of the same user calling DPAPI on our file without
it gets nothing."""
_CRYPTPROTECT_UI_FORBIDDEN = 0x1


class DpapiUnavailableError(OSError):
    """DPAPI cannot be used here (not Windows, or the call failed)."""


class _Blob(ctypes.Structure):
    _fields_ = [("cbData", ctypes.c_uint32), ("pbData", ctypes.c_void_p)]


def _blob(data: bytes) -> tuple[_Blob, Any]:
    buffer = ctypes.create_string_buffer(data, len(data))
    return _Blob(len(data), ctypes.cast(buffer, ctypes.c_void_p)), buffer


class Dpapi:
    """Protects and unprotects bytes for the current Windows user. :class:`DpapiUnavailableError`
    when not on Windows."""

    _crypt32: Any
    _kernel32: Any

    def __init__(self) -> None:
        windll = getattr(ctypes, "WinDLL", None)
        platform: str = sys.platform  # (a variable: type checkers on Linux would drop the rest)
        if platform != "win32" or windll is None:
            raise DpapiUnavailableError("DPAPI exists only on Windows")
        try:
            self._crypt32 = windll("crypt32", use_last_error=True)
            self._kernel32 = windll("kernel32", use_last_error=True)
        except OSError as exc:
            raise DpapiUnavailableError(f"crypt32.dll cannot be loaded: {exc}") from None
        for name in ("CryptProtectData", "CryptUnprotectData"):
            function = getattr(self._crypt32, name)
            function.argtypes = [
                ctypes.POINTER(_Blob),
                ctypes.c_void_p,
                ctypes.POINTER(_Blob),
                ctypes.c_void_p,
                ctypes.c_void_p,
                ctypes.c_uint32,
                ctypes.POINTER(_Blob),
            ]
            function.restype = ctypes.c_int
        self._kernel32.LocalFree.argtypes = [ctypes.c_void_p]
        self._kernel32.LocalFree.restype = ctypes.c_void_p

    def _call(self, name: str, data: bytes) -> bytes:
        source, keep_source = _blob(data)
        entropy, keep_entropy = _blob(ENTROPY)
        result = _Blob()
        function = getattr(self._crypt32, name)
        ok = function(
            ctypes.byref(source),
            None,
            ctypes.byref(entropy),
            None,
            None,
            _CRYPTPROTECT_UI_FORBIDDEN,
            ctypes.byref(result),
        )
        del keep_source, keep_entropy
        if not ok:
            error = getattr(ctypes, "get_last_error")()  # noqa: B009 - Windows-only attribute
            raise DpapiUnavailableError(f"{name} failed (Windows error {error})")
        try:
            return ctypes.string_at(result.pbData, result.cbData)
        finally:
            self._kernel32.LocalFree(result.pbData)

    def protect(self, secret: bytes) -> bytes:
        return self._call("CryptProtectData", secret)

    def unprotect(self, protected: bytes) -> bytes:
        return self._call("CryptUnprotectData", protected)


if __name__ == "__main__":  # the Wine check: python dpapi.py
    dpapi = Dpapi()
    secret = b"\x00madoguchi\xff" * 3
    wrapped = dpapi.protect(secret)
    assert wrapped != secret and secret not in wrapped
    assert dpapi.unprotect(wrapped) == secret
    print("ok")
