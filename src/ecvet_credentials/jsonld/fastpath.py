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

import re
from typing import Any

from ecvet_credentials.i18n import N_
from ecvet_credentials.jsonld.contexts import ContextRegistry
from ecvet_credentials.jsonld.fast_context import (
    _LANG_TAG, _SAFE_IRI, _UNSET, I18N, FastContext, _iri_terms, _Term, top_context,
)
from ecvet_credentials.jsonld.limits import DEFAULT_LIMITS, Limits, count_within, too_deep, too_long, too_many
from ecvet_credentials.jsonld.nquads import _ESCAPES, escape_literal, literal
from ecvet_credentials.jsonld.rdf_terms import RDF_TYPE, RDF_FIRST, RDF_REST, RDF_NIL, XSD_DOUBLE, Fallback, _native

__all__ = ["FastContext", "Fallback", "I18N", "fast_quads", "fast_quads_counted", "top_context"]

# What _SAFE_IRI checks of each @id value, checked once for all of them at the end of the walk (a regex
# match per value was a third of it): the characters it refuses are all ASCII, so the UTF-8 bytes of any
# other character pass; schemes are joined by a newline, which no scheme can hold.
_IRI_BAD_BYTES = bytes(range(0x21)) + b'<>"{}|^`\\'
# Language-map tags that matched _LANG_TAG (a handful in practice; bounded): a set lookup, not a regex
_LANG_TAGS_SEEN: set[str] = set()
_SCHEMES = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*(?:\n[A-Za-z][A-Za-z0-9+.-]*)*\Z")



