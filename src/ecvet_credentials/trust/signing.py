"""Signed trust registries: a trust anchor (e.g. a national agency) vouches for the registry file, and
loading a registry file checks that vouching (`load_trust_registry`).

Why JCS and no @context: the registry is configuration, not a credential, and carries fields this
version does not know (identifiers, qualifications...). eddsa-jcs-2022 / ecdsa-jcs-2019 sign the JSON
itself (RFC 8785), so every byte is covered; the proofs engine runs its strict JSON-LD check only on
documents with an @context. RDFC suites are refused: without a context they would sign no data at all.
"""
from __future__ import annotations

from pathlib import Path

from ecvet_credentials.core.errors import EcvetError, InputError
from ecvet_credentials.jsonld.limits import read_json_file
from ecvet_credentials.trust.registry import TrustRegistry, parse_trust_registry

REGISTRY_SUITES = {"Ed25519": "eddsa-jcs-2022", "P-256": "ecdsa-jcs-2019", "P-384": "ecdsa-jcs-2019"}


def sign_trust_registry(data: dict, key, *, created: str | None = None) -> dict:
    """The registry with the anchor's proof (any earlier proof is replaced: it no longer covers the file).

    Raises InputError when `data` is not a valid registry or carries an @context.
    """
    from ecvet_credentials.proofs import sign

    if not isinstance(data, dict):
        raise InputError("A trust registry is a JSON object.", code="TRUST_REGISTRY_INVALID")
    if "@context" in data:
        raise InputError("A trust registry is plain JSON signed as such (JCS); remove its @context.",
                         code="TRUST_REGISTRY_INVALID")
    parse_trust_registry(data)  # refuse to vouch for a file verifiers cannot read
    unsigned = {k: v for k, v in data.items() if k != "proof"}  # sign() copies it
    return sign(unsigned, key, cryptosuite=REGISTRY_SUITES[key.key_type], created=created)


def check_anchor_proof(data: dict, anchor: str, *, resolver=None) -> str | None:
    """None when `data` carries a valid JCS proof made with a key of `anchor`; else why not (plain words)."""
    from ecvet_credentials.proofs import verify_proofs

    if "proof" not in data:
        return (f"the registry is not signed, but the trust anchor {anchor} is required; "
                f"ask for a registry signed by it (ecvet trust sign) or drop --trust-anchor")
    if "@context" in data:
        return "the registry carries an @context; a signed registry is plain JSON (JCS)"
    try:
        result = verify_proofs(data, resolver=resolver, purpose="assertionMethod")
    except EcvetError as exc:  # defensive: verify_proofs reports rather than raises
        return f"its proof could not be checked: {exc}"
    by_anchor = [r for r in result.results if r.controller == anchor or _signer(r) == anchor]
    good = [r for r in by_anchor if r.verified and r.cryptosuite in REGISTRY_SUITES.values()]
    if good:
        return None
    if by_anchor:
        r = by_anchor[0]
        why = r.message if not r.verified else f"cryptosuite {r.cryptosuite} is not accepted for registries"
        # only a signature that does not match says the content changed; a wrong purpose or suite does not
        changed = "; the file was changed after signing" if r.code == "INVALID_SIGNATURE" else ""
        return f"the trust anchor's proof does not verify ({r.code}: {why}){changed}: get a fresh copy signed by the anchor"
    signers = sorted({_signer(r) for r in result.results})
    return (f"the registry is signed by {', '.join(signers)}, not by the trust anchor {anchor}; "
            "ask for a registry signed by your anchor")


def _signer(result) -> str:
    """The DID a proof names as its signer (its verification method's DID); "?" when it names none."""
    return (result.verification_method or "?").split("#")[0]


def load_trust_registry(path: str | Path, *, anchor: str | None = None, resolver=None) -> TrustRegistry:
    """Read and validate a trust registry file. InputError with the field path when it is malformed.

    With `anchor` (a DID), the file must carry a valid proof by that anchor; otherwise the registry is
    returned marked `untrusted` (with the reason), and the issuer-trusted check refuses to use it.
    `resolver` resolves the anchor's key (did:key needs none); never the registry's own DID documents.
    """
    path = Path(path)
    data = read_json_file(path)
    registry = parse_trust_registry(data, source=str(path))
    if anchor is not None:
        registry.anchor = anchor
        problem = check_anchor_proof(data, anchor, resolver=resolver)
        if problem is None:
            registry.signed_by = anchor
        else:
            registry.untrusted = problem
    return registry
