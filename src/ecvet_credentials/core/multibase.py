"""Multibase ('z' base58btc, 'u' base64url) and the multicodec key headers used by Multikey.

Small enough to write here rather than add a dependency. Decoding raises ValueError with a short
message that never echoes the input (it may be secret key material).
"""
from __future__ import annotations

import base64

_B58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
# byte -> digit value, 255 for a byte not in the alphabet (bytes.translate: no dict lookup per character)
_B58_DIGITS = bytes(_B58_ALPHABET.index(chr(b)) if chr(b) in _B58_ALPHABET else 255 for b in range(256))
_B64URL_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

# Multicodec varint headers (https://github.com/multiformats/multicodec/blob/master/table.csv).
ED25519_PUB = b"\xed\x01"
ED25519_PRIV = b"\x80\x26"
P256_PUB = b"\x80\x24"
P256_PRIV = b"\x86\x26"
P384_PUB = b"\x81\x24"
P384_PRIV = b"\x87\x26"

# Bounds the quadratic base58 conversion: keys and signatures are < 200 bytes.
MAX_DECODE_CHARS = 4096


def b58encode(data: bytes) -> str:
    zeros = len(data) - len(data.lstrip(b"\0"))
    n = int.from_bytes(data, "big")
    out = []
    while n:
        n, r = divmod(n, 58)
        out.append(_B58_ALPHABET[r])
    return "1" * zeros + "".join(reversed(out))


def b58decode(text: str) -> bytes:
    if not isinstance(text, str):
        raise ValueError("base58btc value must be a string")
    if len(text) > MAX_DECODE_CHARS:
        raise ValueError("base58btc value is too long")
    try:
        digits = text.encode("ascii").translate(_B58_DIGITS)
    except UnicodeEncodeError:
        digits = b"\xff"
    if 255 in digits:
        raise ValueError("invalid base58btc character")
    n = 0
    for digit in digits:
        n = n * 58 + digit
    zeros = len(text) - len(text.lstrip("1"))
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    return b"\0" * zeros + body


def encode(data: bytes, base: str = "z") -> str:
    """Multibase-encode: 'z' = base58btc, 'u' = base64url without padding."""
    if base == "z":
        return "z" + b58encode(data)
    if base == "u":
        return "u" + base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")
    raise ValueError(f"unsupported multibase prefix {base!r} (use 'z' or 'u')")


def decode(value: str) -> bytes:
    """Decode a 'z' or 'u' multibase string; ValueError for anything else."""
    if not isinstance(value, str) or not value:
        raise ValueError("multibase value must be a non-empty string")
    prefix, body = value[0], value[1:]
    if prefix == "z":
        return b58decode(body)
    if prefix == "u":
        if len(body) > MAX_DECODE_CHARS or not _B64URL_CHARS.issuperset(body) or len(body) % 4 == 1:
            raise ValueError("invalid base64url multibase value")
        return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    raise ValueError("unsupported multibase prefix (expected 'z' base58btc or 'u' base64url)")


def encode_multicodec(header: bytes, key: bytes) -> str:
    return encode(header + key, "z")


def decode_multicodec(value: str) -> tuple[bytes, bytes]:
    """Split a multibase Multikey value into (2-byte multicodec header, key bytes)."""
    raw = decode(value)
    if len(raw) < 3:
        raise ValueError("multikey value is too short")
    return raw[:2], raw[2:]
