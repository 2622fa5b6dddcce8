"""Who has signed an agreement-like credential (LA, MoU, transcript with its sheet): each party's proof,
checked against that party's DID, with the signatory's face; and the once-per-agreement check the
verifier caches (`checked_agreement`). Signing lives above, in ecvet.agreement_signatures."""
from __future__ import annotations

import marshal
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from ecvet_credentials.core.errors import EcvetError
from ecvet_credentials.model import agreement_from_credential, digest_multibase
from ecvet_credentials.model.agreement import LearningAgreement, Signer
from ecvet_credentials.model.annexes import Signatory
from ecvet_credentials.proofs import ProofResult, verify_proofs

if TYPE_CHECKING:
    from ecvet_credentials.crypto.dids import DidResolver
    from ecvet_credentials.model import MemorandumOfUnderstanding, PersonalTranscript
    from ecvet_credentials.model.schemas import SchemaIssue

    SignedModel = LearningAgreement | PersonalTranscript | MemorandumOfUnderstanding


@dataclass
class SignatureStatus:
    required: list[Signer]
    optional: list[Signer] = field(default_factory=list)
    signatories: dict[str, Signatory] = field(default_factory=dict)  # did -> its name, role, place
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

    def _signer_json(self, s: Signer) -> dict[str, Any]:
        out: dict[str, Any] = {"role": s.role, "did": s.did, "signed": s.role in self.signed}
        if s.role in self.signed:
            out["created"] = self.signed[s.role].created
        face = self.signatories.get(s.did) if s.did is not None else None
        if face is not None:
            out.update({"name": face.name, "signatoryRole": face.role})
            if face.place:
                out["place"] = face.place
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "complete": self.complete,
            "required": [self._signer_json(s) for s in self.required],
            "optional": [self._signer_json(s) for s in self.optional],
            "missing": [s.role for s in self.missing],
            "invalid": [{"verificationMethod": r.verification_method, "code": r.code, "message": r.message} for r in self.invalid],
        }

def _signed_model(doc: dict[str, Any]) -> SignedModel:
    """The LA or MoU (signed by every party) or transcript (host; learner and workplace supervisors
    may add theirs) a proof set belongs to."""
    from ecvet_credentials.model import mou_from_credential, transcript_from_credential

    types = doc.get("type") if isinstance(doc, dict) else None
    if isinstance(types, list) and "EcvetMemorandumOfUnderstanding" in types:
        return mou_from_credential(doc)
    if isinstance(types, list) and "EcvetPersonalTranscript" in types:
        return transcript_from_credential(doc)
    return agreement_from_credential(doc)

def signature_status(agreement: dict[str, Any], *, resolver: DidResolver | None = None,
                     model: SignedModel | None = None) -> SignatureStatus:
    """Which required parties have a valid proof on the agreement (or MoU, or transcript). Raises
    SchemaError if it is none of them. `model`: the document's model when the caller has it."""
    la = model or _signed_model(agreement)
    status = SignatureStatus(required=la.required_signers(), optional=la.optional_signers(),
                             signatories={s.did: s for s in la.signatories})
    role_by_did = {s.did: s.role for s in status.optional + status.required}
    for result in verify_proofs(agreement, resolver=resolver).results:
        if not result.verified:
            status.invalid.append(result)
            continue
        role = role_by_did.get(result.controller) if result.controller is not None else None
        if role is None:
            status.unexpected.append(result.controller or "?")
        else:
            status.signed.setdefault(role, result)
    learner = status.signed.get("learner")
    signed_on = _day(learner.created) if learner is not None else None
    if signed_on is not None and isinstance(la, LearningAgreement) and not la.is_minor and la.minor_on(signed_on):
        # Under 18 on the day the learner signed: the guardian must sign too, even if the learner
        # is of age on the start date.
        guardian = next((s for s in status.optional if s.role == "guardian"), None)
        status.optional = [s for s in status.optional if s.role != "guardian"]
        status.required.append(guardian or Signer("guardian", None))
    return status

