"""Public canonicalization API: RDFC-1.0 of JSON-LD documents, strict, offline and bounded.

`canonicalize` tries the fast path (fastpath.py: cached contexts, a specialised walker) and falls
back to the full pyld path (strict.py) for anything outside the fast path's subset. A differential
test (tests/test_canon_differential.py) guards that both give the same bytes and the same errors.
"""
from __future__ import annotations

import time
from typing import Any

from ecvet_credentials.core.errors import InputError
from ecvet_credentials.i18n import N_
from ecvet_credentials.jsonld.contexts import ContextRegistry, default_registry
from ecvet_credentials.jsonld.fastpath import Fallback, fast_quads_counted
from ecvet_credentials.jsonld.limits import DEFAULT_LIMITS, Limits, check_limits
from ecvet_credentials.jsonld.nquads import parse_nquads
from ecvet_credentials.jsonld.rdfc import canonicalize_quads, has_blank_nodes
from ecvet_credentials.jsonld import strict as _strict

__all__ = ["canonicalize", "canonicalize_nquads", "canonical_labels", "check_strict", "expand", "to_quads"]


def _prepare(doc: object, registry: ContextRegistry | None, limits: object, *, checked: bool = False) -> ContextRegistry:
    """Argument checks, then the input limits (unless the fast path has just checked them, `checked`)."""
    if not isinstance(doc, dict):
        raise TypeError(f"a JSON-LD document must be a dict, not {type(doc).__name__}")
    if not isinstance(limits, Limits):
        raise TypeError("limits must be a Limits instance")
    if registry is None:
        registry = default_registry()
    elif not isinstance(registry, ContextRegistry):
        raise TypeError("registry must be a ContextRegistry")
    if not checked:
        check_limits(doc, limits=limits, source=N_("the document"))
    if "@context" not in doc:
        raise InputError("The document has no @context; add the VC 2.0 context first.", code="NO_CONTEXT")
    return registry


def expand(doc: dict[str, Any], *, registry: ContextRegistry | None = None, limits: Limits = DEFAULT_LIMITS,
           strict: bool = True) -> list[Any]:
    """Expanded JSON-LD of `doc` (contexts from the registry only); strict checks as canonicalize."""
    registry = _prepare(doc, registry, limits)
    expanded = _strict.pyld_expand(doc, registry, strict=strict)
    if strict:
        _strict.check_expanded(doc, expanded)
        _strict.check_round_trip(doc, expanded, registry)
    return expanded


def to_quads(doc: dict[str, Any], *, registry: ContextRegistry | None = None, limits: Limits = DEFAULT_LIMITS,
             strict: bool = True, fast: bool = True) -> list[Any]:
    """The RDF quads of `doc` (canonical-term tuples, blank node labels not yet canonical)."""
    return _to_quads(doc, registry, limits, strict, fast)[0]


def _to_quads(doc: dict[str, Any], registry: ContextRegistry | None, limits: Limits, strict: bool,
              fast: bool) -> tuple[list[Any], bool | None]:
    """to_quads, and whether they have blank nodes: from the fast path, which counts the ones it makes
    (True when it made one that no quad uses: harmless), None from the slow path (not known)."""
    if fast and isinstance(doc, dict) and "@context" in doc:
        # The fast path checks the input limits as it walks (one walk instead of two); a document it
        # does not take is checked in full by _prepare before the slow path sees it.
        fast_registry = _prepare(doc, registry, limits, checked=True)
        try:
            quads, blank_nodes = fast_quads_counted(doc, fast_registry, limits)
            return quads, blank_nodes > 0
        except Fallback:
            pass
    registry = _prepare(doc, registry, limits)
    return _slow_quads(doc, registry, strict), None


def _slow_quads(doc: dict[str, Any], registry: ContextRegistry, strict: bool) -> list[Any]:
    expanded = _strict.pyld_expand(doc, registry, strict=strict)
    if strict:
        _strict.check_expanded(doc, expanded)
        _strict.check_round_trip(doc, expanded, registry)
    return _strict.expanded_to_quads(expanded)


def canonicalize(doc: dict[str, Any], *, registry: ContextRegistry | None = None, limits: Limits = DEFAULT_LIMITS,
                 strict: bool = True, hash_algorithm: str = "sha256", fast: bool = True) -> str:
    """RDFC-1.0 canonical N-Quads of the JSON-LD document `doc`.

    Contexts come only from `registry` (UnknownContextError otherwise). strict=True raises
    StrictJsonLdError for anything that would be dropped or reinterpreted; LimitExceededError for
    any exceeded bound. `fast=False` forces the full pyld path (for tests and comparisons).
    """
    deadline = time.monotonic() + limits.max_seconds
    # A document the fast path accepts is strict-valid, so its quads are right for strict=False too.
    quads, blank_nodes = _to_quads(doc, registry, limits, strict, fast)
    return canonicalize_quads(quads, limits=limits, hash_algorithm=hash_algorithm, deadline=deadline,
                              blank_nodes=blank_nodes).nquads


def check_strict(doc: dict[str, Any], *, registry: ContextRegistry | None = None, limits: Limits = DEFAULT_LIMITS) -> None:
    """Raise exactly what canonicalize(doc).encode("utf-8") would raise, without the canonical form
    when the document has no blank node (eddsa-jcs-2022's strict JSON-LD check: only errors count)."""
    deadline = time.monotonic() + limits.max_seconds
    quads, blank_nodes = _to_quads(doc, registry, limits, True, True)
    if blank_nodes is None:
        blank_nodes = has_blank_nodes(quads)
    if len(quads) <= limits.max_quads and not blank_nodes:
        try:
            "".join(map("".join, quads)).encode("utf-8")  # a lone surrogate cannot be encoded
            return
        except UnicodeEncodeError:
            pass  # the same error as the caller of canonicalize gets, from the same text
    canonicalize_quads(quads, limits=limits, deadline=deadline, blank_nodes=blank_nodes).nquads.encode("utf-8")


def canonicalize_nquads(nquads: str, *, limits: Limits = DEFAULT_LIMITS, hash_algorithm: str = "sha256") -> str:
    """RDFC-1.0 canonical N-Quads of an N-Quads dataset."""
    quads = parse_nquads(nquads, max_quads=limits.max_quads)
    return canonicalize_quads(quads, limits=limits, hash_algorithm=hash_algorithm).nquads


def canonical_labels(nquads: str, *, limits: Limits = DEFAULT_LIMITS, hash_algorithm: str = "sha256") -> dict[str, Any]:
    """The RDFC-1.0 issued identifiers map (input blank node label -> canonical label)."""
    quads = parse_nquads(nquads, max_quads=limits.max_quads)
    return canonicalize_quads(quads, limits=limits, hash_algorithm=hash_algorithm).issued
