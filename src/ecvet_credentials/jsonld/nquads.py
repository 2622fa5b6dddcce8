"""Canonical N-Quads terms: serialization and a strict parser.

A quad is a tuple (subject, predicate, object, graph) of terms already in canonical N-Quads form:
`<iri>`, `_:label`, or a literal `"..."`, `"..."@lang`, `"..."^^<datatype>`; graph is "" for the
default graph. Keeping terms serialized makes RDFC-1.0 hashing and the final sort cheap.

Literal escaping follows RDFC-1.0 canonical N-Quads (W3C test060): ECHAR for \\ " \\n \\r \\t \\b \\f,
\\uXXXX (upper-case hex) for the other characters U+0000-U+001F and U+007F, everything else as is.
"""
from __future__ import annotations

import re
from typing import Any

from ecvet_credentials.core.errors import CanonicalizationError, LimitExceededError

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_LANGSTRING = RDF + "langString"

_ESCAPES = {c: "\\u%04X" % c for c in list(range(0x20)) + [0x7F]}
_ESCAPES.update({0x5C: "\\\\", 0x22: '\\"', 0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t", 0x08: "\\b", 0x0C: "\\f"})


def escape_literal(value: str) -> str:
    # isprintable() is False for every character to escape but " and \ (and for a few other Unicode
    # characters, which translate leaves as they are): one pass, faster than a regex search
    if value.isprintable() and '"' not in value and "\\" not in value:
        return value
    return value.translate(_ESCAPES)


def literal(value: str, datatype: str = XSD_STRING, language: str | None = None) -> str:
    """The canonical N-Quads form of a literal."""
    body = '"' + escape_literal(value) + '"'
    if language is not None:
        return body + "@" + language
    if datatype == XSD_STRING:
        return body
    return body + "^^<" + datatype + ">"


def serialize_quad(quad: tuple[Any, ...]) -> str:
    s, p, o, g = quad
    if g:
        return f"{s} {p} {o} {g} .\n"
    return f"{s} {p} {o} .\n"


# --- parser -----------------------------------------------------------------------------------
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_IRI = r'<((?:[^\x00-\x20<>"{}|^`\\]|' + _UCHAR + r")*)>"
_BNODE = r'(_:(?:[^\s<>".]|\.(?=[^\s<>"]))+)'
_STRING = r'"((?:[^"\\\n\r]|\\[tbnrf"\'\\]|' + _UCHAR + r')*)"'
_LANG = r"@([a-zA-Z]+(?:-[a-zA-Z0-9]+)*)"
_QUAD = re.compile(
    r"[ \t]*(?:" + _IRI + "|" + _BNODE + r")[ \t]*"  # subject: groups 1, 2
    + _IRI + r"[ \t]*"  # predicate: 3
    + r"(?:" + _IRI + "|" + _BNODE + "|" + _STRING + r"(?:\^\^" + _IRI + "|" + _LANG + r")?)[ \t]*"  # 4-8
    + r"(?:(?:" + _IRI + "|" + _BNODE + r")[ \t]*)?"  # graph: 9, 10
    + r"\.[ \t]*(?:#[^\n\r]*)?"
)
_BLANK_LINE = re.compile(r"[ \t]*(?:#[^\n\r]*)?")
_UNESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape_match(m: re.Match[str]) -> str:
    hexa = m.group(1) or m.group(2)
    if hexa is not None:
        code = int(hexa, 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise ValueError("invalid code point")
        return chr(code)
    return _ECHARS[m.group(3)]


def _unescape(text: str) -> str:
    return _UNESCAPE.sub(_unescape_match, text) if "\\" in text else text


def _iri(raw: str) -> str:
    return "<" + _unescape(raw) + ">"


def parse_nquads(text: str, *, max_quads: int | None = None) -> list[tuple[Any, ...]]:
    """Parse N-Quads into canonical-term quads (duplicates removed, input order kept)."""
    if not isinstance(text, str):
        raise TypeError("N-Quads input must be a str")
    quads: dict[tuple[Any, ...], None] = {}
    for number, line in enumerate(text.splitlines(), 1):
        m = _QUAD.fullmatch(line)
        if m is None:
            if _BLANK_LINE.fullmatch(line):
                continue
            raise CanonicalizationError(
                f"N-Quads line {number} is not a valid quad ({line[:80]!r}); fix the input.",
                code="NQUADS_SYNTAX",
            )
        g = m.groups()
        try:
            subject = _iri(g[0]) if g[0] is not None else g[1]
            predicate = _iri(g[2])
            if g[3] is not None:
                obj = _iri(g[3])
            elif g[4] is not None:
                obj = g[4]
            elif g[6] is not None:
                obj = literal(_unescape(g[5]), _unescape(g[6]))
            else:
                obj = literal(_unescape(g[5]), XSD_STRING, g[7])
            graph = _iri(g[8]) if g[8] is not None else (g[9] or "")
        except ValueError:
            raise CanonicalizationError(
                f"N-Quads line {number} has an invalid escape sequence; fix the input.", code="NQUADS_SYNTAX"
            ) from None
        quads[(subject, predicate, obj, graph)] = None
        if max_quads is not None and len(quads) > max_quads:
            raise LimitExceededError(
                f"The N-Quads input has more than {max_quads:,} quads; use a smaller dataset.",
                details={"limit": "max_quads"},
            )
    return list(quads)
