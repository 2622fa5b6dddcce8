"""Fast path: JSON-LD to quads for the common, strict subset, with contexts processed once.

Context semantics come from pyld itself (its public `process_context`, through _pyld.py), cached
per distinct @context value and per scoped-context transition, so term definitions are exact. The walker below then handles
only documents that are already in the compact form those contexts produce: defined terms, @id /
@type aliases, @id / @vocab / datatype coercion, native numbers and booleans, @set, @list and
@graph containers, type-scoped and property-scoped contexts. Anything else raises `Fallback` and
the full pyld path (strict.py) decides, so strictness is never weaker than the slow path's.
The differential test (tests/test_canon_differential.py) checks both paths give the same quads.
"""
from __future__ import annotations

import json
import re
import weakref
from typing import Any

from ecvet_credentials.jsonld import _pyld
from ecvet_credentials.jsonld.contexts import ContextRegistry
from ecvet_credentials.jsonld.nquads import literal
from ecvet_credentials.jsonld.strict import pyld_options
from ecvet_credentials.jsonld.rdf_terms import RDF_TYPE, RDF_FIRST, RDF_REST, RDF_NIL, XSD_DOUBLE, Fallback, _native


# Absolute IRI that is safe to emit unchanged (pyld's test plus N-Quads IRIREF characters).
_SAFE_IRI = re.compile(r'[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>"{}|^`\\]*\Z')
_LANG_TAG = re.compile(r"[a-z]{1,8}(?:-[a-z0-9]{1,8})*\Z")
# rdfDirection "i18n-datatype" (as Digital Bazaar's jsonld.js): a string with a base direction becomes a
# literal typed https://www.w3.org/ns/i18n#{language}_{direction}, so the direction is signed.
I18N = "https://www.w3.org/ns/i18n#"
_UNSET = object()  # a term without its own @language/@direction: the context's default applies
_CONTAINERS = (None, "@set", "@list", "@language", "@graph")  # the containers the walker handles


class _Term:
    __slots__ = ("iri", "node_iri", "coerce", "container", "scoped", "language", "direction", "ambiguous")

    def __init__(self, defn: dict[str, Any]) -> None:
        self.iri: str = defn["@id"]
        self.node_iri: str = "<" + self.iri + ">"
        self.coerce = defn.get("@type")  # None, "@id", "@vocab" or a datatype IRI
        container = defn.get("@container") or []
        self.container = container[0] if len(container) == 1 else (None if not container else "?")
        self.scoped = defn.get("@context")
        # pyld keeps an explicit null (no language / no direction, overriding the default) as None
        self.language = defn.get("@language", _UNSET)
        self.direction = defn.get("@direction", _UNSET)
        self.ambiguous = False


