"""RDFC-1.0 canonicalization of JSON-LD documents (strict, offline).

TEMPORARY plain-pyld implementation: the JSON-LD helper replaces the internals with the bounded,
fast path; the signature of `canonicalize` stays.
"""
from __future__ import annotations

from pyld import jsonld

from ..errors import StrictJsonLdError
from .contexts import ContextRegistry, default_registry


def _raise_dropped(event, **kwargs):  # pragma: no cover - replaced by the real implementation
    raise StrictJsonLdError(f"property not defined by any context: {event}")


def canonicalize(doc: dict, *, registry: ContextRegistry | None = None, strict: bool = True, limits=None) -> str:
    """Canonical N-Quads (RDFC-1.0) of `doc`, using only bundled contexts."""
    reg = registry or default_registry()
    opts = {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": reg.document_loader()}
    proc = jsonld.JsonLdProcessor()
    return proc.normalize(doc, opts)
