"""Strict JSON-LD through pyld: the full (slow) path, and the judge of strictness.

Strict means nothing in the JSON is dropped or reinterpreted on the way to RDF
(VC Data Integrity, "Securing Data Losslessly"). Four checks:
- pyld's `on_property_dropped` hook raises (undefined keys, "@"-keys that are not keywords);
- no relative IRI in the expanded form (undefined `type` values, `id: "foo"`);
- every IRI is a valid N-Quads IRI (no spaces, quotes, angle brackets);
- round trip: compacting the expansion with the document's own @context gives the document back,
  which rejects full-IRI keys where a term exists, `[[...]]` outside @list, nulls, embedded contexts.
"""
from __future__ import annotations

import re
import weakref
from typing import Any, Callable, NoReturn

from cachetools import LRUCache

from ecvet_credentials.jsonld import _pyld
from ecvet_credentials.jsonld._pyld import ContextResolver, jsonld

from ecvet_credentials.core.errors import CanonicalizationError, StrictJsonLdError, UnknownContextError
from ecvet_credentials.jsonld.contexts import ContextRegistry
from ecvet_credentials.jsonld.nquads import RDF_LANGSTRING, literal

# Where a value sits in a JSON document: keys and array indexes from the root.
JsonPath = tuple[str | int, ...]

_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_BAD_IRI_CHAR = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_KEYWORDS = frozenset(
    "@base @container @context @direction @graph @id @import @included @index @json @language @list "
    "@nest @none @prefix @propagate @protected @reverse @set @type @value @version @vocab".split()
)

# Resolved contexts per registry: pyld's global cache is keyed by URL only, and a test registry may
# serve another document under the same URL.
_resolved_caches: "weakref.WeakKeyDictionary[ContextRegistry, LRUCache[Any, Any]]" = weakref.WeakKeyDictionary()


def pyld_options(registry: ContextRegistry) -> dict[str, Any]:
    cache = _resolved_caches.get(registry)
    if cache is None:
        cache = _resolved_caches[registry] = LRUCache(maxsize=100)
    loader = registry.document_loader()
    return {
        # None, not "": pyld 3.3 resolves relative IRIs against http://example.org/base/ when the
        # base is "", which would sign `id: "foo"` as <http://example.org/base/foo>.
        "base": None,
        "documentLoader": loader,
        "contextResolver": ContextResolver(cache, loader),
        "processingMode": "json-ld-1.1",
    }


class _Dropped(Exception):
    def __init__(self, key: str | None) -> None:
        super().__init__(key)
        self.key = key


def _raise_dropped(key: str | None, *args: object, **kwargs: object) -> NoReturn:
    raise _Dropped(key)


# --- JSON paths for messages ------------------------------------------------------------------
def _path_str(path: JsonPath) -> str:
    out = "$"
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def find_path(doc: Any, predicate: Callable[[str, Any], bool]) -> str | None:
    """JSON path of the first (key, value, path) in `doc` (breadth first) that satisfies predicate."""
    queue: list[tuple[Any, JsonPath]] = [(doc, ())]
    while queue:
        nxt: list[tuple[Any, JsonPath]] = []
        for value, path in queue:
            if isinstance(value, dict):
                for k, v in value.items():
                    if predicate(k, v):
                        return _path_str(path + (k,))
                    nxt.append((v, path + (k,)))
            elif isinstance(value, list):
                nxt.extend((v, path + (i,)) for i, v in enumerate(value))
        queue = nxt
    return None


def _value_in(v: Any, target: Any) -> bool:
    return v == target or (isinstance(v, list) and target in v)


# --- checks -----------------------------------------------------------------------------------
def _wrap_pyld_error(exc: Exception) -> Exception:
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, (UnknownContextError, StrictJsonLdError)):
            return cause
        if isinstance(cause, _Dropped):
            return cause
        cause = cause.__cause__ or cause.__context__
    return CanonicalizationError(
        f"The document is not valid JSON-LD ({exc}); fix it against the JSON-LD 1.1 syntax.",
        code="INVALID_JSONLD",
    )


def _dropped_error(doc: dict[str, Any], key: str | None) -> StrictJsonLdError:
    if key is None:
        # pyld passes None for "@"-keys that are not keywords: find the first such key.
        where = find_path(doc, lambda k, v: k.startswith("@") and k not in _KEYWORDS)
        key = where.rsplit(".", 1)[-1] if where else None
    shown = key if key is not None else "?"
    where = find_path(doc, lambda k, v: k == key) or "$"
    if isinstance(key, str) and key.startswith("@"):
        return StrictJsonLdError(
            f"Key {shown!r} at {where} is not a JSON-LD keyword and would be dropped from the signed data; "
            "remove it.",
            code="DATA_LOSS_DETECTION",
            details={"key": key, "path": where},
        )
    return StrictJsonLdError(
        f"Property {shown!r} at {where} is not defined by any @context and would be dropped from the signed "
        "data; remove it or define it in a bundled context.",
        code="DATA_LOSS_DETECTION",
        details={"key": key, "path": where},
    )


