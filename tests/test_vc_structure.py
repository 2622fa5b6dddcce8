"""The generic (non-ECVET) issuance profile: VC 2.0 structure checks (vc_structure.py) and
issue_credential(profile="generic"), with and without a registry."""
from __future__ import annotations

import copy

import pytest

from ecvet_credentials.core.errors import SchemaError, StrictJsonLdError
from ecvet_credentials.ecvet.issue import issue_credential, profile_for
from ecvet_credentials.crypto.keys import load_key_file
from ecvet_credentials.core.paths import data_dir
from ecvet_credentials.registry.store import Registry
from ecvet_credentials.model.vc_structure import check_structure, is_ecvet, structure_issues

V2, EXAMPLES = "https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"


@pytest.fixture(scope="module")
def key():
    return load_key_file(data_dir("keys-example") / "host.key", passphrase=b"ecvet-example-do-not-use")


def alumni(**changes) -> dict:
    doc = {"@context": [V2, EXAMPLES], "id": "urn:uuid:0b9a6f4e-2b1c-4e8e-9a59-6b2b1f0c7d11",
           "type": ["VerifiableCredential", "AlumniCredential"], "name": "Alumni Credential",
           "validFrom": "2023-01-01T00:00:00Z",
           "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"}}
    doc.update(changes)
    return {k: v for k, v in doc.items() if v is not None}


def codes(doc, **kw) -> list[str]:
    return [i.code for i in structure_issues(doc, **kw)]


def test_a_plain_credential_has_no_issues(key):
    assert structure_issues(alumni(issuer=key.did), issuer_did=key.did) == []
    assert structure_issues(alumni(issuer={"id": key.did, "name": "Host"}, type="VerifiableCredential"),
                            issuer_did=key.did) == []


@pytest.mark.parametrize("changes,code", [
    ({"@context": None}, "NO_VC_CONTEXT"),
    ({"@context": [EXAMPLES, V2]}, "NO_VC_CONTEXT"),
    ({"@context": ["https://www.w3.org/2018/credentials/v1"]}, "INVALID_DATE"),  # VC 1.1 needs issuanceDate
    ({"@context": [V2, ["https://example.org/nested"]]}, "INLINE_CONTEXT"),
    ({"credentialSchema": {"id": "https://example.org/s.json"}}, "MISSING_TYPE"),
    ({"credentialSchema": {"type": "JsonSchema"}}, "INVALID_ID"),
    ({"refreshService": {"id": "https://example.org/refresh"}}, "MISSING_TYPE"),
    ({"termsOfUse": [{"type": "IssuerPolicy"}, {"id": "https://example.org/tos"}]}, "MISSING_TYPE"),
    ({"evidence": "https://example.org/evidence"}, "MISSING_TYPE"),
    ({"credentialStatus": {"id": "https://example.org/status#1"}}, "MISSING_TYPE"),
    ({"credentialStatus": {"id": "status-1", "type": "BitstringStatusListEntry"}}, "INVALID_ID"),
    ({"relatedResource": ["https://www.w3.org/ns/credentials/v2"]}, "INVALID_RELATED_RESOURCE"),
    ({"relatedResource": [{"digestSRI": "sha256-" + "A" * 43 + "="}]}, "INVALID_RELATED_RESOURCE"),
    ({"relatedResource": [{"id": "https://example.org/a", "digestSRI": "sha384-" + "A" * 64},
                          {"id": "https://example.org/a", "digestSRI": "sha384-" + "A" * 64}]}, "INVALID_RELATED_RESOURCE"),
    ({"relatedResource": {"id": "https://example.org/a"}}, "INVALID_RELATED_RESOURCE"),
    ({"relatedResource": {"id": "https://example.org/a", "digestSRI": "md5-abc"}}, "INVALID_RELATED_RESOURCE"),
    ({"relatedResource": {"id": V2, "digestSRI": "sha384-" + "A" * 64}}, "RELATED_RESOURCE_DIGEST_MISMATCH"),
    ({"@context": [V2, "https://example.org/context.jsonld"]}, "UNKNOWN_CONTEXT"),
    ({"type": ["AlumniCredential"]}, "NOT_A_CREDENTIAL"),
    ({"type": None}, "NOT_A_CREDENTIAL"),
    ({"type": ["VerifiableCredential", 3]}, "NOT_A_CREDENTIAL"),
    ({"credentialSubject": None}, "NO_SUBJECT"),
    ({"credentialSubject": {}}, "NO_SUBJECT"),
    ({"credentialSubject": []}, "NO_SUBJECT"),
    ({"credentialSubject": [{"id": "did:example:1"}, "did:example:2"]}, "NO_SUBJECT"),
    ({"credentialSubject": {"id": "not an iri"}}, "INVALID_ID"),
    ({"validFrom": "2023-01-01"}, "INVALID_DATE"),
    ({"validUntil": "tomorrow"}, "INVALID_DATE"),
    ({"validUntil": "2022-12-31T23:59:59Z"}, "INVALID_PERIOD"),
    ({"id": "credential-1"}, "INVALID_ID"),
    ({"id": 7}, "INVALID_ID"),
    ({"issuer": "did:key:z6Mku5cfw33qTV17B5KBzNGn6RpcqYABjLFzviZr2Bre6omS"}, "ISSUER_KEY_MISMATCH"),
    ({"issuer": {"name": "no id"}}, "INVALID_ISSUER"),
    ({"proof": {"type": "DataIntegrityProof"}}, "ALREADY_SIGNED"),
])
def test_each_rule(key, changes, code):
    doc = alumni(**{"issuer": key.did, **{k: v for k, v in changes.items() if k != "@context"}})
    if "@context" in changes:
        doc = {**doc, "@context": changes["@context"]} if changes["@context"] is not None else \
            {k: v for k, v in doc.items() if k != "@context"}
    assert code in codes(doc, issuer_did=key.did)
    with pytest.raises(SchemaError) as err:
        check_structure(doc, issuer_did=key.did)
    assert err.value.code == codes(doc, issuer_did=key.did)[0]
    assert str(err.value).startswith("refusing to sign: $")
    assert err.value.details["issues"]


