"""Interop causes of issue 14, one test each: what other implementations make must verify here, and
what the W3C specs say must change the signature must change it."""
from __future__ import annotations

import copy
import importlib.util
import json
from pathlib import Path

import pytest

from ecvet_credentials.crypto.keys import KeyPair
from ecvet_credentials.proofs import sign, verify_proofs

INTEROP = Path(__file__).parent / "data" / "interop"


def _acapy_module():
    spec = importlib.util.spec_from_file_location("make_acapy_jcs", INTEROP / "make_acapy_jcs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- JCS proofs without @context (ACA-Py, Digital Bazaar primitives) ----------------------------
def test_acapy_fixture_is_what_the_independent_maker_produces():
    fixture = json.loads((INTEROP / "acapy-eddsa-jcs-2022.json").read_text())
    assert fixture == _acapy_module().make()
    assert "@context" not in fixture["proof"]  # the case at stake: the proof carries no @context


def test_jcs_proof_without_context_verifies():
    fixture = json.loads((INTEROP / "acapy-eddsa-jcs-2022.json").read_text())
    result = verify_proofs(fixture)
    assert result.verified, [(r.code, r.message) for r in result.results]
    assert result.controllers == [fixture["issuer"]]


def test_jcs_proof_without_context_still_detects_changes():
    fixture = json.loads((INTEROP / "acapy-eddsa-jcs-2022.json").read_text())
    changed = copy.deepcopy(fixture)
    changed["credentialSubject"]["alumniOf"] = "Another School"
    assert verify_proofs(changed).code == "INVALID_SIGNATURE"
    # adding the document's @context to the proof options is another proof configuration
    with_context = copy.deepcopy(fixture)
    with_context["proof"]["@context"] = fixture["@context"]
    assert verify_proofs(with_context).code == "INVALID_SIGNATURE"


@pytest.mark.parametrize("cryptosuite,key_type", [("eddsa-jcs-2022", "Ed25519"), ("ecdsa-jcs-2019", "P-256")])
def test_our_jcs_proofs_keep_their_context_and_verify(cryptosuite, key_type):
    key = KeyPair.generate(key_type)
    doc = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
           "issuer": key.did, "credentialSubject": {"id": "did:example:subject"}}
    signed = sign(doc, key, cryptosuite=cryptosuite)
    assert signed["proof"]["@context"] == doc["@context"]  # as the W3C vectors
    assert verify_proofs(signed).verified


# --- @direction is signed (rdfDirection i18n-datatype) -------------------------------------------
@pytest.mark.parametrize("cryptosuite", ["eddsa-rdfc-2022", "eddsa-jcs-2022"])
def test_direction_change_breaks_the_signature(cryptosuite):
    key = KeyPair.generate("Ed25519")
    doc = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
           "issuer": key.did, "name": {"@value": "شهادة", "@language": "ar", "@direction": "rtl"},
           "credentialSubject": {"id": "did:example:subject"}}
    signed = sign(doc, key, cryptosuite=cryptosuite)
    assert verify_proofs(signed).verified
    flipped = copy.deepcopy(signed)
    flipped["name"]["@direction"] = "ltr"
    assert verify_proofs(flipped).code == "INVALID_SIGNATURE"
    dropped = copy.deepcopy(signed)
    del dropped["name"]["@direction"]
    assert verify_proofs(dropped).code == "INVALID_SIGNATURE"


def test_direction_is_in_the_canonical_form():
    from ecvet_credentials.jsonld.canon import canonicalize

    doc = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
           "id": "urn:uuid:1", "name": {"@value": "x", "@language": "ar", "@direction": "rtl"}}
    assert '"x"^^<https://www.w3.org/ns/i18n#ar_rtl>' in canonicalize(doc)
    assert canonicalize(doc, fast=False) == canonicalize(doc)


