"""The four cryptosuites: each is a name, the key types it accepts and how it canonicalizes.

Everything algorithm-independent (proof options, hashing, multibase, proof sets) is in engine.py;
a suite only turns a document and a proof configuration into bytes, following:
- eddsa-rdfc-2022 / ecdsa-rdfc-2019: RDFC-1.0 N-Quads of the document and of the proof
  configuration, which gets the document's @context (vc-di-eddsa 3.2, vc-di-ecdsa 3.2).
- eddsa-jcs-2022 / ecdsa-jcs-2019: RFC 8785 JSON of both; the proof configuration is the proof
  options as they are (our proofs carry the document's @context in them, as the W3C vectors do;
  vc-di-eddsa 3.3, vc-di-ecdsa 3.3).
The hash is SHA-256, except SHA-384 for P-384 keys (ECDSA suites); with P-384, RDFC-1.0 itself also
hashes with SHA-384 (the ecdsa-rdfc-2019-p384/employ vector, whose document has blank nodes, only
reproduces that way).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ecvet_credentials.core.errors import CanonicalizationError

if TYPE_CHECKING:
    from ecvet_credentials.jsonld.contexts import ContextRegistry
    from ecvet_credentials.jsonld.limits import Limits


@dataclass(frozen=True)
class Cryptosuite:
    name: str
    key_types: tuple[str, ...]
    canonicalization: str  # "rdfc" or "jcs"

    def proof_config(self, document: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
        """The proof configuration. RDFC: the proof options plus the document's @context. JCS: a clone
        of the proof options, nothing added (vc-di-eddsa/vc-di-ecdsa "Proof Configuration (*-jcs-*)"):
        a proof made with an @context carries it in its options (ours do, as the W3C vectors), and a
        proof without one (ACA-Py) is checked without one."""
        config = {k: v for k, v in options.items() if k != "proofValue"}
        if self.canonicalization == "rdfc":
            config["@context"] = document.get("@context")
        return config

    def canonicalize(self, obj: dict[str, Any], *, key_type: str, registry: ContextRegistry | None = None,
                     limits: Limits | None = None) -> bytes:
        if self.canonicalization == "jcs":
            from ecvet_credentials.jsonld.jcs import jcs

            try:
                return jcs(obj)
            except Exception as e:  # floats/ints outside the I-JSON range, non-string keys
                raise CanonicalizationError(f"The document is not I-JSON, so it has no JCS form ({e}).") from None
        from ecvet_credentials.jsonld.canon import canonicalize  # late: the JSON-LD layer is heavy to import

        from ecvet_credentials.jsonld.limits import DEFAULT_LIMITS

        hash_algorithm = "sha384" if key_type == "P-384" else "sha256"
        return canonicalize(obj, registry=registry, limits=limits or DEFAULT_LIMITS,
                            hash_algorithm=hash_algorithm).encode("utf-8")

    @staticmethod
    def hash(data: bytes, key_type: str) -> bytes:
        return (hashlib.sha384 if key_type == "P-384" else hashlib.sha256)(data).digest()


class _StrictCheck(Cryptosuite):
    """eddsa-jcs-2022's strict JSON-LD check: raises what the eddsa-rdfc-2022 canonicalization would,
    but gives no bytes (and skips the canonical form of a document without blank nodes)."""

    def canonicalize(self, obj: dict[str, Any], *, key_type: str, registry: ContextRegistry | None = None,
                     limits: Limits | None = None) -> bytes:
        from ecvet_credentials.jsonld.canon import check_strict
        from ecvet_credentials.jsonld.limits import DEFAULT_LIMITS

        check_strict(obj, registry=registry, limits=limits or DEFAULT_LIMITS)
        return b""


STRICT_JSONLD = _StrictCheck("strict JSON-LD", ("Ed25519",), "rdfc")

SUITES = {
    s.name: s
    for s in (
        Cryptosuite("eddsa-rdfc-2022", ("Ed25519",), "rdfc"),
        Cryptosuite("eddsa-jcs-2022", ("Ed25519",), "jcs"),
        Cryptosuite("ecdsa-rdfc-2019", ("P-256", "P-384"), "rdfc"),
        Cryptosuite("ecdsa-jcs-2019", ("P-256", "P-384"), "jcs"),
    )
}
CRYPTOSUITES = tuple(SUITES)
