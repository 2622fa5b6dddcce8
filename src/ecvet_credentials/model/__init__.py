"""ECVET domain model (dataclasses) and its credential form (W3C VC 2.0 + ELM v3 JSON-LD).

Build unsigned credentials with `build_agreement_credential`, `build_transcript_credential`,
`build_recognition_credential`; read any of them back with `from_credential`.
"""
from __future__ import annotations

from typing import Any, Callable

from ecvet_credentials.core.errors import SchemaError
from ecvet_credentials.model.agreement import (
    AssessmentArrangement,
    Arrangement,
    LearningAgreement,
    Signer,
    agreement_from_credential,
    build_agreement_credential,
)
from ecvet_credentials.model.common import (
    CredentialRef,
    GradingScheme,
    Identifier,
    Institution,
    LangText,
    Learner,
    LearningOutcome,
    Person,
    Qualification,
    UnitOfLearningOutcomes,
)
from ecvet_credentials.model.mou import MemorandumOfUnderstanding, MouPartner, build_mou_credential, mou_from_credential
from ecvet_credentials.model.recognition import (
    RecognisedUnit,
    Recognition,
    build_recognition_credential,
    digest_multibase,
    recognition_from_credential,
    reference_to,
)
from ecvet_credentials.model.transcript import (
    Assessment,
    PersonalTranscript,
    UnitResult,
    build_transcript_credential,
    transcript_from_credential,
)
from ecvet_credentials.model.wire import CONTEXT, TYPES, schema_id

# The documents an ECVET credential carries.
EcvetDocument = LearningAgreement | PersonalTranscript | Recognition | MemorandumOfUnderstanding

_PARSERS: dict[str, Callable[[dict[str, Any]], EcvetDocument]] = {
    "EcvetLearningAgreement": agreement_from_credential,
    "EcvetPersonalTranscript": transcript_from_credential,
    "EcvetRecognition": recognition_from_credential,
    "EcvetMemorandumOfUnderstanding": mou_from_credential,
}


def credential_type(doc) -> str | None:
    """The ECVET type of a credential ("EcvetPersonalTranscript", ...), or None."""
    types = doc.get("type") if isinstance(doc, dict) else None
    if isinstance(types, list):
        found = [t for t in types if t in _PARSERS]
        if len(found) == 1:
            return found[0]
    return None


def from_credential(doc: dict) -> EcvetDocument:
    """The model object carried by an ECVET credential (signed or not). SchemaError if it is none."""
    kind = credential_type(doc)
    if kind is None:
        raise SchemaError("not an ECVET credential: type must contain exactly one of "
                          + ", ".join(_PARSERS), code="WRONG_CREDENTIAL_TYPE")
    return _PARSERS[kind](doc)


__all__ = [
    "Arrangement", "Assessment", "AssessmentArrangement", "CONTEXT", "CredentialRef", "GradingScheme", "Identifier",
    "Institution", "LangText", "MemorandumOfUnderstanding", "MouPartner", "build_mou_credential", "mou_from_credential", "Learner", "LearningAgreement", "LearningOutcome", "Person", "PersonalTranscript",
    "Qualification", "RecognisedUnit", "Recognition", "Signer", "TYPES", "UnitOfLearningOutcomes", "UnitResult",
    "agreement_from_credential", "build_agreement_credential", "build_recognition_credential",
    "build_transcript_credential", "credential_type", "digest_multibase", "from_credential",
    "recognition_from_credential", "reference_to", "schema_id", "transcript_from_credential",
]
