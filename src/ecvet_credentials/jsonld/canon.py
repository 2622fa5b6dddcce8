"""Public canonicalization API (RDFC-1.0), strict and bounded."""
from __future__ import annotations

from .limits import DEFAULT_LIMITS, Limits
from .nquads import parse_nquads
from .rdfc import canonicalize_quads


def canonicalize_nquads(nquads: str, *, limits: Limits = DEFAULT_LIMITS, hash_algorithm: str = "sha256") -> str:
    """RDFC-1.0 canonical N-Quads of an N-Quads dataset."""
    quads = parse_nquads(nquads, max_quads=limits.max_quads)
    return canonicalize_quads(quads, limits=limits, hash_algorithm=hash_algorithm).nquads


def canonical_labels(nquads: str, *, limits: Limits = DEFAULT_LIMITS, hash_algorithm: str = "sha256") -> dict:
    """The RDFC-1.0 issued identifiers map (input blank node label -> canonical label)."""
    quads = parse_nquads(nquads, max_quads=limits.max_quads)
    return canonicalize_quads(quads, limits=limits, hash_algorithm=hash_algorithm).issued
