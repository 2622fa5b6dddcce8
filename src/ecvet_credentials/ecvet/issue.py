"""Issuance: check, allocate status entries, sign, write, record.

Every credential is validated before it is signed: ECVET credentials (profile "ecvet", the default)
against their JSON Schema and rules, other VC 2.0 credentials (profile "generic", for interop) against
the data model's structure (vc_structure.py); both against strict JSON-LD (signing canonicalizes
strictly, so an undefined term can never be signed). With a registry, status
entries are allocated and the credential recorded following the registry's crash-safe protocol
(reserve -> sign -> write -> record digest): a re-run of the same batch issues nothing twice.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Callable

from ecvet_credentials.core.errors import InputError, SchemaError
from ecvet_credentials.proofs import sign
from ecvet_credentials.verify.checks_proof import issuer_id



@dataclass
class IssueResult:
    credential: dict
    already_issued: bool = False   # the registry had this batch row recorded: nothing new was signed


def check_before_signing(doc: dict) -> None:
    """Schema and ECVET rules; raises SchemaError naming the first problem."""
    from ecvet_credentials.model import schemas

    issues = schemas.validate(doc)
    if issues:
        first = issues[0]
        more = f" (and {len(issues) - 1} more)" if len(issues) > 1 else ""
        raise SchemaError(f"refusing to sign: {first.path}: {first.message}{more}",
                          details={"issues": [str(i) for i in issues[:20]]})


PROFILES = ("ecvet", "generic")


def profile_for(doc) -> str:
    """The profile a credential needs: "ecvet" for anything claiming to be ECVET, else "generic"."""
    from ecvet_credentials.model.vc_structure import is_ecvet

    return "ecvet" if is_ecvet(doc) else "generic"


def _check_generic(doc: dict, key) -> None:
    """VC 2.0 structure, then strict JSON-LD (both before any status index is reserved)."""
    from ecvet_credentials.jsonld.canon import to_quads
    from ecvet_credentials.model.vc_structure import check_structure, is_ecvet

    if is_ecvet(doc):
        raise SchemaError("refusing to sign: this claims to be an ECVET credential (type, schema or context); "
                          "issue it with the ECVET profile, which applies the ECVET schema.", code="ECVET_NEEDS_SCHEMA")
    check_structure(doc, issuer_did=key.did)
    to_quads(doc)


def default_cryptosuite(key) -> str:
    return "eddsa-rdfc-2022" if key.key_type == "Ed25519" else "ecdsa-rdfc-2019"


def issue_credential(
    unsigned: dict,
    key,
    *,
    cryptosuite: str | None = None,
    created: str | None = None,
    registry=None,
    status_base_url: str | None = None,
    batch_id: str | None = None,
    row_key: str | None = None,
    write: Callable[[dict], object] | None = None,
    profile: str = "ecvet",
    row_values: dict | None = None,
    evaluation: dict | None = None,
) -> IssueResult:
    """Sign `unsigned` with `key` (the issuer's). With `registry`, allocate credentialStatus entries first
    and record the digest after `write` (which should store the credential atomically) succeeded.

    profile="ecvet" applies the ECVET schema and rules; profile="generic" the VC 2.0/1.1 structure checks
    (an absent issuer is filled in with the key's DID; a credential with its own credentialStatus, or
    a VC 1.1 one, is signed without registry entries) and refuses anything claiming to be ECVET.
    `row_values` go into the registry's row with the reservation (a cohort's salted learner key etc.).
    `evaluation`: the credential's evaluation facts (ecvet.evaluation.model_facts, made with its agreement
    and transcript at hand); default: those of the credential alone. Recorded with the digest, the learner
    as the registry's salted digest, for `ecvet report` from the registry."""
    if profile not in PROFILES:
        raise ValueError(f"'profile' must be one of {PROFILES}, not {profile!r}")
    doc = copy.deepcopy(unsigned)
    if profile == "generic":
        if isinstance(doc, dict) and "issuer" not in doc:  # absent: this key's DID; null is refused
            doc["issuer"] = key.did
        from ecvet_credentials.model.vc_structure import is_vc11, with_suite_contexts

        if isinstance(doc, dict) and ("credentialStatus" in doc or is_vc11(doc)):
            # the caller's own status (VC 2.0 allows any status type) is signed as given, and a VC 1.1
            # credential gets none (Bitstring Status List is VC 2.0): the registry neither replaces
            # nor adds entries, and the credential is not recorded
            registry = None
        doc = with_suite_contexts(doc) if isinstance(doc, dict) else doc
        _check_generic(doc, key)
    issuer_did = issuer_id(doc)
    if issuer_did != key.did:
        raise SchemaError(f"refusing to sign: the credential's issuer is {issuer_did}, but the key is {key.did}.",
                          code="ISSUER_KEY_MISMATCH")
    suite = cryptosuite or default_cryptosuite(key)
    # generic: checked above; the registry adds only an urn:uuid id and its own status entries
    check = check_before_signing if profile == "ecvet" else (lambda _doc: None)
    if registry is None:
        check(doc)
        signed = sign(doc, key, cryptosuite=suite, created=created)
        if write:
            write(signed)
        return IssueResult(signed)

    from ecvet_credentials.registry.records import credential_digest

    if not status_base_url:  # a placeholder would point verifiers at lists nobody serves
        from ecvet_credentials.ecvet.institution import NO_STATUS_BASE

        raise InputError(NO_STATUS_BASE)

    types = doc.get("type", [])
    types = [types] if isinstance(types, str) else types  # VC 2.0 allows a single string
    credential_type = next((t for t in types if t != "VerifiableCredential"), "VerifiableCredential")
    alloc = registry.allocate_and_record(
        credential_type=credential_type, issuer_did=key.did, status_base_url=status_base_url,
        batch_id=batch_id, row_key=row_key, credential_id=doc.get("id"), row_values=row_values,
    )
    if alloc.issued:
        return IssueResult({"id": alloc.credential_id}, already_issued=True)
    doc = _with_id(doc, alloc.credential_id)
    doc["credentialStatus"] = alloc.entries
    check(doc)
    signed = sign(doc, key, cryptosuite=suite, created=created)
    if write:
        write(signed)
    facts = _evaluation_facts(registry, signed, evaluation) if profile == "ecvet" else None
    registry.record_digest(alloc.credential_id, credential_digest(signed), evaluation=facts)
    return IssueResult(signed)


def _evaluation_facts(registry, signed: dict, facts: dict | None) -> dict | None:
    """The facts recorded with the digest (None: an MoU, or a document the report does not count)."""
    from ecvet_credentials.ecvet.evaluation import document_facts

    facts = dict(facts) if facts is not None else document_facts(signed)
    if facts is not None and facts.get("learner") is not None:  # no learner number in clear (privacy.py)
        facts["learner"] = registry.row_digest(facts["learner"])
    return facts


def _with_id(doc: dict, credential_id: str) -> dict:
    """Re-base fragment node ids when the registry assigned another credential id (a resumed batch)."""
    old = doc.get("id")
    if old == credential_id:
        return doc
    if not isinstance(old, str):
        doc["id"] = credential_id
        return doc

    def rebase(value):
        if isinstance(value, dict):
            return {k: rebase(v) for k, v in value.items()}
        if isinstance(value, list):
            return [rebase(v) for v in value]
        if isinstance(value, str) and (value == old or value.startswith(old + "#")):
            return credential_id + value[len(old):]
        return value

    return rebase(doc)