def test_not_an_object():
    assert codes(["VerifiableCredential"]) == ["MALFORMED_CREDENTIAL"]


def test_is_ecvet_by_type_schema_or_context():
    from serve_helpers import unsigned_transcript

    transcript = unsigned_transcript()
    assert is_ecvet(transcript) and profile_for(transcript) == "ecvet"
    assert not is_ecvet(alumni()) and profile_for(alumni()) == "generic"
    # anything that claims ECVET in any way never gets the lighter generic checks
    assert is_ecvet(alumni(type=["VerifiableCredential", "EcvetRecognition", "EcvetPersonalTranscript"]))
    assert is_ecvet(alumni(credentialSchema={"id": "https://w3id.org/ecvet-credentials/schemas/recognition-v1.json",
                                             "type": "JsonSchema"}))
    assert is_ecvet(alumni(**{"@context": [V2, "https://w3id.org/ecvet-credentials/v1"]}))


# --- issue_credential(profile="generic") ----------------------------------------------------------
def test_generic_issue_fills_in_the_issuer_and_verifies(key):
    from ecvet_credentials.crypto.dids import DidResolver
    from ecvet_credentials.trust.signing import load_trust_registry
    from ecvet_credentials.verify import verify_credential

    signed = issue_credential(alumni(), key, profile="generic").credential
    assert signed["issuer"] == key.did and signed["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert "credentialStatus" not in signed
    trust = load_trust_registry(data_dir("keys-example") / "trust-registry.json")
    report = verify_credential(signed, trust=trust, resolver=DidResolver(trust.did_documents()))
    assert report.verified, report.to_json()


def test_ecvet_profile_still_refuses_generic_credentials(key):
    with pytest.raises(SchemaError, match="not an ECVET credential"):
        issue_credential(alumni(issuer=key.did), key)
    with pytest.raises(ValueError, match="profile"):
        issue_credential(alumni(issuer=key.did), key, profile="anything")


def test_generic_profile_refuses_ecvet_credentials(key):
    from serve_helpers import unsigned_transcript

    with pytest.raises(SchemaError) as err:
        issue_credential(unsigned_transcript(), key, profile="generic")
    assert err.value.code == "ECVET_NEEDS_SCHEMA"


def test_undefined_term_is_refused_strictly(key):
    doc = alumni(**{"@context": [V2]})  # no @vocab: alumniOf and AlumniCredential are undefined
    doc["type"] = ["VerifiableCredential"]
    with pytest.raises(StrictJsonLdError) as err:
        issue_credential(doc, key, profile="generic")
    assert err.value.code == "DATA_LOSS_DETECTION"


def test_with_registry_status_is_allocated_and_refusals_reserve_nothing(key, tmp_path):
    with Registry.open(tmp_path / "registry.sqlite") as registry:
        kw = dict(profile="generic", registry=registry, status_base_url="https://issuer.example/status")
        signed = issue_credential(alumni(id=None), key, **kw).credential
        assert signed["id"].startswith("urn:uuid:")
        assert {e["statusPurpose"] for e in signed["credentialStatus"]} == {"revocation", "suspension"}
        assert registry.status_of(signed["id"]).credential_type == "AlumniCredential"

        refused = [alumni(**{"@context": [V2]}), alumni(validUntil="2000-01-01T00:00:00Z"),
                   alumni(credentialStatus={"id": "https://elsewhere.example/1#5"})]
        for doc in refused:
            with pytest.raises((SchemaError, StrictJsonLdError)):
                issue_credential(copy.deepcopy(doc), key, **kw)
        assert [r.credential_id for r in registry.list_credentials()] == [signed["id"]]
        # the credential's own status is signed as given: nothing allocated, nothing recorded
        own = {"id": "https://elsewhere.example/1#5", "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
               "statusListIndex": "5", "statusListCredential": "https://elsewhere.example/1"}
        kept = issue_credential(alumni(credentialStatus=own), key, **kw).credential
        assert kept["credentialStatus"] == own
        assert [r.credential_id for r in registry.list_credentials()] == [signed["id"]]
        # VC 1.1: the issuer adds the context defining the proof terms; no status entry, not recorded
        v11 = issue_credential(alumni(id=None, validFrom=None, issuanceDate="2020-03-16T22:37:26Z", **{
            "@context": ["https://www.w3.org/2018/credentials/v1", {"AlumniCredential": "https://ex.test/Alumni",
                                                                  "alumniOf": "https://ex.test/alumniOf",
                                                                  "name": "https://schema.org/name",
                                                                  "description": "https://schema.org/description"}]}),
                               key, **kw).credential
        assert v11["@context"][2:] == ["https://w3id.org/security/data-integrity/v2"]
        from ecvet_credentials.proofs import verify_proofs
        assert verify_proofs(v11).verified and "credentialStatus" not in v11  # Bitstring Status List is VC 2.0
        assert len(registry.list_credentials()) == 1
        single_type = issue_credential(alumni(id=None, type="VerifiableCredential",
                                              credentialSubject={"id": "did:example:x", "name": "X"}), key, **kw)
        assert registry.status_of(single_type.credential["id"]).credential_type == "VerifiableCredential"


def test_inline_contexts_and_vc11_are_accepted(key):
    """The generic profile signs VC 1.1 (with issuanceDate) and inline context objects (checked
    strictly when canonicalized, not here)."""
    v11 = alumni(issuer=key.did, validFrom=None, issuanceDate="2020-03-16T22:37:26Z",
                 **{"@context": ["https://www.w3.org/2018/credentials/v1", {"AlumniCredential": "https://ex.test/A"}]})
    assert structure_issues(v11, issuer_did=key.did) == []


def test_related_resource_digests_of_a_pinned_context(key):
    import base64
    import hashlib

    from ecvet_credentials.jsonld.contexts import default_registry
    from ecvet_credentials.core import multibase

    data = default_registry().get(V2).path.read_bytes()
    sri = "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()
    raw = "u" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).decode().rstrip("=")
    multihash = multibase.encode(b"\x12\x20" + hashlib.sha256(data).digest(), "z")
    for entry in ({"digestSRI": sri}, {"digestMultibase": raw}, {"digestMultibase": multihash},
                  {"digestSRI": sri, "mediaType": "application/ld+json"}):
        doc = alumni(issuer=key.did, relatedResource={"id": V2, **entry})
        assert structure_issues(doc, issuer_did=key.did) == [], entry
    # a resource not held here cannot be retrieved offline: its well-formed digest is not judged
    other = alumni(issuer=key.did, relatedResource=[{"id": "https://example.org/x", "digestSRI": sri}])
    assert structure_issues(other, issuer_did=key.did) == []
