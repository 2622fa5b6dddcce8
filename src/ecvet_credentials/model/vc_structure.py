"""VC Data Model structure checks for generic (non-ECVET) credentials before they are signed.

The "generic" issuance profile signs VC 2.0 and VC 1.1 credentials that have no ECVET schema (e.g.
what the W3C interop test suites post). JSON Schema cannot apply, so these are the checks the data
model itself asks of an issuer: contexts (bundled URLs, or inline context objects, which strict
JSON-LD processing then checks like any other), types on the objects that need one, issuer,
dates, and relatedResource (well formed, digests checked against the pinned contexts). Strict
JSON-LD (undefined terms, relative IRIs) is checked separately when the document is canonicalized.
Each problem names where it is and what to do.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from ecvet_credentials.core.errors import SchemaError

VC_V2 = "https://www.w3.org/ns/credentials/v2"
VC_V1 = "https://www.w3.org/2018/credentials/v1"
DI_V2 = "https://w3id.org/security/data-integrity/v2"       # DataIntegrityProof terms for VC 1.1 documents
# Objects that MUST say their type (VC 2.0 sections 4.10-4.11, 5.4-5.6).
TYPED_OBJECTS = ("credentialStatus", "credentialSchema", "refreshService", "termsOfUse", "evidence")
# scheme ":" then something, no whitespace (RFC 3987 absolute IRI, loosely: strict JSON-LD does the rest)
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")


@dataclass(frozen=True)
class StructureIssue:
    path: str
    message: str
    code: str = "VC_STRUCTURE_INVALID"

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def is_ecvet(doc) -> bool:
    """True when the document claims to be ECVET in any way (an ECVET type, schema or context): such a
    document always gets the full ECVET checks, never the generic ones."""
    from ecvet_credentials.model.concepts import SCHEMA_BASE
    from ecvet_credentials.model.concepts import CONTEXT_URLS
    from ecvet_credentials.model.wire import TYPES

    if not isinstance(doc, dict):
        return False
    types = doc.get("type")
    types = [types] if isinstance(types, str) else types if isinstance(types, list) else []
    if any(t in TYPES for t in types if isinstance(t, str)):
        return True
    schemas = doc.get("credentialSchema")
    schemas = schemas if isinstance(schemas, list) else [schemas]
    if any(isinstance(s, dict) and isinstance(s.get("id"), str) and s["id"].startswith(SCHEMA_BASE) for s in schemas):
        return True
    contexts = doc.get("@context")
    contexts = contexts if isinstance(contexts, list) else [contexts]
    return any(c in CONTEXT_URLS for c in contexts if isinstance(c, str))


def structure_issues(doc, *, issuer_did: str | None = None, registry=None) -> list[StructureIssue]:
    """Every VC 2.0 structure problem of the unsigned credential `doc` (empty when it may be signed)."""
    if not isinstance(doc, dict):
        return [StructureIssue("$", "a credential must be a JSON object", "MALFORMED_CREDENTIAL")]
    issues: list[StructureIssue] = []
    issues += _context_issues(doc.get("@context"), registry)
    issues += _type_issues(doc.get("type"))
    issues += _subject_issues(doc.get("credentialSubject"))
    issues += _issuer_issues(doc.get("issuer"), issuer_did)
    issues += _date_issues(doc)
    for name in TYPED_OBJECTS:
        if name in doc:
            issues += _typed_object_issues(name, doc[name])
    if "relatedResource" in doc:
        from ecvet_credentials.jsonld.related import related_resource_issues

        issues += [StructureIssue(path, message, code) for path, message, code in
                   related_resource_issues(doc["relatedResource"], registry)]
    if "id" in doc and not _is_absolute_iri(doc["id"]):
        issues.append(StructureIssue("$.id", f"{doc['id']!r} is not an absolute IRI (e.g. urn:uuid:... or "
                                             "https://...); leave id out to have one assigned", "INVALID_ID"))
    if "proof" in doc:
        issues.append(StructureIssue("$.proof", "the credential to issue must be unsigned; remove the proof",
                                     "ALREADY_SIGNED"))
    return issues


def check_structure(doc, *, issuer_did: str | None = None, registry=None) -> None:
    """Raise SchemaError (code of the first problem, all problems in details["issues"]) if `doc` is not
    a VC 2.0 credential this issuer may sign."""
    issues = structure_issues(doc, issuer_did=issuer_did, registry=registry)
    if issues:
        first = issues[0]
        more = f" (and {len(issues) - 1} more)" if len(issues) > 1 else ""
        raise SchemaError(f"refusing to sign: {first}{more}", code=first.code,
                          details={"issues": [str(i) for i in issues[:20]]})


def _context_issues(contexts, registry) -> list[StructureIssue]:
    from ecvet_credentials.jsonld.contexts import default_registry

    registry = registry or default_registry()
    if isinstance(contexts, str):
        contexts = [contexts]
    if not isinstance(contexts, list) or not contexts:
        return [StructureIssue("$.@context", f"missing: the first @context must be {VC_V2}", "NO_VC_CONTEXT")]
    if contexts[0] not in (VC_V2, VC_V1):
        return [StructureIssue("$.@context[0]", f"must be {VC_V2} (VC Data Model 2.0) or {VC_V1} (1.1), not "
                                                f"{contexts[0]!r}", "NO_VC_CONTEXT")]
    for n, entry in enumerate(contexts):
        if isinstance(entry, dict):
            continue  # an inline context: processed in strict mode (protected terms stay protected)
        if not isinstance(entry, str):
            return [StructureIssue(f"$.@context[{n}]", "must be a context URL or a context object", "INLINE_CONTEXT")]
        if entry not in registry:
            return [StructureIssue(f"$.@context[{n}]", f"{entry!r} is not a bundled context (nothing is fetched); "
                                                       f"bundled: {', '.join(registry.urls())}", "UNKNOWN_CONTEXT")]
    return []


def _type_issues(types) -> list[StructureIssue]:
    if isinstance(types, str):
        types = [types]
    if not isinstance(types, list) or not types or not all(isinstance(t, str) for t in types):
        return [StructureIssue("$.type", "must be a string or an array of strings", "NOT_A_CREDENTIAL")]
    if "VerifiableCredential" not in types:
        return [StructureIssue("$.type", "must include VerifiableCredential", "NOT_A_CREDENTIAL")]
    return []


def _subject_issues(subject) -> list[StructureIssue]:
    if subject is None:
        return [StructureIssue("$.credentialSubject", "missing: a credential makes claims about a subject",
                               "NO_SUBJECT")]
    subjects = subject if isinstance(subject, list) else [subject]
    if not subjects:
        return [StructureIssue("$.credentialSubject", "must not be an empty array", "NO_SUBJECT")]
    issues = []
    for n, item in enumerate(subjects):
        where = f"$.credentialSubject[{n}]" if isinstance(subject, list) else "$.credentialSubject"
        if not isinstance(item, dict) or not item:
            issues.append(StructureIssue(where, "must be an object with at least one claim (or an id)", "NO_SUBJECT"))
        elif "id" in item and not _is_absolute_iri(item["id"]):
            issues.append(StructureIssue(f"{where}.id", f"{item['id']!r} is not an absolute IRI", "INVALID_ID"))
    return issues


def _typed_object_issues(name: str, value) -> list[StructureIssue]:
    items = value if isinstance(value, list) else [value]
    if not items:
        return [StructureIssue(f"$.{name}", "must be an object or a non-empty array of objects", "MISSING_TYPE")]
    issues = []
    for n, item in enumerate(items):
        where = f"$.{name}[{n}]" if isinstance(value, list) else f"$.{name}"
        types = item.get("type") if isinstance(item, dict) else None
        types = [types] if isinstance(types, str) else types
        if not isinstance(item, dict) or not isinstance(types, list) or not types or \
                not all(isinstance(t, str) and t for t in types):
            issues.append(StructureIssue(where, f"each {name} must be an object with a type", "MISSING_TYPE"))
        elif "id" in item and not _is_absolute_iri(item["id"]):
            issues.append(StructureIssue(f"{where}.id", f"{item['id']!r} is not a URL", "INVALID_ID"))
        elif name == "credentialSchema" and "id" not in item:
            issues.append(StructureIssue(where, "a credentialSchema needs the id (URL) of the schema", "INVALID_ID"))
    return issues


def _issuer_issues(issuer, issuer_did) -> list[StructureIssue]:
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if not isinstance(issuer_id, str) or not _is_absolute_iri(issuer_id):
        return [StructureIssue("$.issuer", "must be the issuer's DID (a string, or an object with that id)",
                               "INVALID_ISSUER")]
    if issuer_did is not None and issuer_id != issuer_did:
        return [StructureIssue("$.issuer", f"is {issuer_id}, but the signing key is {issuer_did}; leave issuer out "
                                           "to have it filled in", "ISSUER_KEY_MISMATCH")]
    return []


def _date_issues(doc: dict) -> list[StructureIssue]:
    from ecvet_credentials.core.timeutil import parse_datetime

    issues: list[StructureIssue] = []
    parsed: dict[str, datetime | None] = {}
    if is_vc11(doc):
        if parse_datetime(doc.get("issuanceDate")) is None:  # VC 1.1: issuanceDate is required
            issues.append(StructureIssue("$.issuanceDate", "a VC 1.1 credential needs an issuanceDate like "
                                                           "2026-01-31T12:00:00Z", "INVALID_DATE"))
        if "expirationDate" in doc and parse_datetime(doc["expirationDate"]) is None:
            issues.append(StructureIssue("$.expirationDate", "is not an XML Schema dateTime", "INVALID_DATE"))
    for name in ("validFrom", "validUntil"):
        if name in doc:
            parsed[name] = parse_datetime(doc[name])
            if parsed[name] is None:
                issues.append(StructureIssue(f"$.{name}", f"{doc[name]!r} is not an XML Schema dateTime like "
                                                          "2026-01-31T12:00:00Z", "INVALID_DATE"))
    valid_from, valid_until = parsed.get("validFrom"), parsed.get("validUntil")
    if valid_from and valid_until and valid_until < valid_from:
        issues.append(StructureIssue("$.validUntil", "is before validFrom", "INVALID_PERIOD"))
    return issues


def is_vc11(doc) -> bool:
    contexts = doc.get("@context") if isinstance(doc, dict) else None
    return (contexts[0] if isinstance(contexts, list) and contexts else contexts) == VC_V1


def with_suite_contexts(doc: dict) -> dict:
    """A VC 1.1 credential gets the context defining the Data Integrity proof terms (as Digital
    Bazaar's signers add it): VC 1.1's own context has none."""
    contexts = doc.get("@context")
    if not is_vc11(doc) or not isinstance(contexts, list) or DI_V2 in contexts:
        return doc
    return {**doc, "@context": contexts + [DI_V2]}


def _is_absolute_iri(value) -> bool:
    return isinstance(value, str) and bool(_ABSOLUTE_IRI.match(value))
