"""The fast path's contexts: pyld's own active contexts (`_process_context`), cached per distinct
@context value and per scoped-context transition, with the lookup tables the walker (fastpath.py) uses."""
from __future__ import annotations

import json
import re
import weakref
from typing import Any

from ecvet_credentials.jsonld import _pyld
from ecvet_credentials.jsonld.contexts import ContextRegistry
from ecvet_credentials.jsonld.nquads import XSD_STRING
from ecvet_credentials.jsonld.rdf_terms import XSD_DOUBLE, Fallback
from ecvet_credentials.jsonld.strict import pyld_options


# Absolute IRI that is safe to emit unchanged (pyld's test plus N-Quads IRIREF characters).
_SAFE_IRI = re.compile(r'[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>"{}|^`\\]*\Z')
_LANG_TAG = re.compile(r"[a-z]{1,8}(?:-[a-z0-9]{1,8})*\Z")
# rdfDirection "i18n-datatype" (as Digital Bazaar's jsonld.js): a string with a base direction becomes a
# literal typed https://www.w3.org/ns/i18n#{language}_{direction}, so the direction is signed.
I18N = "https://www.w3.org/ns/i18n#"
_UNSET = object()  # a term without its own @language/@direction: the context's default applies
_CONTAINERS = (None, "@set", "@list", "@language", "@graph")  # the containers the walker handles


class _Term:
    __slots__ = ("iri", "node_iri", "coerce", "container", "scoped", "language", "direction", "ambiguous",
                 "plain", "direct", "nests", "text_suffix")

    def __init__(self, defn: dict[str, Any], default_language: Any = None, default_direction: Any = None) -> None:
        """`default_language`/`default_direction`: those of the context that defines the term."""
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
        # The walker's hot case: a string value under a term with no scoped context to apply first and
        # no @graph container is a literal or an IRI right away (`plain`); without a @list or
        # @language container, it is one quad (`direct`).
        self.plain = self.scoped is None and self.container != "@graph"
        self.direct = self.plain and self.container in (None, "@set")
        # An object value under this term is one node, walked right away (what `object` checks first).
        self.nests = self.container in (None, "@set") and (self.coerce in ("@id", "@vocab") or (
            self.coerce is None and self.language is _UNSET and self.direction is _UNSET))
        # What follows the quoted text of a string's literal: its language/direction, or its datatype
        # (None: not a literal, or a language the fast path does not take; the walker decides).
        self.text_suffix: str | None = None
        if self.coerce is None:
            self.text_suffix = _text_suffix(self.language if self.language is not _UNSET else default_language,
                                            self.direction if self.direction is not _UNSET else default_direction)
        elif self.coerce not in ("@id", "@vocab", XSD_DOUBLE):
            self.text_suffix = "" if self.coerce == XSD_STRING else "^^<" + self.coerce + ">"


def _text_suffix(language: Any, direction: str | None) -> str | None:
    """JSON-LD 1.1 value expansion of a string under a term with this language and direction, then
    toRDF with rdfDirection i18n-datatype; None for a language the fast path does not take."""
    if language is not None and (type(language) is not str or not _LANG_TAG.match(language)):
        return None
    if direction:  # "ltr" or "rtl" (pyld checks)
        return "^^<" + I18N + (language or "") + "_" + direction + ">"
    if language is not None:
        return "@" + language
    return ""


class FastContext:
    """An active context (a pyld one) plus lookup tables and cached transitions."""

    def __init__(self, pyld_ctx: _pyld.ActiveContext, registry: ContextRegistry):
        self.ctx = pyld_ctx
        self.registry = registry
        self.terms: dict[str, _Term] = {}
        self.id_keys: set[str] = set()
        self.type_keys: set[str] = set()
        self.other_keywords: set[str] = set()
        self.mappings: dict[str, Any] = pyld_ctx["mappings"]
        prefixes: list[str] = []
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
                prefixes.append(iri)
            if iri == "@id":
                self.id_keys.add(name)
            elif iri == "@type":
                self.type_keys.add(name)
            elif not isinstance(iri, str) or iri.startswith("@"):
                self.other_keywords.add(name)
            elif defn.get("reverse") or "@index" in defn or "@nest" in defn or not _SAFE_IRI.match(iri):
                self.other_keywords.add(name)  # unsupported definition: fall back when used
            else:
                term = _Term(defn, self.default_language, self.default_direction)
                # @index, @id and @type maps are not walked here: read as nodes, they would sign other quads
                if term.coerce in ("@json", "@none") or term.container not in _CONTAINERS:
                    self.other_keywords.add(name)
                    continue
                self.terms[name] = term
                by_iri.setdefault(iri, []).append(term)
        self.prefixes = tuple(prefixes)  # for one str.startswith
        # Compaction picks one term per IRI: a document using another one does not round-trip.
        for same in by_iri.values():
            if len(same) > 1:
                for term in same:
                    term.ambiguous = True
                    term.direct = term.nests = False
        # the node IRI of each type name that is a term, for the walker (`type_iri` decides the others)
        self.class_iris = {name: term.node_iri for name, term in self.terms.items() if not term.ambiguous}

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


def _iri_terms(fctx: FastContext) -> set[str]:
    cached: set[str] | None = fctx._children.get(("iris", None))
    if cached is None:
        cached = fctx._children[("iris", None)] = {t.iri for t in fctx.terms.values()}
    return cached
