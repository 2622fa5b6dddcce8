"""Smallest QR version for a text, computed from the ISO/IEC 18004 bit limits (no matrix is built)."""
from __future__ import annotations

from bisect import bisect_left

from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_L, ERROR_CORRECT_M, ERROR_CORRECT_Q
from qrcode.util import BIT_LIMIT_TABLE

from ecvet_credentials.render.qr.base45 import ALPHABET

ECC_LEVELS = {"L": ERROR_CORRECT_L, "M": ERROR_CORRECT_M, "Q": ERROR_CORRECT_Q, "H": ERROR_CORRECT_H}
_ALNUM = frozenset(ALPHABET)


def check_ecc(ecc: str) -> int:
    try:
        return ECC_LEVELS[ecc]
    except KeyError:
        raise ValueError(f"'ecc' must be one of L, M, Q, H, not {ecc!r}") from None


def segment_mode(text: str) -> str:
    """"alphanumeric" when every character is in the 45-character set, else "byte" (UTF-8)."""
    return "alphanumeric" if all(c in _ALNUM for c in text) else "byte"


def qr_version(text: str, ecc: str = "M") -> int | None:
    """Smallest version (1-40) holding `text` as one segment, or None if it does not fit at all."""
    limits = BIT_LIMIT_TABLE[check_ecc(ecc)]
    if segment_mode(text) == "alphanumeric":
        n = len(text)
        data_bits, counts = 11 * (n // 2) + 6 * (n % 2), (9, 11, 13)
    else:
        data_bits, counts = 8 * len(text.encode("utf-8")), (8, 16, 16)
    for lo, hi, count_bits in ((1, 9, counts[0]), (10, 26, counts[1]), (27, 40, counts[2])):
        v = bisect_left(limits, 4 + count_bits + data_bits, lo)
        if v <= hi:
            return v
    return None