class FastContext:
    """An active context (a pyld one) plus lookup tables and cached transitions."""

    def __init__(self, pyld_ctx: _pyld.ActiveContext, registry: ContextRegistry):
        self.ctx = pyld_ctx
        self.registry = registry
        self.terms: dict[str, _Term] = {}
        self.id_keys: set[str] = set()
        self.type_keys: set[str] = set()
        self.other_keywords: set[str] = set()
        self.prefixes: list[str] = []
        self.vocab: str | None = pyld_ctx.get("@vocab")
        self.default_language = pyld_ctx.get("@language")
        self.default_direction = pyld_ctx.get("@direction")
        self.reverts = "previousContext" in pyld_ctx
        # child contexts per (kind, key), and the set of term IRIs under ("iris", None)
        self._children: dict[tuple[str, str | None], Any] = {}
        self._revert: FastContext | None = None
        by_iri: dict[str, list[_Term]] = {}
        for name, defn in pyld_ctx["mappings"].items():
            iri = defn.get("@id")  # None for a term defined as null
            if defn.get("_prefix"):
                self.prefixes.append(iri)
            if iri == "@id":
                self.id_keys.add(name)
            elif iri == "@type":
                self.type_keys.add(name)
            elif not isinstance(iri, str) or iri.startswith("@"):
                self.other_keywords.add(name)
            elif defn.get("reverse") or "@index" in defn or "@nest" in defn or not _SAFE_IRI.match(iri):
                self.other_keywords.add(name)  # unsupported definition: fall back when used
            else:
                term = _Term(defn)
                # @index, @id and @type maps are not walked here: read as nodes, they would sign other quads
                if term.coerce in ("@json", "@none") or term.container not in _CONTAINERS:
                    self.other_keywords.add(name)
                    continue
                self.terms[name] = term
                by_iri.setdefault(iri, []).append(term)
        # Compaction picks one term per IRI: a document using another one does not round-trip.
        for same in by_iri.values():
            if len(same) > 1:
                for term in same:
                    term.ambiguous = True

    def child(self, kind: str, key: str | None, local_ctx: Any) -> "FastContext":
        cached: FastContext | None = self._children.get((kind, key))
        if cached is None:
            opts = pyld_options(self.registry)
            try:
                if kind == "property":
                    new = _pyld.property_scoped_context(self.ctx, local_ctx, opts)
                else:
                    new = _pyld.type_scoped_context(self.ctx, local_ctx, opts)
            except _pyld.JsonLdError:
                raise Fallback from None  # e.g. a protected term redefined: the slow path decides
            cached = self._children[(kind, key)] = FastContext(new, self.registry)
        return cached

    def reverted(self) -> "FastContext":
        if self._revert is None:
            self._revert = FastContext(self.ctx["previousContext"], self.registry)
        return self._revert


_top_contexts: "weakref.WeakKeyDictionary[ContextRegistry, dict[str | tuple[str, ...], FastContext]]" = weakref.WeakKeyDictionary()


def top_context(local_ctx: Any, registry: ContextRegistry) -> FastContext:
    cache = _top_contexts.get(registry)
    if cache is None:
        cache = _top_contexts[registry] = {}
    key: str | tuple[str, ...]
    if isinstance(local_ctx, str):
        key = local_ctx
    elif isinstance(local_ctx, list) and all(isinstance(c, str) for c in local_ctx):
        key = tuple(local_ctx)
    else:
        key = json.dumps(local_ctx, sort_keys=True)
    fctx = cache.get(key)
    if fctx is None:
        opts = pyld_options(registry)
        try:
            pyld_ctx = _pyld.process_context(_pyld.initial_context(opts), local_ctx, opts)
        except _pyld.JsonLdError:
            raise Fallback from None  # the slow path reports the error properly
        if len(cache) > 256:
            cache.clear()  # bounded: attackers control inline contexts
        fctx = cache[key] = FastContext(pyld_ctx, registry)
    return fctx


