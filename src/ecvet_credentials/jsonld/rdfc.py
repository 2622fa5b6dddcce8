"""RDFC-1.0 (W3C RDF Dataset Canonicalization) with a work budget and a deadline.

Written here rather than reused from pyld/pyoxigraph because neither can be bounded: poison graphs
make the N-degree step factorial. Every Hash N-Degree Quads call and every permutation costs one
work unit; exceeding `Limits.max_work`, `max_blank_nodes` or the deadline raises LimitExceededError.
"""
from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass
from itertools import permutations
from typing import Any, Callable

from ecvet_credentials.core.errors import LimitExceededError
from ecvet_credentials.jsonld.limits import DEFAULT_LIMITS, Limits, check_cancelled
from ecvet_credentials.jsonld.nquads import serialize_quad

HASHES = {"sha256": hashlib.sha256, "sha384": hashlib.sha384}


def _hash_factory(name: str) -> Callable[[bytes], hashlib._Hash]:
    key = name.lower().replace("-", "")
    if key not in HASHES:
        raise ValueError(f"hash_algorithm must be SHA-256 or SHA-384, not {name!r}")
    return HASHES[key]


@dataclass
class RdfcResult:
    nquads: str
    issued: dict[str, Any]  # original blank node label (without "_:") -> canonical label ("c14n0")


class _Issuer:
    __slots__ = ("prefix", "counter", "issued")

    def __init__(self, prefix: str):
        self.prefix = prefix
        self.counter = 0
        self.issued: dict[str, str] = {}

    def issue(self, existing: str) -> str:
        got = self.issued.get(existing)
        if got is None:
            got = self.issued[existing] = f"{self.prefix}{self.counter}"
            self.counter += 1
        return got

    def copy(self) -> "_Issuer":
        other = _Issuer(self.prefix)
        other.counter = self.counter
        other.issued = dict(self.issued)
        return other