class _Walker:
    """Walks the document once, also enforcing the input limits (check_limits' bounds, counted the
    same way) so that canonicalizing a document the fast path accepts walks it only once."""

    def __init__(self, limits: Limits) -> None:
        self.quads: list[tuple[Any, ...]] = []
        self.iris: list[str] = []  # the @id values, and their schemes: for check_iris
        self.schemes: set[str] = set()
        self.counter = 0
        self.values = 1  # JSON values seen, the root included (as check_limits counts)
        self.limits = limits
        self.max_depth, self.max_len, self.max_values = limits.max_depth, limits.max_array_length, limits.max_json_values

    def container(self, value: dict[str, Any] | list[Any], depth: int) -> None:
        """Bounds of a container with `depth` containers around it; counts its items."""
        if depth >= self.max_depth:
            too_deep(self.max_depth, N_("the document"))
        if type(value) is list and len(value) > self.max_len:
            too_long(len(value), self.max_len, N_("the document"))
        self.values += len(value)
        if self.values > self.max_values:
            too_many(self.max_values, N_("the document"))

    def contexts(self, value: Any, depth: int) -> None:
        """The bounds of an @context value (`depth` containers around it; counted by its parent)."""
        if type(value) is not str:
            self.values = count_within(value, limits=self.limits, source=N_("the document"), depth=depth,
                                       count=self.values - 1)

    def bnode(self) -> str:
        self.counter += 1
        return f"_:f{self.counter}"

    def iri(self, value: Any, fctx: FastContext) -> str:
        """An @id value: must be absolute, not a CURIE, and not something compaction would shorten (its
        characters and scheme, _SAFE_IRI, are checked with all the others by check_iris)."""
        if type(value) is not str:
            raise Fallback
        colon = value.find(":")
        scheme = value[:colon]
        if colon < 1 or scheme in fctx.mappings or (fctx.prefixes and value.startswith(fctx.prefixes)):
            raise Fallback
        self.iris.append(value)
        self.schemes.add(scheme)
        return f"<{value}>"

    def check_iris(self) -> None:
        """Fallback unless every @id value matches _SAFE_IRI (a valid scheme, then no character that
        N-Quads refuses in an IRI): iri() left these checks to one pass over all of them."""
        if self.schemes and not _SCHEMES.match("\n".join(self.schemes)):
            raise Fallback
        text = "".join(self.iris).encode("utf-8", "surrogatepass")  # lone surrogates pass, as in _SAFE_IRI
        if len(text.translate(None, _IRI_BAD_BYTES)) != len(text):
            raise Fallback

    def type_iri(self, value: str, type_fctx: FastContext) -> str:
        """A type that is no term (the terms' IRIs are in class_iris): a @vocab IRI, else Fallback."""
        if value not in type_fctx.terms and type_fctx.vocab and ":" not in value and value not in type_fctx.mappings:
            iri = type_fctx.vocab + value
            if _SAFE_IRI.match(iri) and iri not in _iri_terms(type_fctx):
                return "<" + iri + ">"
        raise Fallback

    # --- nodes ----------------------------------------------------------------------------------
    def node(self, elem: dict[str, Any], fctx: FastContext, graph: str, depth: int, top: bool = False,
             term: _Term | None = None, key: str | None = None) -> str:
        if depth >= self.max_depth:  # self.container(elem, depth), inlined
            too_deep(self.max_depth, N_("the document"))
        self.values += len(elem)
        if self.values > self.max_values:
            too_many(self.max_values, N_("the document"))
        embedded = False
        if not top and "@context" in elem:
            # Only under a term whose scoped context is null (pyld: False), with @graph container (VC 2.0
            # `verifiableCredential`): the embedded document then starts from the initial context,
            # exactly like a standalone document (what strict.check_round_trip checks on the slow path).
            if term is None or term.scoped is not False or term.container != "@graph":
                raise Fallback
            self.contexts(elem["@context"], depth + 1)
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
        types: tuple[str] | list[Any] | None = None
        # A node has one key of each (its aliases: usually just "id" and "type"); two fall back.
        for key in fctx.id_keys:
            value = elem.get(key, _UNSET)
            if value is not _UNSET:
                if subject is not None:
                    raise Fallback
                subject = self.iri(value, fctx)
        for key in fctx.type_keys:
            value = elem.get(key, _UNSET)
            if value is not _UNSET:
                if types is not None:
                    raise Fallback
                if type(value) is str:
                    types = (value,)
                elif type(value) is list and value:
                    self.container(value, depth + 1)
                    for t in value:
                        if type(t) is not str:
                            raise Fallback  # before sorting: a number among strings would not sort
                    types = value
                else:
                    raise Fallback
        if types:
            # Type-scoped contexts apply in lexicographic order of the type values (JSON-LD 1.1).
            for t in sorted(types) if len(types) > 1 else types:
                term = type_fctx.terms.get(t)
                if term is not None and term.scoped is not None:
                    fctx = fctx.child("type", t, term.scoped)
        if subject is None:
            subject = self.bnode()
        quads = self.quads
        terms = fctx.terms
        for key, value in elem.items():
            term = terms.get(key)
            if term is None:
                if key in fctx.id_keys:
                    continue
                if key in fctx.type_keys:
                    class_iris = type_fctx.class_iris
                    for t in types or ():
                        quads.append((subject, RDF_TYPE, class_iris.get(t) or self.type_iri(t, type_fctx), graph))
                    continue
                if key == "@context" and (top or embedded):
                    continue
                if fctx.vocab and ":" not in key and key[:1] != "@" and key not in fctx.other_keywords:
                    term = self.vocab_term(key, fctx)
                else:
                    raise Fallback
            elif type(value) is str and term.direct:  # self.property(...) in short, for the commonest values
                suffix = term.text_suffix
                if suffix is not None:
                    if not value.isprintable() or '"' in value or "\\" in value:  # nquads.escape_literal, inlined
                        value = value.translate(_ESCAPES)
                    quads.append((subject, term.node_iri, '"' + value + '"' + suffix, graph))
                    continue
                if term.coerce == "@id":
                    quads.append((subject, term.node_iri, self.iri(value, fctx), graph))
                    continue
            elif type(value) is dict and term.nests:
                quads.append((subject, term.node_iri, self.node(value, fctx, graph, depth + 1, False, term, key), graph))
                continue
            elif term.ambiguous:  # (direct and nests terms are not)
                raise Fallback
            elif term.container == "@language":
                self.language_map(subject, term, value, graph, fctx, depth + 1)
                continue
            self.property(subject, term, key, value, fctx, graph, depth + 1)
        return subject

    def vocab_term(self, key: str, fctx: FastContext) -> _Term:
        iri = (fctx.vocab or "") + key  # called only when the context has a @vocab
        if not _SAFE_IRI.match(iri) or iri in _iri_terms(fctx):
            raise Fallback
        return _Term({"@id": iri}, fctx.default_language, fctx.default_direction)

    def property(self, subject: str, term: _Term, key: str, value: Any, fctx: FastContext, graph: str,
                 depth: int) -> None:
        """`value` has `depth` containers around it (node() has taken the @language containers)."""
        if term.container == "@list":
            if type(value) is list:
                self.container(value, depth)
                depth += 1
            else:
                value = [value]
            obj = self.rdf_list(value, term, key, fctx, graph, depth)
            self.quads.append((subject, term.node_iri, obj, graph))
            return
        if type(value) is list:
            if not value:
                raise Fallback  # an empty array is dropped by expansion
            self.container(value, depth)
            quads, node_iri, nests = self.quads, term.node_iri, term.nests
            for item in value:
                if type(item) is dict and nests:  # self.object(...) in short
                    quads.append((subject, node_iri, self.node(item, fctx, graph, depth + 1, False, term, key), graph))
                    continue
                if type(item) is list:
                    raise Fallback
                quads.append((subject, node_iri, self.object(item, term, key, fctx, graph, depth + 1), graph))
        else:
            self.quads.append((subject, term.node_iri, self.object(value, term, key, fctx, graph, depth), graph))

    def language_map(self, subject: str, term: _Term, value: Any, graph: str, fctx: FastContext, depth: int) -> None:
        # Only the form compaction produces: lower-case tags, string or non-empty string-array values.
        if type(value) is not dict or not value or term.language is not _UNSET:
            raise Fallback
        self.container(value, depth)
        direction = term.direction if term.direction is not _UNSET else fctx.default_direction
        quads, node_iri = self.quads, term.node_iri
        for lang, texts in value.items():
            if lang not in _LANG_TAGS_SEEN:
                if not _LANG_TAG.match(lang):
                    raise Fallback
                if len(_LANG_TAGS_SEEN) < 256:
                    _LANG_TAGS_SEEN.add(lang)
            # nquads.literal(text, I18N + lang + "_" + direction) or literal(text, language=lang), inlined
            suffix = "^^<" + I18N + lang + "_" + direction + ">" if direction else "@" + lang
            if type(texts) is str:
                texts = (texts,)
            elif type(texts) is not list or not texts:
                raise Fallback
            else:
                self.container(texts, depth + 1)
            for text in texts:
                if type(text) is not str:
                    raise Fallback
                if not text.isprintable() or '"' in text or "\\" in text:  # nquads.escape_literal, inlined
                    text = text.translate(_ESCAPES)
                quads.append((subject, node_iri, '"' + text + '"' + suffix, graph))

    def rdf_list(self, items: list[Any], term: _Term, key: str, fctx: FastContext, graph: str, depth: int) -> str:
        if not items:
            return RDF_NIL
        head = node = self.bnode()
        last = len(items) - 1
        for i, item in enumerate(items):
            if type(item) is list:
                raise Fallback
            self.quads.append((node, RDF_FIRST, self.object(item, term, key, fctx, graph, depth), graph))
            nxt = RDF_NIL if i == last else self.bnode()
            self.quads.append((node, RDF_REST, nxt, graph))
            node = nxt
        return head

    def object(self, value: Any, term: _Term, key: str, fctx: FastContext, graph: str, depth: int) -> str:
        coerce = term.coerce
        if type(value) is str and term.plain:  # most values: the general case below, in short
            suffix = term.text_suffix
            if suffix is not None:
                return '"' + escape_literal(value) + '"' + suffix
            if coerce == "@id":
                return self.iri(value, fctx)
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
                self.node(value, fctx, name, depth, term=term, key=key)
                return name
            return self.node(value, fctx, graph, depth, term=term, key=key)
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
                if term.text_suffix is None:
                    raise Fallback
                return literal(value) + term.text_suffix
            return _native(value, None)
        if type(value) is str and coerce != XSD_DOUBLE:
            return literal(value, coerce)
        return _native(value, coerce)


def fast_quads(doc: dict[str, Any], registry: ContextRegistry, limits: Limits = DEFAULT_LIMITS) -> list[tuple[Any, ...]]:
    """Quads of `doc` or Fallback; LimitExceededError (or TypeError) as check_limits(doc, limits) would
    raise it: the walk is recursive but stops at limits.max_depth."""
    return fast_quads_counted(doc, registry, limits)[0]


def fast_quads_counted(doc: dict[str, Any], registry: ContextRegistry, limits: Limits = DEFAULT_LIMITS) -> tuple[list[tuple[Any, ...]], int]:
    """fast_quads, and the number of blank nodes in them (0 spares canonicalization a scan for them)."""
    walker = _Walker(limits)
    walker.contexts(doc["@context"], 1)
    fctx = top_context(doc["@context"], registry)
    for key in doc:
        if key == "@graph" or key in fctx.other_keywords:
            raise Fallback
    walker.node(doc, fctx, "", 0, top=True)
    walker.check_iris()
    return walker.quads, walker.counter
