"""Proof purposes: what the verifier expects (purpose, challenge, domain) and whether the
controller document authorizes the key for the proof's purpose (and the key was not yet revoked).

Each check returns None when it passes or (code, message) when it fails; it never raises.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from ecvet_credentials.core.timeutil import parse_datetime
from ecvet_credentials.crypto.dids import VerificationMethod

PURPOSES = ("assertionMethod", "authentication", "capabilityInvocation", "capabilityDelegation")
Failure = tuple[str, str] | None


def check_expected(proof: dict[str, Any], *, purpose: str | None, challenge: str | None, domain: str | None) -> Failure:
    """The verifier's expectations (VC DI "Verify Proof" steps on proofPurpose, domain, challenge)."""
    actual = proof.get("proofPurpose")
    if actual not in PURPOSES:
        return ("PURPOSE_MISMATCH", f"Proof purpose {actual!r:.60} is not one of {', '.join(PURPOSES)}; "
                "the proof cannot be accepted.")
    if purpose is not None and actual != purpose:
        return ("PURPOSE_MISMATCH", f"The proof is for {actual!r}, but {purpose!r} is required here; "
                f"ask for a document signed for {purpose}.")
    if challenge is not None and proof.get("challenge") != challenge:
        return ("CHALLENGE_MISMATCH", "The proof does not carry the challenge you issued (a replay or an old "
                "presentation); ask the holder to present again with your challenge.")
    if domain is not None:
        value = proof.get("domain")
        domains = value if isinstance(value, list) else [value]
        if domain not in domains:
            return ("DOMAIN_MISMATCH", f"The proof is not bound to your domain {domain!r}; ask the holder to "
                    "present again for your domain.")
    return None


def check_authorized(proof: dict[str, Any], vm: VerificationMethod, created: datetime | None) -> Failure:
    """The controller document lists the key under the proof's purpose, and not revoked before `created`."""
    purpose = proof.get("proofPurpose")
    if purpose not in vm.relationships:
        return ("PURPOSE_MISMATCH", f"{vm.controller} does not authorize key {vm.id} for {purpose}; "
                "the signer was not allowed to make this proof.")
    if vm.revoked is not None:
        revoked = parse_datetime(vm.revoked, zone_required=True)  # unreadable: revoked from the start
        if created is None or revoked is None or created >= revoked:
            when = proof.get("created") or "an unknown time"
            return ("KEY_REVOKED", f"Key {vm.id} was revoked on {vm.revoked} and this proof was made at {when}; "
                    "do not accept it, ask the issuer to re-issue with its current key.")
    return None