class _Canonicalizer:
    def __init__(self, quads: list[Any], limits: Limits, hash_algorithm: str, deadline: float | None):
        self.quads = quads
        self.limits = limits
        self.new_hash = _hash_factory(hash_algorithm)
        self.deadline = deadline if deadline is not None else time.monotonic() + limits.max_seconds
        self.work = 0
        self.canonical = _Issuer("_:c14n")
        self.bnode_quads: dict[str, list[Any]] = {}
        self.first_degree: dict[str, str] = {}

    # --- budget ---------------------------------------------------------------------------------
    def spend(self, units: int = 1) -> None:
        self.work += units
        if self.work > self.limits.max_work:
            raise LimitExceededError(
                "Canonicalizing this document needs more than "
                f"{self.limits.max_work:,} steps of blank-node comparison (a poison graph?); "
                "give nodes an id or simplify the document.",
                details={"limit": "max_work"},
            )
        if time.monotonic() > self.deadline:
            raise LimitExceededError(
                f"Canonicalizing this document took longer than {self.limits.max_seconds} s; "
                "give nodes an id or simplify the document.",
                details={"limit": "max_seconds"},
            )
        check_cancelled()  # a ContextVar read: cheap beside the hashing each unit stands for

    # --- algorithm ------------------------------------------------------------------------------
    def run(self) -> RdfcResult:
        bnode_quads = self.bnode_quads
        for quad in self.quads:
            s, _, o, g = quad
            for term in (s, o, g):
                if term[:2] == "_:":  # a blank node
                    lst = bnode_quads.get(term)
                    if lst is None:
                        bnode_quads[term] = [quad]
                    elif lst[-1] is not quad:
                        lst.append(quad)
        if len(bnode_quads) > self.limits.max_blank_nodes:
            raise LimitExceededError(
                f"The document has {len(bnode_quads)} blank nodes, more than the limit of "
                f"{self.limits.max_blank_nodes}; give nodes an id.",
                details={"limit": "max_blank_nodes"},
            )
        hash_to_bnodes: dict[str, list[Any]] = {}
        if len(bnode_quads) == 1:
            # One blank node (a proof configuration): its first-degree hash is unique, whatever it is.
            hash_to_bnodes[""] = list(bnode_quads)
        else:
            for bnode in bnode_quads:
                hash_to_bnodes.setdefault(self.hash_first_degree(bnode), []).append(bnode)

        remaining = []
        for h in sorted(hash_to_bnodes):
            bnodes = hash_to_bnodes[h]
            if len(bnodes) == 1:
                self.canonical.issue(bnodes[0])
            else:
                remaining.append(bnodes)

        for bnodes in remaining:
            results = []
            for bnode in bnodes:
                if bnode in self.canonical.issued:
                    continue
                issuer = _Issuer("_:b")
                issuer.issue(bnode)
                results.append(self.hash_n_degree(bnode, issuer, 0))
            results.sort(key=lambda r: r[0])
            for _, issuer in results:
                for existing in issuer.issued:
                    self.canonical.issue(existing)

        issued = self.canonical.issued
        lines = set()
        for s, p, o, g in self.quads:
            if s[:2] == "_:":
                s = issued[s]
            if o[:2] == "_:":
                o = issued[o]
            if g[:2] == "_:":
                g = issued[g]
            lines.add(f"{s} {p} {o} {g} .\n" if g else f"{s} {p} {o} .\n")  # serialize_quad, inlined
        return RdfcResult("".join(sorted(lines)), {k[2:]: v[2:] for k, v in issued.items()})

    def hash_first_degree(self, bnode: str) -> str:
        cached = self.first_degree.get(bnode)
        if cached is not None:
            return cached
        lines = []
        for s, p, o, g in self.bnode_quads[bnode]:
            if s[:2] == "_:":
                s = "_:a" if s == bnode else "_:z"
            if o[:2] == "_:":
                o = "_:a" if o == bnode else "_:z"
            if g[:2] == "_:":
                g = "_:a" if g == bnode else "_:z"
            lines.append(serialize_quad((s, p, o, g)))
        lines.sort()
        digest = self.new_hash("".join(lines).encode("utf-8")).hexdigest()
        self.first_degree[bnode] = digest
        return digest

    def hash_related(self, related: str, quad: tuple[str, ...], issuer: _Issuer, position: str) -> str:
        ident = self.canonical.issued.get(related) or issuer.issued.get(related)
        if ident is None:
            ident = self.hash_first_degree(related)
        data = position + (quad[1] if position != "g" else "") + ident
        return self.new_hash(data.encode("utf-8")).hexdigest()

    def hash_n_degree(self, bnode: str, issuer: _Issuer, depth: int) -> tuple[str, _Issuer]:
        self.spend()
        if depth > self.limits.max_blank_nodes:
            raise LimitExceededError(
                "Canonicalizing this document recursed deeper than the blank-node limit; give nodes an id.",
                details={"limit": "max_blank_nodes"},
            )
        related_by_hash: dict[str, list[Any]] = {}
        for quad in self.bnode_quads[bnode]:
            s, _, o, g = quad
            for term, position in ((s, "s"), (o, "o"), (g, "g")):
                if term[:2] == "_:" and term != bnode:
                    h = self.hash_related(term, quad, issuer, position)
                    related_by_hash.setdefault(h, []).append(term)

        canonical = self.canonical.issued
        data = []
        for h in sorted(related_by_hash):
            data.append(h)
            bnodes = related_by_hash[h]
            # Refuse up front rather than discover the factorial blow-up step by step.
            if len(bnodes) > 1:
                cost = math.factorial(min(len(bnodes), 21))
                if self.work + cost > self.limits.max_work:
                    self.spend(cost)  # raises
            chosen_path = ""
            chosen_issuer: _Issuer | None = None
            for perm in permutations(bnodes):
                self.spend()
                issuer_copy = issuer.copy()
                path = ""
                recursion = []
                skip = False
                for related in perm:
                    got = canonical.get(related)
                    if got is not None:
                        path += got
                    else:
                        if related not in issuer_copy.issued:
                            recursion.append(related)
                        path += issuer_copy.issue(related)
                    if chosen_path and len(path) >= len(chosen_path) and path > chosen_path:
                        skip = True
                        break
                if skip:
                    continue
                for related in recursion:
                    result_hash, result_issuer = self.hash_n_degree(related, issuer_copy, depth + 1)
                    path += issuer_copy.issue(related) + "<" + result_hash + ">"
                    issuer_copy = result_issuer
                    if chosen_path and len(path) >= len(chosen_path) and path > chosen_path:
                        skip = True
                        break
                if skip:
                    continue
                if not chosen_path or path < chosen_path:
                    chosen_path = path
                    chosen_issuer = issuer_copy
            data.append(chosen_path)
            assert chosen_issuer is not None  # permutations() of a non-empty list yields at least one path
            issuer = chosen_issuer
        return self.new_hash("".join(data).encode("utf-8")).hexdigest(), issuer


def has_blank_nodes(quads: list[Any]) -> bool:
    """Whether any subject, object or graph of the canonical-term quads is a blank node."""
    return any(s[:2] == "_:" or o[:2] == "_:" or g[:2] == "_:" for s, _, o, g in quads)


def canonicalize_quads(
    quads: list[Any],
    *,
    limits: Limits = DEFAULT_LIMITS,
    hash_algorithm: str = "sha256",
    deadline: float | None = None,
    blank_nodes: bool | None = None,
) -> RdfcResult:
    """RDFC-1.0 of canonical-term quads (see nquads.py). Duplicate quads are removed.
    `blank_nodes`: whether the quads have any, if the caller knows (for a document without any, the
    scan for them costs as much as the rest); None: look. True for quads without any costs time only."""
    if len(quads) > limits.max_quads:
        raise LimitExceededError(
            f"The document produces {len(quads):,} quads, more than the limit of {limits.max_quads:,}; "
            "use a smaller document.",
            details={"limit": "max_quads"},
        )
    if blank_nodes is None:
        blank_nodes = has_blank_nodes(quads)
    if not blank_nodes:
        # No blank nodes: canonical form is the sorted set of lines.
        # serialize_quad inlined: this line is most of the work for a document without blank nodes
        return RdfcResult("".join(sorted({f"{s} {p} {o} {g} .\n" if g else f"{s} {p} {o} .\n" for s, p, o, g in quads})), {})
    return _Canonicalizer(quads, limits, hash_algorithm, deadline).run()
