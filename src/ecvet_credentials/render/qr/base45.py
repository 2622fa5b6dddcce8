"""Base45 (RFC 9285): 2 bytes -> 3 characters of the QR alphanumeric set. Strict decoder."""
from __future__ import annotations

from ecvet_credentials.core.errors import QrPayloadError

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_INDEX = {c: i for i, c in enumerate(ALPHABET)}


def b45encode(data: bytes) -> str:
    out: list[str] = []
    for i in range(0, len(data) - 1, 2):
        n = data[i] * 256 + data[i + 1]
        c, n = divmod(n, 45 * 45)
        b, a = divmod(n, 45)
        out += (ALPHABET[a], ALPHABET[b], ALPHABET[c])
    if len(data) % 2:
        b, a = divmod(data[-1], 45)
        out += (ALPHABET[a], ALPHABET[b])
    return "".join(out)


def b45decode(text: str) -> bytes:
    """Refuses characters outside the alphabet, a length of 3k+1 and groups that overflow (RFC 9285 §4)."""
    if len(text) % 3 == 1:
        raise QrPayloadError("Base45 data has an impossible length (truncated QR text?)")
    try:
        values = [_INDEX[c] for c in text]
    except KeyError as exc:
        raise QrPayloadError(f"Base45 data contains a character outside the alphabet: {exc.args[0]!r}") from None
    out = bytearray()
    for i in range(0, len(values) - 2, 3):
        n = values[i] + values[i + 1] * 45 + values[i + 2] * 2025
        if n > 0xFFFF:
            raise QrPayloadError("Base45 data is invalid (a group exceeds 65535)")
        out += n.to_bytes(2, "big")
    if len(values) % 3 == 2:
        n = values[-2] + values[-1] * 45
        if n > 0xFF:
            raise QrPayloadError("Base45 data is invalid (the last group exceeds 255)")
        out.append(n)
    return bytes(out)