class _Walker:
    def __init__(self) -> None:
        self.quads: list[tuple[Any, ...]] = []
        self.counter = 0

    def bnode(self) -> str:
        self.counter += 1
        return f"_:f{self.counter}"

    def iri(self, value: Any, fctx: FastContext) -> str:
        """An @id value: must be absolute, not a CURIE, and not something compaction would shorten."""
        if type(value) is not str or not _SAFE_IRI.match(value):
            raise Fallback
        head = value.split(":", 1)[0]
        if head in fctx.ctx["mappings"] or head == "_":
            raise Fallback
        for prefix in fctx.prefixes:
            if value.startswith(prefix):
                raise Fallback
        return "<" + value + ">"

    def type_iri(self, value: str, type_fctx: FastContext) -> str:
        term = type_fctx.terms.get(value)
        if term is not None and not term.ambiguous:
            return term.node_iri
        if term is None and type_fctx.vocab and ":" not in value and value not in type_fctx.ctx["mappings"]:
            iri = type_fctx.vocab + value
            if _SAFE_IRI.match(iri) and iri not in _iri_terms(type_fctx):
                return "<" + iri + ">"
        raise Fallback

    # --- nodes ----------------------------------------------------------------------------------
    def node(self, elem: dict[str, Any], fctx: FastContext, graph: str, top: bool = False,
             term: _Term | None = None, key: str | None = None) -> str:
        embedded = False
        if not top and "@context" in elem:
            # Only under a term whose scoped context is null (pyld: False), with @graph container (VC 2.0
            # `verifiableCredential`): the embedded document then starts from the initial context,
            # exactly like a standalone document (what strict.check_round_trip checks on the slow path).
            if term is None or term.scoped is not False or term.container != "@graph":
                raise Fallback
            fctx = top_context(elem["@context"], fctx.registry)
            for k in elem:
                if k == "@graph" or k in fctx.other_keywords:
                    raise Fallback
            embedded = True
        elif not top:
            # Same order as JSON-LD expansion: revert a non-propagated type-scoped context, then
            # apply the property-scoped context of the term that leads here.
            if fctx.reverts and not (len(elem) == 1 and next(iter(elem)) in fctx.id_keys):
                fctx = fctx.reverted()
            if term is not None and term.scoped is not None:
                fctx = fctx.child("property", key, term.scoped)
        type_fctx = fctx
        subject = None
        types = None
        for key, value in elem.items():
            if key in fctx.id_keys:
                if subject is not None:
                    raise Fallback
                subject = self.iri(value, fctx)
            elif key in fctx.type_keys:
                if types is not None:
                    raise Fallback
                types = value if type(value) is list else [value]
                if not types:
                    raise Fallback
        if types:
            for t in types:
                if type(t) is not str:
                    raise Fallback  # before sorting: a number among strings would not sort
            # Type-scoped contexts apply in lexicographic order of the type values (JSON-LD 1.1).
            for t in sorted(types) if len(types) > 1 else types:
                term = type_fctx.terms.get(t)
                if term is not None and term.scoped is not None:
                    fctx = fctx.child("type", t, term.scoped)
        if subject is None:
            subject = self.bnode()
        quads = self.quads
        for key, value in elem.items():
            term = fctx.terms.get(key)
            if term is None:
                if key in fctx.id_keys:
                    continue
                if key in fctx.type_keys:
                    for t in types or ():
                        quads.append((subject, RDF_TYPE, self.type_iri(t, type_fctx), graph))
                    continue
                if key == "@context" and (top or embedded):
                    continue
                if fctx.vocab and ":" not in key and key[:1] != "@" and key not in fctx.other_keywords:
                    term = self.vocab_term(key, fctx)
                else:
                    raise Fallback
            elif term.ambiguous:
                raise Fallback
            self.property(subject, term, key, value, fctx, graph)
        return subject

    def vocab_term(self, key: str, fctx: FastContext) -> _Term:
        iri = (fctx.vocab or "") + key  # called only when the context has a @vocab
        if not _SAFE_IRI.match(iri) or iri in _iri_terms(fctx):
            raise Fallback
        term = _Term({"@id": iri})
        return term

    def property(self, subject: str, term: _Term, key: str, value: Any, fctx: FastContext, graph: str) -> None:
        container = term.container
        if container == "@language":
            self.language_map(subject, term, value, graph, fctx)
            return
        if container == "@list":
            if type(value) is not list:
                value = [value]
            obj = self.rdf_list(value, term, key, fctx, graph)
            self.quads.append((subject, term.node_iri, obj, graph))
            return
        if type(value) is list:
            if not value:
                raise Fallback  # an empty array is dropped by expansion
            for item in value:
                if type(item) is list:
                    raise Fallback
                self.quads.append((subject, term.node_iri, self.object(item, term, key, fctx, graph), graph))
        else:
            self.quads.append((subject, term.node_iri, self.object(value, term, key, fctx, graph), graph))

    def language_map(self, subject: str, term: _Term, value: Any, graph: str, fctx: FastContext) -> None:
        # Only the form compaction produces: lower-case tags, string or non-empty string-array values.
        if type(value) is not dict or not value or term.language is not _UNSET:
            raise Fallback
        direction = term.direction if term.direction is not _UNSET else fctx.default_direction
        for lang, texts in value.items():
            if not _LANG_TAG.match(lang):
                raise Fallback
            if type(texts) is str:
                texts = (texts,)
            elif type(texts) is not list or not texts:
                raise Fallback
            for text in texts:
                if type(text) is not str:
                    raise Fallback
                obj = literal(text, I18N + lang + "_" + direction) if direction else literal(text, language=lang)
                self.quads.append((subject, term.node_iri, obj, graph))

    def rdf_list(self, items: list[Any], term: _Term, key: str, fctx: FastContext, graph: str) -> str:
        if not items:
            return RDF_NIL
        head = node = self.bnode()
        last = len(items) - 1
        for i, item in enumerate(items):
            if type(item) is list:
                raise Fallback
            self.quads.append((node, RDF_FIRST, self.object(item, term, key, fctx, graph), graph))
            nxt = RDF_NIL if i == last else self.bnode()
            self.quads.append((node, RDF_REST, nxt, graph))
            node = nxt
        return head

    def object(self, value: Any, term: _Term, key: str, fctx: FastContext, graph: str) -> str:
        coerce = term.coerce
        if type(value) is not str and coerce is None and (term.language is not _UNSET or term.direction is not _UNSET):
            # a term mapped to a language/direction is chosen by compaction only for strings: let pyld decide
            raise Fallback
        if type(value) is dict:
            if coerce is not None and coerce != "@id" and coerce != "@vocab":
                raise Fallback  # node under a datatype term: compaction would pick another key
            if term.container == "@graph":
                if "@graph" in value or not value:
                    raise Fallback
                name = self.bnode()
                self.node(value, fctx, name, term=term, key=key)
                return name
            return self.node(value, fctx, graph, term=term, key=key)
        if term.container == "@graph":
            raise Fallback
        if value is None:
            raise Fallback
        if term.scoped is not None:
            # pyld expands a scalar with the property-scoped context applied (and not reverted).
            fctx = fctx.child("property", key, term.scoped)
            scoped_term = fctx.terms.get(key)
            if scoped_term is None or scoped_term.ambiguous:
                raise Fallback
            term = scoped_term
            coerce = term.coerce
        if coerce == "@id":
            return self.iri(value, fctx)
        if coerce == "@vocab":
            if type(value) is not str:
                raise Fallback
            target = fctx.terms.get(value)
            if target is None or target.ambiguous:
                raise Fallback
            return target.node_iri
        if coerce is None:
            if type(value) is str:
                return _string_literal(value, term, fctx)
            return _native(value, None)
        if type(value) is str and coerce != XSD_DOUBLE:
            return literal(value, coerce)
        return _native(value, coerce)


