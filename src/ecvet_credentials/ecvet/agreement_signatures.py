"""Learning Agreement signatures: a Data Integrity proof set, one proof per party.

The agreement names who must sign (host, home, learner, and a guardian when the learner is under 18
on the start date or on the day they sign); each party adds its own proof with its own key. A proof
counts for a party when it verifies and its verification method is controlled by that party's DID.
The intermediary organisation may sign (the template has its block) but is not required to. Each
signature's face (name, role, place) is a signed claim of the agreement (`signatory`), not proof
metadata, and is reported beside the proof.
"""
from __future__ import annotations


from ecvet_credentials.core.errors import EcvetError
from ecvet_credentials.model.agreement import LearningAgreement
from ecvet_credentials.proofs import sign
from ecvet_credentials.verify.agreement_signatures import _signed_model, signature_status, _day


class AgreementSigningError(EcvetError):
    code = "AGREEMENT_SIGNING_REFUSED"


def sign_agreement(agreement: dict, key, *, created: str | None = None, cryptosuite: str | None = None, resolver=None) -> tuple[dict, str]:
    """Add `key`'s proof to the agreement's proof set. Returns (signed agreement, role signed as).

    Refuses (AgreementSigningError) when the key belongs to no party or that party already signed.
    """
    status = signature_status(agreement, resolver=resolver)
    role = next((s.role for s in status.required + status.optional if s.did == key.did), None)
    la = _signed_model(agreement)
    if role == "learner" and isinstance(la, LearningAgreement):  # the guardian rule is the agreement's
        from ecvet_credentials.core.timeutil import utc_now

        day = _day(created) or utc_now().date()
        if la.minor_on(day) and (la.guardian is None or la.guardian.did is None):
            raise AgreementSigningError(
                f"The learner is {la.learner.age_on(day)} on {day}, the day of signing: a parent or guardian must sign "
                "too, and the agreement names none with a DID. Add the guardian to the agreement first.",
                code="GUARDIAN_REQUIRED")
    if role is None:
        parties = ", ".join(f"{s.role} {s.did}" for s in status.required + status.optional)
        raise AgreementSigningError(f"The key {key.did} belongs to none of the agreement's parties ({parties}).")
    if role in status.signed:
        raise AgreementSigningError(f"The {role} has already signed this agreement.", code="ALREADY_SIGNED")
    suite = cryptosuite or ("eddsa-rdfc-2022" if key.key_type == "Ed25519" else "ecdsa-rdfc-2019")
    return sign(agreement, key, cryptosuite=suite, created=created), role
