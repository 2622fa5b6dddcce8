"""W3C Bitstring Status List v1.0: the bitstring and its `encodedList` form.

Bit order follows the spec: index 0 is the most significant (left-most) bit of byte 0.
`encodedList` = "u" (multibase base64url) + base64url without padding of the GZIP-compressed bitstring.
We compress with level 6 and mtime 0 because that reproduces the spec's example byte for byte
(Python's default level 9 sets a different XFL header byte), so published lists are deterministic.
"""
from __future__ import annotations

import base64
import binascii
import gzip
import zlib

from ecvet_credentials.core.errors import LimitExceededError, StatusListError
from ecvet_credentials.i18n import _

MIN_BITS = 131072  # spec: at least 131,072 entries (16 KiB), for herd privacy
# Bound on the decompressed size: a hostile list (a "gzip bomb") must not eat memory.
# 4 MiB = 33.5 M entries, far beyond any real list.
DEFAULT_MAX_BYTES = 4 * 1024 * 1024


class BitstringStatusList:
    """A mutable bitstring of `size` bits (a multiple of 8, at least 131,072 unless `min_bits` is lowered)."""

    __slots__ = ("_bits",)

    def __init__(self, size: int = MIN_BITS, *, data: bytes | bytearray | None = None, min_bits: int = MIN_BITS):
        if data is not None:
            size = len(data) * 8
        if not isinstance(size, int) or size < 8 or size % 8:  # (a positive multiple of 8)
            raise ValueError("status list size must be a positive multiple of 8")
        if size < min_bits:
            raise StatusListError(
                _("status list has {size} entries; the spec requires at least {min_bits}").format(size=size, min_bits=min_bits),
                code="STATUS_LIST_TOO_SHORT",
            )
        self._bits = bytearray(data) if data is not None else bytearray(size // 8)

    @property
    def size(self) -> int:
        return len(self._bits) * 8

    def __len__(self) -> int:
        return self.size

    def _check(self, index: int) -> None:
        if not isinstance(index, int) or isinstance(index, bool):
            raise TypeError("status list index must be an int")
        if not 0 <= index < self.size:
            raise StatusListError(
                _("status list index {index} is outside the list (size {size})").format(index=index, size=self.size),
                code="STATUS_INDEX_OUT_OF_RANGE",
            )

    def get(self, index: int) -> bool:
        self._check(index)
        return bool(self._bits[index >> 3] & (0x80 >> (index & 7)))

    def set(self, index: int, value: bool = True) -> None:
        self._check(index)
        mask = 0x80 >> (index & 7)
        if value:
            self._bits[index >> 3] |= mask
        else:
            self._bits[index >> 3] &= ~mask & 0xFF

    def set_indexes(self) -> list[int]:
        """Indexes of the bits that are set (scans bytes, so cheap on a mostly-zero list)."""
        out: list[int] = []
        for byte_i, byte in enumerate(self._bits):
            if byte:
                out.extend(byte_i * 8 + b for b, bit in enumerate(f"{byte:08b}") if bit == "1")  # MSB first
        return out

    def to_bytes(self) -> bytes:
        return bytes(self._bits)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BitstringStatusList) and self._bits == other._bits

    def __repr__(self) -> str:
        return f"BitstringStatusList(size={self.size}, set={len(self.set_indexes())})"

    # --- encodedList -------------------------------------------------------------------------
    def encode(self) -> str:
        raw = gzip.compress(bytes(self._bits), compresslevel=6, mtime=0)
        return "u" + base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")

    @classmethod
    def decode(
        cls, encoded: object, *, max_bytes: int = DEFAULT_MAX_BYTES, min_bits: int = MIN_BITS
    ) -> "BitstringStatusList":
        """Parse an `encodedList`. Raises StatusListError (malformed, too short) or
        LimitExceededError (inflates past `max_bytes`)."""
        if not isinstance(encoded, str) or not encoded.startswith("u"):
            raise StatusListError(_("encodedList must be a multibase base64url string starting with 'u'"))
        body = encoded[1:]
        # Compressed input can never usefully be larger than the output bound (+ gzip overhead).
        if len(body) > (max_bytes + 1024) * 4 // 3 + 4:
            raise LimitExceededError(_("encodedList is longer than the {n}-byte list limit").format(n=max_bytes))
        try:
            raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        except (binascii.Error, ValueError):
            raise StatusListError(_("encodedList is not valid base64url")) from None
        data = _gunzip_bounded(raw, max_bytes)
        if not data:
            raise StatusListError(_("encodedList decompresses to an empty bitstring"), code="STATUS_LIST_TOO_SHORT")
        return cls(data=data, min_bits=min_bits)


def _gunzip_bounded(raw: bytes, max_bytes: int) -> bytes:
    """Decompress one GZIP member, refusing more than `max_bytes` of output or trailing data."""
    d = zlib.decompressobj(wbits=31)  # 31 = gzip header + trailer checked
    try:
        data = d.decompress(raw, max_bytes + 1)
    except zlib.error:
        raise StatusListError(_("encodedList is not valid GZIP data")) from None
    if len(data) > max_bytes or d.unconsumed_tail:
        raise LimitExceededError(_("status list inflates past the {n}-byte limit").format(n=max_bytes))
    if not d.eof:
        raise StatusListError(_("encodedList GZIP data is truncated"))
    if d.unused_data:
        raise StatusListError(_("encodedList has data after the GZIP stream"))
    return data