def _string_literal(value: str, term: _Term, fctx: FastContext) -> str:
    """A plain string under a term: the term's @language/@direction, else the context's defaults
    (JSON-LD 1.1 value expansion), then toRDF with rdfDirection i18n-datatype."""
    language = term.language if term.language is not _UNSET else fctx.default_language
    direction = term.direction if term.direction is not _UNSET else fctx.default_direction
    if language is not None and (type(language) is not str or not _LANG_TAG.match(language)):
        raise Fallback
    if direction:
        return literal(value, I18N + (language or "") + "_" + direction)
    if language is not None:
        return literal(value, language=language)
    return literal(value)


def _iri_terms(fctx: FastContext) -> set[str]:
    cached: set[str] | None = fctx._children.get(("iris", None))
    if cached is None:
        cached = fctx._children[("iris", None)] = {t.iri for t in fctx.terms.values()}
    return cached


def fast_quads(doc: dict[str, Any], registry: ContextRegistry) -> list[tuple[Any, ...]]:
    """Quads of `doc` or Fallback. Assumes limits were checked (recursion depth is bounded)."""
    fctx = top_context(doc["@context"], registry)
    for key in doc:
        if key == "@graph" or key in fctx.other_keywords:
            raise Fallback
    walker = _Walker()
    walker.node(doc, fctx, "", top=True)
    return walker.quads
