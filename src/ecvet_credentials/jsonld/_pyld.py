"""pyld behind one door: imported without its HTTP stack, contexts through its public API, and the
one private call we keep (the node map to RDF, see `graph_triples`).

At import, pyld builds a `requests` document loader (requests, urllib3, certifi: about a third of
pyld's import time). We never use it: every pyld call here passes the offline, pinned-context
loader. So `requests` is hidden while pyld imports, and pyld falls back to its dummy loader, which
fetches nothing (offline by construction). Other modules import pyld through this one.

Active contexts are pyld's own structure (`mappings`, `previousContext`, ...), as its public
`process_context` returns them; tests/test_jsonld_pyld_adapter.py pins the parts we read.
"""
from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from typing import Any

if "pyld.jsonld" not in sys.modules and "requests" not in sys.modules:
    sys.modules["requests"] = None  # type: ignore[assignment]  # makes `import requests` raise ImportError
    try:
        import pyld.jsonld  # noqa: F401
    finally:
        if sys.modules.get("requests", 0) is None:
            del sys.modules["requests"]

from pyld import jsonld  # noqa: E402
from pyld.context_resolver import ContextResolver  # noqa: E402
from pyld.identifier_issuer import IdentifierIssuer  # noqa: E402

__all__ = ["ContextResolver", "JsonLdError", "jsonld"]

JsonLdError = jsonld.JsonLdError
ActiveContext = Mapping[str, Any]



def initial_context(options: dict[str, Any]) -> ActiveContext:
    """The initial active context (no terms) of options' processing mode."""
    ctx: ActiveContext = jsonld.JsonLdProcessor().process_context({}, None, options)
    return ctx


def process_context(active: ActiveContext, local: Any, options: dict[str, Any]) -> ActiveContext:
    """`local` (a context or an array of them) applied to `active`, as at the top of a document."""
    ctx: ActiveContext = jsonld.JsonLdProcessor().process_context(active, local, options)
    return ctx


def type_scoped_context(active: ActiveContext, scoped: Any, options: dict[str, Any]) -> ActiveContext:
    """A type-scoped context applied to `active`. JSON-LD 1.1 does not propagate it into nested
    nodes unless its first context says `@propagate: true`; pyld's public API processes contexts
    as propagating, so a leading `{"@propagate": false}` (an otherwise empty context) says it."""
    first = scoped[0] if isinstance(scoped, list) and scoped else scoped
    if not (isinstance(first, Mapping) and "@propagate" in first):
        scoped = [{"@propagate": False}, *(scoped if isinstance(scoped, list) else [scoped])]
    return process_context(active, scoped, options)


def property_scoped_context(active: ActiveContext, scoped: Any, options: dict[str, Any]) -> ActiveContext:
    """A property-scoped context applied to `active`. A null one resets to the initial context (pyld
    stores it as False). Expansion lets a property-scoped context redefine protected terms; the
    public API does not, so such a redefinition raises JsonLdError here (callers treat it as outside
    what they handle) instead of silently differing."""
    if scoped is None or scoped is False:
        return initial_context(options)
    return process_context(active, scoped, options)


def to_rdf_options() -> dict[str, Any]:
    # rdfDirection as jsonld.js: @direction is signed, not dropped.
    return {"produceGeneralizedRdf": False, "processingMode": "json-ld-1.1", "rdfDirection": "i18n-datatype"}


def graph_triples(expanded: list[Any], graph_term: Callable[[str], str | None]) -> list[tuple[str, list[Any]]]:
    """(graph term, pyld triples) of an already expanded document, graphs in sorted order of their
    names; `graph_term` gives a name's term, or None to skip the graph (before its triples are made,
    as they may issue blank node labels).

    The one private pyld call left: the public `to_rdf` expands its input again first, which
    costs 18 % more on the full (slow) path for a 9 KB credential (measured: process time, 70
    alternating runs). tests/test_jsonld_pyld_adapter.py pins that this gives what `to_rdf` gives.
    """
    proc = jsonld.JsonLdProcessor()
    issuer = IdentifierIssuer("_:b")
    node_map: dict[str, dict[str, Any]] = {"@default": {}}
    proc._create_node_map(expanded, node_map, "@default", issuer)
    options = to_rdf_options()
    out = []
    for name, graph in sorted(node_map.items()):
        term = graph_term(name)
        if term is not None:
            out.append((term, proc._graph_to_rdf(graph, issuer, options)))
    return out
