"""A scripted connection: answers a fixed list of (expected APDU, response) and fails on anything else."""

from __future__ import annotations

from card_reader.connection import Response


class UnexpectedApdu(AssertionError):
    pass


class ScriptedConnection:
    def __init__(self, script: list[tuple[str, str]]) -> None:
        self.script = [(bytes.fromhex(apdu), bytes.fromhex(resp)) for apdu, resp in script]
        self.sent: list[bytes] = []

    def transmit(self, apdu: bytes) -> Response:
        self.sent.append(apdu)
        if not self.script:
            raise UnexpectedApdu(f"no more APDUs expected, got {apdu.hex()}")
        expected, response = self.script.pop(0)
        if apdu != expected:
            raise UnexpectedApdu(f"expected {expected.hex()}, got {apdu.hex()}")
        return Response.from_bytes(response)

    def close(self) -> None:
        pass

    def assert_done(self) -> None:
        assert not self.script, f"APDUs not sent: {[a.hex() for a, _ in self.script]}"