def _day(created: str | None) -> date | None:
    """The UTC day of a proof's `created` (one time zone for every date rule)."""
    from datetime import timezone

    from ecvet_credentials.core.timeutil import parse_datetime

    when = parse_datetime(created) if created else None
    return when.astimezone(timezone.utc).date() if when else None

@dataclass(frozen=True)
class CheckedAgreement:
    """What verifying a transcript needs from its agreement: schema-checked, read, digested and its
    proofs verified. `model` and `signatures` are None when the schema found problems."""
    digest: str                              # digestMultibase (JCS, proofs included), as a transcript pins it
    schema_issues: list[SchemaIssue]         # [] when schema-valid
    model: LearningAgreement | None = None
    signatures: SignatureStatus | None = None  # shared between callers: read it, never change it

_CHECKED_MAX = 64

_checked: OrderedDict[tuple[str, int | None], tuple[object, CheckedAgreement]] = OrderedDict()

_checked_lock = threading.Lock()

def checked_agreement(agreement: dict[str, Any], *, resolver: DidResolver | None = None) -> CheckedAgreement:
    """The agreement's schema check, model, digest and signature status, done once per version of it: a
    batch or a service verifying many transcripts of one mobility checks the LA's four proofs once, not
    per transcript. Keyed by the digest (proofs included) and, when some proof's key is not a did:key, by
    the resolver the keys came from. Safe under concurrent use (a race only verifies twice). Raises
    EcvetError when a schema-valid agreement still cannot be read."""
    digest = _digest(agreement)
    by_resolver = not _did_key_proofs_only(agreement)
    key = (digest, id(resolver) if by_resolver else None)
    with _checked_lock:
        hit = _checked.get(key)
        if hit is not None and (not by_resolver or hit[0] is resolver):
            _checked.move_to_end(key)
            return hit[1]
    from ecvet_credentials.model import schemas

    issues = schemas.validate(agreement, rules=False) if schemas.schema_for(agreement) == "learning-agreement-v1" \
        else [schemas.SchemaIssue("$.type", "not a Learning Agreement")]
    if issues:
        checked = CheckedAgreement(digest, issues)
    else:
        model = agreement_from_credential(agreement)
        checked = CheckedAgreement(digest, [], model, signature_status(agreement, resolver=resolver, model=model))
    with _checked_lock:
        _checked[key] = (resolver if by_resolver else None, checked)
        while len(_checked) > _CHECKED_MAX:
            _checked.popitem(last=False)
    return checked

_digests: OrderedDict[bytes, str] = OrderedDict()


def _digest(agreement: dict[str, Any]) -> str:
    """digest_multibase(agreement), remembered by the agreement's exact content: its JCS form costs
    twice a signature check for every transcript verified against the same agreement, while marshal
    (version 2: no sharing references, so equal content gives equal bytes) is about 20 times cheaper
    and keeps types apart (True is not 1, 1.0 is not 1); it refuses what is not plain JSON data."""
    try:
        content: bytes | None = marshal.dumps(agreement, 2)
    except ValueError:  # another type, or nested too deep: no memo
        content = None
    with _checked_lock:
        digest = _digests.get(content) if content is not None else None
    if digest is not None:
        return digest
    try:
        digest = digest_multibase(agreement)
    except ValueError as exc:  # rfc8785 refuses what is not I-JSON (a huge integer, a lone surrogate)
        raise EcvetError(f"The agreement is not I-JSON, so it has no digest ({exc}).", code="AGREEMENT_INVALID") from None
    if content is not None:
        with _checked_lock:
            _digests[content] = digest
            while len(_digests) > _CHECKED_MAX:
                _digests.popitem(last=False)
    return digest

def _did_key_proofs_only(agreement: dict[str, Any]) -> bool:
    """did:key proofs verify the same whatever the resolver holds (the key is the DID)."""
    proofs = agreement.get("proof")
    proofs = proofs if isinstance(proofs, list) else [proofs]
    return all(isinstance(p, dict) and str(p.get("verificationMethod")).startswith("did:key:") for p in proofs)
