"""did:key / did:web documents and the offline resolver."""
from __future__ import annotations

import pytest

from ecvet_credentials.crypto.dids import DidResolver, did_key_document, did_web_document, did_web_to_url
from ecvet_credentials.core.errors import DidResolutionError
from ecvet_credentials.crypto.keys import KEY_TYPES, KeyPair


@pytest.mark.parametrize("key_type", KEY_TYPES)
def test_did_key_document(key_type):
    key = KeyPair.generate(key_type)
    doc = did_key_document(key.did)
    assert doc["@context"] == ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]
    assert doc["id"] == key.did
    assert doc["verificationMethod"] == [{
        "id": key.verification_method_id, "type": "Multikey", "controller": key.did,
        "publicKeyMultibase": key.public_multibase,
    }]
    for rel in ("assertionMethod", "authentication", "capabilityInvocation", "capabilityDelegation"):
        assert doc[rel] == [key.verification_method_id]
    vm = DidResolver().verification_method(key.verification_method_id)
    assert vm.public_key == key.public_key and vm.controller == key.did and vm.revoked is None
    assert {"assertionMethod", "authentication"} <= vm.relationships


def test_did_key_vector_identifier(shared_dir):
    # The W3C vectors' did:key resolves to the key in keyPair.json.
    import json
    pair = json.loads((shared_dir / "vectors/vc-di-eddsa/TestVectors/keyPair.json").read_text())
    did = "did:key:" + pair["publicKeyMultibase"]
    vm = DidResolver().verification_method(f"{did}#{pair['publicKeyMultibase']}")
    assert vm.public_key.multibase == pair["publicKeyMultibase"]


@pytest.mark.parametrize("bad", ["did:key:", "did:key:z6MkNOPE", "did:key:zzz#x", "nodid", "did:web", 5])
def test_did_key_junk(bad):
    with pytest.raises(DidResolutionError):
        did_key_document(bad)


@pytest.mark.parametrize("did,url", [
    ("did:web:example.edu", "https://example.edu/.well-known/did.json"),
    ("did:web:example.edu:schools:vet", "https://example.edu/schools/vet/did.json"),
    ("did:web:localhost%3A8443", "https://localhost:8443/.well-known/did.json"),
])
def test_did_web_to_url(did, url):
    assert did_web_to_url(did) == url


@pytest.mark.parametrize("bad", ["did:web:", "did:web:exa mple.edu", "did:web:a/b", "did:web:a::b",
                                 "did:key:z6Mk", "did:web:evil.com%2Fx"])
def test_did_web_to_url_junk(bad):
    with pytest.raises(DidResolutionError):
        did_web_to_url(bad)


def test_did_web_document_with_rotation():
    did = "did:web:school.example"
    old, new = KeyPair.generate("Ed25519"), KeyPair.generate("P-256")
    doc = did_web_document(did, [
        {"key": old, "id": "key-2024", "revoked": "2025-01-01T00:00:00Z"},
        {"key": new.public_key, "id": None, "revoked": None},
    ])
    old_id, new_id = f"{did}#key-2024", f"{did}#{new.public_multibase}"
    assert [vm["id"] for vm in doc["verificationMethod"]] == [old_id, new_id]
    assert doc["verificationMethod"][0]["revoked"] == "2025-01-01T00:00:00Z"
    assert "revoked" not in doc["verificationMethod"][1]
    assert doc["assertionMethod"] == [old_id, new_id]  # old credentials keep verifying
    assert doc["authentication"] == [new_id]           # but the old key no longer acts now
    resolver = DidResolver({did: doc})
    vm_old = resolver.verification_method(old_id)
    assert vm_old.revoked == "2025-01-01T00:00:00Z" and vm_old.relationships == {"assertionMethod"}
    assert resolver.verification_method(new_id).public_key == new.public_key


