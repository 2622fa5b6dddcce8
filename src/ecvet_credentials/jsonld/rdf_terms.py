"""RDF and XSD terms of the fast path, and JSON natives in their canonical RDF lexical form."""
from __future__ import annotations

import re
from typing import Any

from ecvet_credentials.jsonld.nquads import XSD, literal


RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

RDF_TYPE = "<" + RDF + "type>"

RDF_FIRST = "<" + RDF + "first>"

RDF_REST = "<" + RDF + "rest>"

RDF_NIL = "<" + RDF + "nil>"

XSD_BOOLEAN = XSD + "boolean"

XSD_INTEGER = XSD + "integer"

XSD_DOUBLE = XSD + "double"


class Fallback(Exception):
    """The document is outside the fast path's subset: use the full pyld path."""


_EXPONENT = re.compile(r"(\d)0*E\+?(-)?0*(\d)")


def canonical_double(value: float) -> str:
    """xsd:double canonical form as JSON-LD 1.1 toRDF writes it: "%1.15E" without the mantissa's
    trailing zeros, the exponent's "+" and its leading zeros (1.5 -> 1.5E0, 1e-7 -> 1.0E-7)."""
    return _EXPONENT.sub(r"\1E\2\3", f"{value:1.15E}")


def _native(value: Any, datatype: str | None) -> str:
    """Literal of a JSON number/boolean (or an xsd:double string), exactly as pyld's toRDF."""
    if value is True or value is False:
        return literal("true" if value else "false", datatype or XSD_BOOLEAN)
    if type(value) is str:  # only reached for xsd:double coercion
        try:
            number = float(value)
        except ValueError:
            return literal(value, XSD_DOUBLE)
        return literal(canonical_double(number), XSD_DOUBLE)
    if type(value) is float and not value.is_integer():
        return literal(canonical_double(value), datatype or XSD_DOUBLE)
    # an int, or a float with an integral value (check_limits admits no other number type): JSON-LD
    # writes it as an integer below 10^21
    if datatype == XSD_DOUBLE or abs(value) >= 1e21:
        return literal(canonical_double(value), datatype or XSD_DOUBLE)
    return literal(str(int(value)), datatype or XSD_INTEGER)
