"""Work that verifying many credentials does once, not per credential or per message (issue 17):
each issuer key is decoded once, and the environment's language is read once per verification."""
from __future__ import annotations

import contextvars
import json

from ecvet_credentials import i18n
from ecvet_credentials.crypto import dids, keys
from ecvet_credentials.verify import verify_credential


def _verify_demo(demo_dir):
    doc = json.loads((demo_dir / "transcript.json").read_text())
    return verify_credential(doc, offline=True)


def test_each_public_key_is_decoded_once(demo_dir, monkeypatch):
    parsed = []
    real_parse = keys._parse_public_key
    monkeypatch.setattr(keys, "_parse_public_key", lambda value: parsed.append(value) or real_parse(value))
    keys._known_public_key.cache_clear()
    dids._did_key_method.cache_clear()  # the did:key methods made from those keys
    first = _verify_demo(demo_dir)
    decoded_by_first = len(parsed)
    assert decoded_by_first >= 1  # the issuer's did:key
    assert len(set(parsed)) == decoded_by_first  # no key decoded twice within one verification
    second = _verify_demo(demo_dir)
    assert len(parsed) == decoded_by_first  # nothing decoded again
    assert first.to_json()["checks"] == second.to_json()["checks"]
    keys._known_public_key.cache_clear()
    dids._did_key_method.cache_clear()


def test_a_junk_key_is_refused_every_time():
    import pytest

    from ecvet_credentials.core.errors import KeyFileError

    for _ in range(2):
        with pytest.raises(KeyFileError):
            keys.public_key_from_multibase("z6MkNotAKey")
    with pytest.raises(KeyFileError):
        keys.public_key_from_multibase("z" * 500)  # too long to be cached, still checked


def test_the_language_is_read_from_the_environment_once_per_verification(demo_dir, monkeypatch):
    reads = []
    real_read = i18n.language_from_env
    monkeypatch.setattr(i18n, "language_from_env", lambda environ=None: reads.append(1) or real_read(environ))

    def run():
        i18n.set_language(None)  # the environment decides (in this copied context only)
        reads.clear()
        return _verify_demo(demo_dir)

    report = contextvars.copy_context().run(run)
    assert len(report.checks) > 5  # many checks, each with its message
    assert len(reads) == 1


def _schema_broken(demo_dir, *, units: int) -> dict:
    """The demo transcript with `units` copies of its first unit, each with a points value the schema refuses."""
    import copy

    doc = json.loads((demo_dir / "transcript.json").read_text())
    part = doc["credentialSubject"]["hasClaim"]["hasPart"]
    unit = part[0] if isinstance(part, list) else part
    copies = []
    for i in range(units):
        bad = json.loads(json.dumps(unit).replace("#u1", f"#u{i + 1}"))
        bad["specifiedBy"]["creditPoint"]["point"] = "many"
        copies.append(copy.deepcopy(bad))
    doc["credentialSubject"]["hasClaim"]["hasPart"] = copies
    return doc


def test_a_schema_invalid_document_of_ordinary_size_still_has_its_signature_checked(demo_dir, monkeypatch):
    from ecvet_credentials.verify import checks_proof

    doc = _schema_broken(demo_dir, units=2)
    assert len(json.dumps(doc)) < checks_proof.PROOF_AFTER_SCHEMA_FAILURE_MAX_CHARS
    report = verify_credential(doc, offline=True)
    assert report.get("schema").outcome.value == "failed"
    assert report.get("proof").outcome.value == "failed"  # the registrar learns the content was changed
    assert report.verdict.value == "not_verified"


def test_a_large_schema_invalid_document_is_not_canonicalized_for_nothing(demo_dir, monkeypatch):
    from ecvet_credentials import proofs
    from ecvet_credentials.verify import checks_proof

    monkeypatch.setattr(checks_proof, "PROOF_AFTER_SCHEMA_FAILURE_MAX_CHARS", 20_000)
    canonicalized = []
    real = proofs.verify_proofs
    monkeypatch.setattr(proofs, "verify_proofs", lambda *a, **k: canonicalized.append(1) or real(*a, **k))
    doc = _schema_broken(demo_dir, units=12)
    assert len(json.dumps(doc)) > 20_000
    report = verify_credential(doc, offline=True)
    proof = report.get("proof")
    assert (proof.outcome.value, proof.code) == ("not_checked", "NOT_CHECKED_AFTER_SCHEMA_FAILURE")
    assert report.get("issuer-binding").outcome.value == "not_checked"
    assert report.verdict.value == "not_verified"  # a failed schema check decides, never "could not check"
    assert not canonicalized
    # the same document with the schema check left out is canonicalized and its proof fails
    report = verify_credential(doc, offline=True, checks=["proof"])
    assert report.get("proof").outcome.value == "failed"
    assert canonicalized


def test_a_did_key_method_is_derived_once_and_a_bad_one_refused_every_time():
    import pytest

    from ecvet_credentials.core.errors import DidResolutionError

    key = keys.KeyPair.generate("Ed25519")
    vm_id = key.verification_method_id
    first, second = dids.DidResolver(), dids.DidResolver({"did:web:example.org": {"id": "did:web:example.org"}})
    method = first.verification_method(vm_id)
    assert second.verification_method(vm_id) is method  # whatever the resolver holds: a did:key is its own document
    assert method.controller == key.did and method.public_key.multibase == key.public_key.multibase
    for _ in range(2):
        with pytest.raises(DidResolutionError):
            first.verification_method(key.did + "#not-this-key")