def test_did_web_document_rejects_bad_input():
    key = KeyPair.generate("Ed25519")
    for revoked in ("yesterday", "2026-02-30T00:00:00Z", "2026-01-01T00:00:00", "2026-01-01"):
        with pytest.raises(ValueError):  # not a day, no time zone, no time
            did_web_document("did:web:x.example", [{"key": key, "revoked": revoked}])
    assert did_web_document("did:web:x.example", [{"key": key, "revoked": "2026-01-01T00:00:00.5+01:00"}])
    with pytest.raises(ValueError):
        did_web_document("did:web:x.example", [{"key": key}, {"key": key}])
    with pytest.raises(DidResolutionError):
        did_web_document("did:key:abc", [{"key": key}])


def test_resolver_never_fetches_by_default(monkeypatch):
    def boom(*a, **k):
        raise AssertionError("network used")
    monkeypatch.setattr("urllib.request.OpenerDirector.open", boom)
    with pytest.raises(DidResolutionError) as e:
        DidResolver().resolve("did:web:unknown.example")
    assert e.value.code == "DID_NOT_FOUND" and "trust registry" in str(e.value)


def test_resolver_fetches_only_allowed_hosts(monkeypatch):
    key = KeyPair.generate("Ed25519")
    doc = did_web_document("did:web:ok.example", [{"key": key, "id": "k1"}])
    calls = []

    def fake_fetch(self, url):
        calls.append(url)
        return doc
    monkeypatch.setattr(DidResolver, "_fetch", fake_fetch)
    resolver = DidResolver(allow_hosts=["OK.example"])
    assert resolver.verification_method("did:web:ok.example#k1").public_key == key.public_key
    assert calls == ["https://ok.example/.well-known/did.json"]
    with pytest.raises(DidResolutionError):
        resolver.resolve("did:web:other.example")
    assert len(calls) == 1


@pytest.mark.parametrize("mutate,code", [
    (lambda d: d.update(id="did:web:other.example"), "DID_DOCUMENT_INVALID"),
    (lambda d: d["verificationMethod"][0].update(controller="did:web:evil.example"), "DID_DOCUMENT_INVALID"),
    (lambda d: d["verificationMethod"][0].update(type="JsonWebKey"), "UNSUPPORTED_VERIFICATION_METHOD"),
    (lambda d: d["verificationMethod"][0].update(publicKeyMultibase="z6Mk"), "INVALID_PUBLIC_KEY"),
    (lambda d: d["verificationMethod"][0].update(id="did:web:s.example#other"), "VERIFICATION_METHOD_NOT_FOUND"),
    (lambda d: d["verificationMethod"][0].update(revoked=5), "DID_DOCUMENT_INVALID"),
    (lambda d: d["verificationMethod"][0].update(revoked="2026-02-30T00:00:00Z"), "DID_DOCUMENT_INVALID"),
    (lambda d: d["verificationMethod"][0].update(revoked="2026-01-01T00:00:00"), "DID_DOCUMENT_INVALID"),
])
def test_verification_method_errors(mutate, code):
    doc = did_web_document("did:web:s.example", [{"key": KeyPair.generate("Ed25519"), "id": "k"}])
    mutate(doc)
    with pytest.raises(DidResolutionError) as e:
        DidResolver({"did:web:s.example": doc}).verification_method("did:web:s.example#k")
    assert e.value.code == code


def test_relative_ids_and_embedded_methods():
    key = KeyPair.generate("Ed25519")
    did = "did:web:rel.example"
    doc = {"id": did, "assertionMethod": [
        {"id": "#k", "type": "Multikey", "controller": did, "publicKeyMultibase": key.public_multibase}]}
    vm = DidResolver({did: doc}).verification_method(did + "#k")
    assert vm.relationships == {"assertionMethod"} and vm.public_key == key.public_key


@pytest.mark.parametrize("vm_id", ["did:key:z6Mk", "no-fragment", None, "did:example:x#k"])
def test_verification_method_unresolvable(vm_id):
    with pytest.raises(DidResolutionError):
        DidResolver().verification_method(vm_id)
