"""Learning Agreement signatures: a Data Integrity proof set, one proof per party.

The agreement names who must sign (host, home, learner, and a guardian when the learner is under 18
on the start date); each party adds its own proof with its own key. A proof counts for a party when
it verifies and its verification method is controlled by that party's DID.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .errors import EcvetError
from .model import agreement_from_credential
from .model.agreement import Signer
from .proofs import ProofResult, sign, verify_proofs


class AgreementSigningError(EcvetError):
    code = "AGREEMENT_SIGNING_REFUSED"


@dataclass
class SignatureStatus:
    required: list[Signer]
    signed: dict[str, ProofResult] = field(default_factory=dict)   # role -> its verified proof
    invalid: list[ProofResult] = field(default_factory=list)        # proofs that did not verify
    unexpected: list[str] = field(default_factory=list)             # valid proofs by someone not a party

    @property
    def missing(self) -> list[Signer]:
        return [s for s in self.required if s.role not in self.signed]

    @property
    def complete(self) -> bool:
        return not self.missing and not self.invalid

    def summary(self) -> str:
        parts = [f"{s.role}: {'signed' if s.role in self.signed else 'MISSING'}" for s in self.required]
        if self.invalid:
            parts.append(f"{len(self.invalid)} invalid proof(s)")
        return "; ".join(parts)

    def to_json(self) -> dict:
        return {
            "complete": self.complete,
            "required": [{"role": s.role, "did": s.did, "signed": s.role in self.signed} for s in self.required],
            "missing": [s.role for s in self.missing],
            "invalid": [{"verificationMethod": r.verification_method, "code": r.code, "message": r.message} for r in self.invalid],
        }


def signature_status(agreement: dict, *, resolver=None) -> SignatureStatus:
    """Which required parties have a valid proof on the agreement. Raises SchemaError if it is no LA."""
    la = agreement_from_credential(agreement)
    status = SignatureStatus(required=la.required_signers())
    role_by_did = {s.did: s.role for s in status.required}
    for result in verify_proofs(agreement, resolver=resolver).results:
        if not result.verified:
            status.invalid.append(result)
            continue
        role = role_by_did.get(result.controller) if result.controller is not None else None
        if role is None:
            status.unexpected.append(result.controller or "?")
        else:
            status.signed.setdefault(role, result)
    return status


def sign_agreement(agreement: dict, key, *, created: str | None = None, cryptosuite: str | None = None, resolver=None) -> tuple[dict, str]:
    """Add `key`'s proof to the agreement's proof set. Returns (signed agreement, role signed as).

    Refuses (AgreementSigningError) when the key belongs to no party or that party already signed.
    """
    status = signature_status(agreement, resolver=resolver)
    role = next((s.role for s in status.required if s.did == key.did), None)
    if role is None:
        parties = ", ".join(f"{s.role} {s.did}" for s in status.required)
        raise AgreementSigningError(f"The key {key.did} belongs to none of the agreement's parties ({parties}).")
    if role in status.signed:
        raise AgreementSigningError(f"The {role} has already signed this agreement.", code="ALREADY_SIGNED")
    suite = cryptosuite or ("eddsa-rdfc-2022" if key.key_type == "Ed25519" else "ecdsa-rdfc-2019")
    return sign(agreement, key, cryptosuite=suite, created=created), role
