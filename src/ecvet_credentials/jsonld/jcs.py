"""RFC 8785 (JCS) bytes, fast: the C json encoder where it provably gives the same bytes, else rfc8785.

For I-JSON made of objects with BMP-only text, arrays, strings, booleans, null, safe integers and
non-integral floats written without an exponent, `json.dumps(sort_keys=True, ensure_ascii=False,
separators=(",", ":"))` is byte for byte the JCS form: same escapes, code-point key order = UTF-16
order within the BMP, integers as digits, and Python's shortest float repr is ECMAScript's
Number.toString when it has no exponent and no trailing ".0" (rfc8785 itself starts from it). The
output is parsed back and compared with the input, which proves that nothing else took part (no
tuple, non-string key, other Python type); anything else goes to the pure-Python rfc8785, which
also raises on what is not I-JSON.
"""
from __future__ import annotations

import json
import re
from typing import Any

import rfc8785

_SAFE_INT = 2**53 - 1
_NON_BMP = re.compile("[\U00010000-\U0010ffff]")
# check_circular=False: a cycle ends in RecursionError instead (-12 % of the encoding time)
_ENCODE = json.JSONEncoder(ensure_ascii=False, allow_nan=False, sort_keys=True, separators=(",", ":"),
                           check_circular=False).encode


class _NotPlain(Exception):
    """The value holds something the fast path does not prove equal (a float, an unsafe integer)."""


def _plain_float(text: str) -> float:
    if "e" in text or "E" in text or text.endswith(".0"):  # ECMAScript writes these differently
        raise _NotPlain
    return float(text)


def _safe_int(text: str) -> int:
    number = int(text)
    if -_SAFE_INT <= number <= _SAFE_INT:
        return number
    raise _NotPlain


_DECODE = json.JSONDecoder(parse_float=_plain_float, parse_int=_safe_int).decode


def jcs(value: Any) -> bytes:
    """The RFC 8785 canonical JSON bytes of `value`; rfc8785's errors for what is not I-JSON."""
    try:
        text = _ENCODE(value)
        if (text.isascii() or not _NON_BMP.search(text)) and _DECODE(text) == value:
            return text.encode("utf-8")
    except (_NotPlain, TypeError, ValueError, RecursionError):  # UnicodeEncodeError is a ValueError
        pass
    return rfc8785.dumps(value)