def pyld_expand(doc: dict[str, Any], registry: ContextRegistry, *, strict: bool) -> list[Any]:
    """pyld expansion with the registry loader; in strict mode undefined keys raise."""
    proc = jsonld.JsonLdProcessor(on_property_dropped=_raise_dropped if strict else jsonld.noop)
    try:
        expanded: list[Any] = proc.expand(doc, pyld_options(registry))
        return expanded
    except _Dropped as exc:
        raise _dropped_error(doc, exc.key) from None
    except (jsonld.JsonLdError, TypeError, ValueError, AttributeError, KeyError) as exc:
        # pyld reports some malformed documents with plain Python errors: never let them escape.
        err = _wrap_pyld_error(exc)
        if isinstance(err, _Dropped):
            raise _dropped_error(doc, err.key) from None
        raise err from None


def _iri_problem(doc: dict[str, Any], value: Any, *, is_type: bool) -> StrictJsonLdError | None:
    if not isinstance(value, str):
        return StrictJsonLdError(
            f"An id or type in the document expands to {value!r}, which is not an IRI; write a full IRI.",
            code="RELATIVE_IRI",
            details={"value": value},
        )
    if value.startswith("_:"):
        return None
    if not _ABSOLUTE_IRI.match(value):
        if is_type:
            where = find_path(doc, lambda k, v: _value_in(v, value) and k in ("type", "@type")) or find_path(
                doc, lambda k, v: _value_in(v, value)
            )
            return StrictJsonLdError(
                f"Type {value!r} at {where or '$'} is not defined by any @context (it would become a relative "
                "IRI); use a defined type or a full IRI.",
                code="UNDEFINED_TYPE",
                details={"value": value, "path": where},
            )
        where = find_path(doc, lambda k, v: _value_in(v, value))
        return StrictJsonLdError(
            f"Value {value!r} at {where or '$'} is a relative IRI where an absolute IRI is expected; "
            "write a full IRI (for example urn:uuid:... or https://...).",
            code="RELATIVE_IRI",
            details={"value": value, "path": where},
        )
    if _BAD_IRI_CHAR.search(value):
        where = find_path(doc, lambda k, v: _value_in(v, value))
        return StrictJsonLdError(
            f"Value {value!r} at {where or '$'} is not a valid IRI (it contains a space, quote, angle bracket "
            "or similar); percent-encode those characters.",
            code="INVALID_IRI",
            details={"value": value, "path": where},
        )
    return None


def check_expanded(doc: dict[str, Any], expanded: list[Any]) -> None:
    """Reject relative or malformed IRIs anywhere in the expanded form (iteratively)."""
    stack = [expanded]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
            continue
        if not isinstance(item, dict):
            continue
        for key, value in item.items():
            if key == "@id":
                err = _iri_problem(doc, value, is_type=False)
            elif key == "@type":
                err = None
                for t in value if isinstance(value, list) else [value]:
                    if isinstance(t, str) and t != "@json":
                        err = err or _iri_problem(doc, t, is_type=True)
            elif key == "@value" or key == "@language" or key == "@direction" or key == "@index":
                continue
            else:
                err = None
                if not key.startswith("@"):
                    err = _iri_problem(doc, key, is_type=False)
                stack.append(value)
            if err is not None:
                raise err


def _normalize(value: Any, id_keys: set[str]) -> Any:
    """Compare modulo what compaction legitimately changes: [x] vs x, {"id": X} vs "X"."""
    if isinstance(value, list):
        items = [_normalize(v, id_keys) for v in value]
        # [x] reads as x, but [[x, y]] is not [x, y]: keep a nested array visible.
        return items[0] if len(items) == 1 and not isinstance(value[0], list) else items
    if isinstance(value, dict):
        if len(value) == 1:
            (k, v), = value.items()
            if k in id_keys and isinstance(v, str):
                return v
        return {k: _normalize(v, id_keys) for k, v in value.items()}
    return value


def _first_difference(a: Any, b: Any, path: JsonPath = ()) -> tuple[JsonPath, str | None, str] | None:
    """Path and description of the first place where a (document) and b (compacted) differ."""
    stack: list[tuple[Any, Any, JsonPath]] = [(a, b, path)]
    while stack:
        x, y, p = stack.pop()
        if isinstance(x, dict) and isinstance(y, dict):
            for k in x:
                if k not in y:
                    return p, k, "key"
            for k in y:
                if k not in x:
                    return p, k, "missing"
            stack.extend((x[k], y[k], p + (k,)) for k in x)
        elif isinstance(x, list) and isinstance(y, list) and len(x) == len(y):
            stack.extend((xi, yi, p + (i,)) for i, (xi, yi) in enumerate(zip(x, y)))
        elif x != y or type(x) is not type(y):
            return p, None, "value"
    return None


