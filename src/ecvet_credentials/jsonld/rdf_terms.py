"""RDF and XSD terms of the fast path, and JSON natives in their canonical RDF lexical form."""
from __future__ import annotations

from typing import Any
from ecvet_credentials.jsonld import _pyld  # noqa: F401  (first: pyld without its unused HTTP loader)
from pyld.jsonld import _canonicalize_double, _is_double, _is_integer
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

def _native(value: Any, datatype: str | None) -> str:
    """Literal of a JSON number/boolean (or an xsd:double string), exactly as pyld's toRDF."""
    if value is True or value is False:
        return literal("true" if value else "false", datatype or XSD_BOOLEAN)
    if type(value) is str:  # only reached for xsd:double coercion
        try:
            number = float(value)
        except ValueError:
            return literal(value, XSD_DOUBLE)
        return literal(_canonicalize_double(number), XSD_DOUBLE)
    if type(value) not in (int, float):
        raise Fallback
    if _is_double(value):
        return literal(_canonicalize_double(value), datatype or XSD_DOUBLE)
    if datatype == XSD_DOUBLE:
        return literal(_canonicalize_double(float(value)), XSD_DOUBLE)
    if _is_integer(value) and abs(value) >= 1e21:
        return literal(_canonicalize_double(value), datatype or XSD_DOUBLE)
    return literal(str(int(value)), datatype or XSD_INTEGER)