# --- a proof chain made entirely by `ecvet sign` -------------------------------------------------
def test_chained_proof_made_by_ecvet_sign(runner, tmp_path):
    from ecvet_credentials.cli.main import cli

    first_key, second_key = tmp_path / "first.key", tmp_path / "second.key"
    for path, kind in ((first_key, "ed25519"), (second_key, "p256")):
        assert runner.invoke(cli, ["keys", "generate", "--type", kind, "--out", str(path)]).exit_code == 0
    doc = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
           "issuer": "did:example:issuer", "credentialSubject": {"id": "did:example:subject"}}
    (tmp_path / "in.json").write_text(json.dumps(doc))
    one, two = tmp_path / "one.json", tmp_path / "two.json"
    result = runner.invoke(cli, ["sign", str(tmp_path / "in.json"), "--key", str(first_key),
                                 "--proof-id", "urn:uuid:proof-1", "-o", str(one)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["sign", str(one), "--key", str(second_key), "--proof-id", "urn:uuid:proof-2",
                                 "--previous-proof", "urn:uuid:proof-1", "-o", str(two)])
    assert result.exit_code == 0, result.output
    chained = json.loads(two.read_text())
    first, second = chained["proof"]
    assert first["id"] == "urn:uuid:proof-1" and "previousProof" not in first
    assert second["id"] == "urn:uuid:proof-2" and second["previousProof"] == "urn:uuid:proof-1"
    assert verify_proofs(chained).verified
    # the second proof covers the first: removing or changing the first breaks the chain
    without_first = dict(chained, proof=[second])
    assert verify_proofs(without_first).code == "PREVIOUS_PROOF_MISSING"
    altered = copy.deepcopy(chained)
    altered["proof"][0]["created"] = "2020-01-01T00:00:00Z"
    assert not verify_proofs(altered).results[1].verified
    # a relative proof id is refused plainly (exit 2)
    bad = runner.invoke(cli, ["sign", str(one), "--key", str(second_key), "--proof-id", "proof 2"])
    assert bad.exit_code == 2 and "--proof-id" in bad.output


# --- documents of formats not read yet: said plainly -----------------------------------------------
EDC_CONTEXT = "http://data.europa.eu/snb/model/context/edc-ap"
SEALED_EUROPASS = {  # the shape of a JAdES-sealed EDC (JWS JSON serialization, b64:false payload)
    "payload": json.dumps({"@context": ["https://www.w3.org/2018/credentials/v1", EDC_CONTEXT],
                           "type": ["VerifiableCredential", "EuropeanDigitalCredential"]}),
    "signatures": [{"protected": "eyJhbGciOiJSUzI1NiJ9", "header": {"etsiU": []}, "signature": "tBBTqC19Gs0R"}],
}


def test_sealed_europass_is_named_and_not_supported_yet():
    from ecvet_credentials.verify import verify_credential

    report = verify_credential(SEALED_EUROPASS)
    first = report.checks[0]
    assert (first.id, first.outcome.value, first.code) == ("input", "not_checked", "UNSUPPORTED_FORMAT")
    assert "sealed Europass credential" in first.message and "not supported yet" in first.message
    assert "type" not in first.message  # not "no valid 'type'"
    assert report.verdict.value == "could_not_check" and not report.verified
    assert len(report.checks) == 1  # nothing else is attempted on a document that cannot be read


def test_sealed_europass_on_the_command_line(runner, tmp_path):
    from ecvet_credentials.cli.main import cli

    path = tmp_path / "sealed.json"
    path.write_text(json.dumps(SEALED_EUROPASS))
    result = runner.invoke(cli, ["verify", str(path)])
    assert result.exit_code == 1
    assert "sealed Europass credential" in result.output and "not supported yet" in result.output


@pytest.mark.parametrize("url,what", [(EDC_CONTEXT, "is a Europass credential"),
                                      ("https://unknown.example/ctx/v1", "does not support yet")])
def test_unknown_context_is_said_plainly(runner, tmp_path, url, what):
    from ecvet_credentials.cli.main import cli
    from ecvet_credentials.verify import verify_credential

    doc = {"@context": ["https://www.w3.org/ns/credentials/v2", url], "type": ["VerifiableCredential"],
           "issuer": "did:example:i", "credentialSubject": {"id": "did:example:s"}}
    contexts = verify_credential(doc).get("contexts")
    assert contexts.code == "UNKNOWN_CONTEXT" and what in contexts.message
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(doc))
    result = runner.invoke(cli, ["verify", str(path)])
    assert result.exit_code == 2 and what in result.output
    for text in (contexts.message, result.output):
        assert "contexts/" not in text and "commit" not in text and "pin_contexts" not in text


# --- relatedResource digests are checked when verifying too ---------------------------------------
def test_related_resource_digest_checked_on_verify():
    import base64
    import hashlib

    from ecvet_credentials.jsonld.contexts import default_registry
    from ecvet_credentials.verify import verify_credential

    v2 = "https://www.w3.org/ns/credentials/v2"
    digest = base64.b64encode(hashlib.sha384(default_registry().get(v2).path.read_bytes()).digest()).decode()
    key = KeyPair.generate("Ed25519")
    doc = {"@context": [v2], "type": ["VerifiableCredential"], "issuer": key.did,
           "credentialSubject": {"id": "did:example:s"},
           "relatedResource": [{"id": v2, "digestSRI": "sha384-" + digest}]}
    good = verify_credential(sign(doc, key), checks=["contexts", "proof"])
    assert good.verified, [(c.id, c.code) for c in good.failed_checks]
    wrong = dict(doc, relatedResource=[{"id": v2, "digestSRI": "sha384-" + "A" * 64}])
    bad = verify_credential(sign(wrong, key), checks=["contexts", "proof"])
    assert [(c.id, c.code) for c in bad.failed_checks] == [("contexts", "RELATED_RESOURCE_DIGEST_MISMATCH")]


def test_direction_canonical_form_is_jsonld_js():
    """Byte for byte what Digital Bazaar's jsonld.js (rdfDirection i18n-datatype) gives, on both paths."""
    from ecvet_credentials.jsonld.canon import canonicalize

    doc = json.loads((INTEROP / "direction.json").read_text())
    expected = (INTEROP / "direction.jsonld-js.nq").read_text()
    assert canonicalize(doc) == expected
    assert canonicalize(doc, fast=False) == expected