def _isolated_terms(doc: dict[str, Any], registry: ContextRegistry) -> dict[str, str]:
    """Top-level keys whose term resets the context to null and holds named graphs (VC 2.0
    `verifiableCredential` in a VerifiablePresentation), mapped to their IRIs. A value of such a
    term is processed exactly as a standalone document with its own @context (an embedded
    credential), so it is checked as one."""
    opts = pyld_options(registry)
    try:
        ctx = _pyld.process_context(_pyld.initial_context(opts), doc.get("@context"), opts)
        types = next((doc[k] for k, d in ctx["mappings"].items() if d and d.get("@id") == "@type" and k in doc),
                     doc.get("@type"))
        for t in sorted(types if isinstance(types, list) else [types] if isinstance(types, str) else []):
            scoped = (ctx["mappings"].get(t) or {}).get("@context")
            if scoped is not None and isinstance(t, str):
                ctx = _pyld.type_scoped_context(ctx, scoped, opts)
    except (jsonld.JsonLdError, TypeError, ValueError, AttributeError, KeyError):
        return {}
    out = {}
    for key in doc:
        defn = ctx["mappings"].get(key) or {}
        # pyld stores a null scoped context as False
        if "@context" in defn and defn["@context"] in (None, False) and defn.get("@container") == ["@graph"]:
            out[key] = defn["@id"]
    return out


def _check_embedded(doc: dict[str, Any], key: str, registry: ContextRegistry) -> None:
    """Each embedded document under an isolating term: strict on its own, like a standalone one."""
    items = doc[key] if isinstance(doc[key], list) else [doc[key]]
    for i, item in enumerate(items):
        if not isinstance(item, dict) or "@context" not in item:
            where = f"$.{key}[{i}]" if isinstance(doc[key], list) else f"$.{key}"
            raise StrictJsonLdError(f"The embedded document at {where} has no @context of its own; embed the "
                                    "credential exactly as it was signed.", code="NOT_ROUND_TRIP",
                                    details={"path": where})
        sub = pyld_expand(item, registry, strict=True)
        check_expanded(item, sub)
        check_round_trip(item, sub, registry)


def check_round_trip(doc: dict[str, Any], expanded: list[Any], registry: ContextRegistry) -> None:
    isolated: dict[str, str] = {}
    if any(find_path(v, lambda k, _: k == "@context") for k, v in doc.items() if k != "@context"):
        isolated = _isolated_terms(doc, registry)
    for key in isolated:
        _check_embedded(doc, key, registry)
    if isolated:  # the rest of the document is compared without the embedded ones
        doc = {k: v for k, v in doc.items() if k not in isolated}
        iris = set(isolated.values())
        expanded = [{k: v for k, v in node.items() if k not in iris} if isinstance(node, dict) else node
                    for node in expanded]
    for key, value in doc.items():
        if key == "@context":
            continue
        embedded = find_path(value, lambda k, v: k == "@context")
        if embedded is not None:
            where = f"$.{key}" + embedded[1:]
            raise StrictJsonLdError(
                f"The document has an embedded @context at {where}; put its terms in a bundled context "
                "listed in the top-level @context.",
                code="NOT_ROUND_TRIP",
                details={"path": where},
            )
    opts = pyld_options(registry)
    opts["compactArrays"] = True
    try:
        compacted = jsonld.JsonLdProcessor().compact(expanded, {"@context": doc["@context"]}, opts)
    except (jsonld.JsonLdError, TypeError, ValueError, AttributeError, KeyError) as exc:
        raise _wrap_pyld_error(exc) from None
    id_keys = {"@id", "id"}
    diff = _first_difference(_normalize(doc, id_keys), _normalize(compacted, id_keys))
    if diff is None:
        return
    path, diff_key, kind = diff
    where = _path_str(path + ((diff_key,) if diff_key is not None and kind == "key" else ()))
    if kind == "key":
        msg = (
            f"Key {diff_key!r} at {where} is not the term its @context defines for it (it compacts differently); "
            "write it with the context's own term."
        )
    elif kind == "missing":
        msg = (
            f"The data at {_path_str(path)} reads as {diff_key!r} under its @context but is written differently; "
            "write it in the compact form of the context."
        )
    else:
        msg = (
            f"The value at {where} is not in the compact form its @context produces (for example a nested "
            "array, a null, or an expanded value object); write it as the context defines it."
        )
    raise StrictJsonLdError(msg, code="NOT_ROUND_TRIP", details={"path": where, "key": diff_key})


# --- to RDF -----------------------------------------------------------------------------------
def _term(node: dict[str, Any]) -> str:
    kind, value = node["type"], str(node["value"])
    if kind == "IRI":
        return "<" + value + ">"
    if kind == "blank node":
        return value
    if node["datatype"] == RDF_LANGSTRING:
        return literal(node["value"], language=node["language"])
    return literal(node["value"], node["datatype"])


def _graph_term(name: str) -> str | None:
    if name == "@default":
        return ""
    if name.startswith("_:"):
        return name
    if _ABSOLUTE_IRI.match(name):
        return "<" + name + ">"
    return None  # a relative graph name: dropped, as pyld's toRDF does


def expanded_to_quads(expanded: list[Any]) -> list[tuple[Any, ...]]:
    """Quads (canonical terms) of an expanded document, as pyld's toRDF produces them."""
    return [(_term(t["subject"]), _term(t["predicate"]), _term(t["object"]), g)
            for g, triples in _pyld.graph_triples(expanded, _graph_term) for t in triples]
