"""Trust registry: signed by a trust anchor (JCS proof), key history (rotation, revocation), CLI."""
from __future__ import annotations

import copy
import json
from datetime import datetime, timezone

import pytest

from ecvet_credentials.cli.main import cli
from ecvet_credentials.core.errors import InputError
from ecvet_credentials.crypto.keys import load_key_file
from ecvet_credentials.trust.signing import check_anchor_proof, load_trust_registry, sign_trust_registry
from ecvet_credentials.trust.registry import parse_trust_registry
from verify_corpus import NOW, REPO, build_corpus

KEYS = REPO / "keys-example"
ANCHOR = "did:key:zDnaeyhNhFpeL4bkBgrBnTtKz1VrPwj5xXwR3SPe3RA7Nbn4t"   # the example competent authority (P-256)
HOST = "did:key:z6Mksq6zm1SAjQECE3RajjixppcrrGGeuSeaf4YzLVkWwN99"


@pytest.fixture(scope="module")
def anchor_key():
    return load_key_file(KEYS / "authority.key", passphrase=b"ecvet-example-do-not-use")


@pytest.fixture(scope="module")
def registry_data():
    return json.loads((KEYS / "trust-registry.json").read_text())


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return build_corpus(tmp_path_factory.mktemp("trust-corpus"))


def write(path, doc):
    path.write_text(json.dumps(doc, indent=2))
    return path


# --- signing -------------------------------------------------------------------------------------
def test_signed_registry_verifies_and_every_field_is_covered(anchor_key, registry_data):
    signed = sign_trust_registry(registry_data, anchor_key, created="2026-09-01T00:00:00Z")
    assert signed["proof"]["cryptosuite"] == "ecdsa-jcs-2019"
    assert check_anchor_proof(signed, ANCHOR) is None
    # any change, also to fields this version does not interpret, breaks the proof
    for mutate in (lambda d: d["institutions"][0].update(roles=["host", "home"]),
                   lambda d: d["institutions"][0]["identifiers"].update(erasmusCode="X"),
                   lambda d: d["partnerships"][0]["qualifications"].append("Chef"),
                   lambda d: d.update(extra=1)):
        changed = copy.deepcopy(signed)
        mutate(changed)
        problem = check_anchor_proof(changed, ANCHOR)
        assert "does not verify" in problem and "INVALID_SIGNATURE" in problem and "changed after signing" in problem


def test_unsigned_wrong_anchor_and_context_are_refused(anchor_key, registry_data):
    assert "not signed" in check_anchor_proof(registry_data, ANCHOR)
    host_key = load_key_file(KEYS / "host.key", passphrase=b"ecvet-example-do-not-use")
    by_host = sign_trust_registry(registry_data, host_key)
    assert by_host["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    assert "not by the trust anchor" in check_anchor_proof(by_host, ANCHOR)
    with pytest.raises(InputError):
        sign_trust_registry({**registry_data, "@context": ["https://www.w3.org/ns/credentials/v2"]}, anchor_key)
    with pytest.raises(InputError):
        sign_trust_registry({"institutions": "nope"}, anchor_key)


def test_resigning_replaces_the_old_proof(anchor_key, registry_data):
    signed = sign_trust_registry(registry_data, anchor_key)
    changed = copy.deepcopy(signed)
    changed["name"] = "renamed"
    again = sign_trust_registry(changed, anchor_key)
    assert isinstance(again["proof"], dict) and check_anchor_proof(again, ANCHOR) is None


def test_rdfc_proof_is_not_accepted_for_a_registry(anchor_key, registry_data):
    """Without @context an RDFC proof would sign nothing; only JCS proofs count."""
    from ecvet_credentials.proofs import verify_proofs

    signed = sign_trust_registry(registry_data, anchor_key)
    signed["proof"]["cryptosuite"] = "ecdsa-rdfc-2019"
    assert verify_proofs(signed).verified is False
    assert check_anchor_proof(signed, ANCHOR) is not None


def test_load_with_anchor_marks_untrusted_and_hides_did_documents(tmp_path, anchor_key, registry_data, corpus):
    rotated = registry_of(corpus["rotated-key-old-credential"])
    good = write(tmp_path / "good.json", sign_trust_registry(rotated, anchor_key))
    loaded = load_trust_registry(good, anchor=ANCHOR)
    assert loaded.untrusted is None and loaded.signed_by == ANCHOR and loaded.did_documents()
    tampered = json.loads(good.read_text())
    tampered["institutions"][1]["roles"] = ["host"]
    bad = load_trust_registry(write(tmp_path / "bad.json", tampered), anchor=ANCHOR)
    assert bad.untrusted and bad.did_documents() == {}
    assert load_trust_registry(good).untrusted is None  # no anchor asked for: used as the caller's own file


# --- verify with --trust-anchor -------------------------------------------------------------------
def registry_of(case) -> dict:
    """The corpus case's trust registry (signed by the example authority, ANCHOR)."""
    return json.loads(open(case.args[case.args.index("--trust") + 1]).read())


def verify(runner, case, trust, *extra):
    args = list(case.args)
    args[args.index("--trust") + 1] = str(trust)
    result = runner.invoke(cli, ["verify", str(case.file), "--json", *args, *extra], catch_exceptions=False)
    report = json.loads(result.output)
    return result.exit_code, {c["id"]: c for c in report["checks"]}


def test_verify_uses_a_registry_only_when_the_anchor_signed_it(runner, tmp_path, anchor_key, registry_data, corpus):
    case = corpus["valid"]
    good = write(tmp_path / "signed.json", sign_trust_registry(registry_data, anchor_key))
    code, checks = verify(runner, case, good, "--trust-anchor", ANCHOR)
    assert code == 0 and ANCHOR in checks["issuer-trusted"]["message"]

    tampered = json.loads(good.read_text())
    tampered["institutions"].append({"did": "did:key:z6MkfakeFAKEfake", "name": "Fake", "roles": ["host"]})
    for trust in (write(tmp_path / "tampered.json", tampered), KEYS / "trust-registry.json"):
        code, checks = verify(runner, case, trust, "--trust-anchor", ANCHOR)
        check = checks["issuer-trusted"]
        assert code == 1 and (check["outcome"], check["code"]) == ("failed", "TRUST_REGISTRY_UNTRUSTED")
        assert "ecvet trust sign" in check["message"] or "fresh copy" in check["message"]
    # the wrong anchor
    code, checks = verify(runner, case, good, "--trust-anchor", HOST)
    assert code == 1 and checks["issuer-trusted"]["code"] == "TRUST_REGISTRY_UNTRUSTED"


def test_untrusted_registry_cannot_supply_did_web_keys(runner, tmp_path, anchor_key, corpus):
    """A tampered registry's didDocument must not be used to resolve the issuer's key."""
    case = corpus["rotated-key-old-credential"]
    rotated = registry_of(case)
    signed = sign_trust_registry(rotated, anchor_key)
    code, _ = verify(runner, case, write(tmp_path / "ok.json", signed), "--trust-anchor", ANCHOR)
    assert code == 0
    signed["name"] = "changed"
    code, checks = verify(runner, case, write(tmp_path / "changed.json", signed), "--trust-anchor", ANCHOR)
    assert code == 1 and checks["proof"]["code"] == "VERIFICATION_METHOD_UNRESOLVED"
    assert checks["issuer-trusted"]["code"] == "TRUST_REGISTRY_UNTRUSTED"


def test_trust_anchor_without_trust_file_is_bad_usage(runner, corpus):
    result = runner.invoke(cli, ["verify", str(corpus["valid"].file), "--trust-anchor", ANCHOR])
    assert result.exit_code == 2


def test_cli_trust_sign_and_check(runner, tmp_path):
    out = tmp_path / "signed.json"
    result = runner.invoke(cli, ["trust", "sign", str(KEYS / "trust-registry.json"), "--key", str(KEYS / "authority.key"),
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert runner.invoke(cli, ["trust", "check", str(out), "--anchor", ANCHOR]).exit_code == 0
    assert runner.invoke(cli, ["trust", "check", str(out), "--anchor", HOST]).exit_code == 1
    assert runner.invoke(cli, ["trust", "check", str(KEYS / "trust-registry.json"), "--anchor", ANCHOR]).exit_code == 1
    (tmp_path / "junk.json").write_text("[1, 2")
    assert runner.invoke(cli, ["trust", "sign", str(tmp_path / "junk.json"), "--key", str(KEYS / "authority.key")]).exit_code == 2
    assert runner.invoke(cli, ["trust", "check", str(tmp_path / "junk.json"), "--anchor", ANCHOR]).exit_code == 2
    for cmd in (["trust"], ["trust", "sign"], ["trust", "check"]):
        help_text = runner.invoke(cli, [*cmd, "--help"]).output
        assert "Usage:" in help_text


# --- key history ----------------------------------------------------------------------------------
def _institution(keys):
    data = {"institutions": [{"did": "did:web:school.example", "name": "School", "roles": ["host"], "keys": keys}]}
    return parse_trust_registry(data).institution("did:web:school.example")


def at(text):
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def test_key_history_rules():
    inst = _institution([
        {"id": "did:web:school.example#old", "publicKeyMultibase": "zOld", "validFrom": "2025-01-01T00:00:00Z",
         "revoked": "2026-06-01T00:00:00Z"},
        {"id": "#new", "publicKeyMultibase": "zNew", "validFrom": "2026-06-01T00:00:00Z", "revoked": None},
    ])
    old, new = "did:web:school.example#old", "did:web:school.example#new"
    assert inst.key_problem(old, at("2026-05-31T23:59:59")) is None
    assert inst.key_problem(old, at("2026-06-01T00:00:00"))[0] == "KEY_REVOKED"
    assert inst.key_problem(old, None)[0] == "KEY_REVOKED"            # no created: cannot predate the revocation
    assert inst.key_problem(old, at("2024-12-31T00:00:00"))[0] == "KEY_NOT_YET_VALID"
    assert inst.key_problem(new, at("2026-07-01T00:00:00")) is None   # relative ids resolve against the DID
    assert inst.key_problem(new, at("2026-07-01T00:00:00"), multibase="zOther")[0] == "KEY_NOT_LISTED"
    assert inst.key_problem("did:web:school.example#other", at("2026-07-01T00:00:00"))[0] == "KEY_NOT_LISTED"
    assert _institution([]).key_problem("did:web:school.example#any", None) is None  # no key policy


@pytest.mark.parametrize("keys, where", [
    ("nope", "keys"), ([{"publicKeyMultibase": "z"}], "keys[0]"), ([{"id": "#k", "revoked": "yesterday"}], "keys[0].revoked"),
    ([{"id": "#k", "validFrom": 5}], "keys[0].validFrom"), ([{"id": ""}], "keys[0]"),
    ([{"id": "#k"}, {"id": "#l", "publicKeyMultibase": 5}], "keys[1].publicKeyMultibase"),
])
def test_malformed_key_history_is_an_input_error(keys, where):
    with pytest.raises(InputError) as err:
        _institution(keys)
    assert where in str(err.value) and err.value.code == "TRUST_REGISTRY_INVALID"


def test_unlisted_key_of_a_listed_issuer_fails(runner, tmp_path, corpus, anchor_key):
    """A key the registry does not list for the institution (same DID, another key) is refused."""
    case = corpus["rotated-key-new-key"]
    registry = registry_of(case)
    registry["institutions"][0]["keys"] = registry["institutions"][0]["keys"][:1]  # forget the new key
    code, checks = verify(runner, case, write(tmp_path / "r.json", sign_trust_registry(registry, anchor_key)))
    assert code == 1 and checks["issuer-trusted"]["code"] == "KEY_NOT_LISTED"


def test_did_document_revocation_is_enforced_by_the_proof_check(runner, tmp_path, corpus, anchor_key):
    case = corpus["rotated-key-after-revocation"]
    registry = registry_of(case)
    registry["institutions"][0]["keys"] = []   # no registry key policy: the DID document alone decides
    doc = registry["institutions"][0]["didDocument"]
    doc["verificationMethod"][0]["revoked"] = "2026-11-21T00:00:00Z"
    code, checks = verify(runner, case, write(tmp_path / "r.json", sign_trust_registry(registry, anchor_key)))
    assert code == 1 and checks["proof"]["code"] == "KEY_REVOKED"
    code, _ = verify(runner, corpus["rotated-key-old-credential"], tmp_path / "r.json")
    assert code == 0


def test_now_is_irrelevant_to_key_history(runner, corpus):
    """Rotation is judged at signing time: the old credential still verifies years later."""
    case = corpus["rotated-key-old-credential"]
    args = [a if a != NOW else "2031-01-01T00:00:00Z" for a in case.args]
    result = runner.invoke(cli, ["verify", str(case.file), *args])
    assert result.exit_code == 0, result.output



def test_key_history_boundaries_and_the_time_named_in_the_refusal():
    inst = _institution([
        {"id": "#old", "revoked": "2026-06-01T00:00:00Z"},
        {"id": "#new", "validFrom": "2026-06-01T00:00:00Z"},
        {"id": "#bare"},   # listed with no dates and no public key: any proof by it, any time
    ])
    old, new, bare = (f"did:web:school.example#{k}" for k in ("old", "new", "bare"))
    assert inst.key_problem(new, at("2026-06-01T00:00:00")) is None          # valid from its first instant
    code, message = inst.key_problem(new, at("2026-05-31T12:00:00"))
    assert code == "KEY_NOT_YET_VALID" and "2026-05-31T12:00:00+00:00" in message
    code, message = inst.key_problem(new, None)                               # no created: not shown valid
    assert code == "KEY_NOT_YET_VALID" and "an unknown time" in message
    code, message = inst.key_problem(old, at("2026-07-01T00:00:00"))
    assert code == "KEY_REVOKED" and "2026-07-01T00:00:00+00:00" in message
    assert inst.key_problem(bare, None, multibase="zAny") is None


def test_load_names_the_file_and_keeps_the_anchor_asked_for(tmp_path, anchor_key, registry_data):
    path = write(tmp_path / "signed.json", sign_trust_registry(registry_data, anchor_key))
    loaded = load_trust_registry(path, anchor=ANCHOR)
    assert (loaded.source, loaded.anchor, loaded.signed_by) == (str(path), ANCHOR, ANCHOR)
    unsigned = load_trust_registry(KEYS / "trust-registry.json", anchor=ANCHOR)
    assert (unsigned.anchor, unsigned.signed_by) == (ANCHOR, None) and "not signed" in unsigned.untrusted
    bad = write(tmp_path / "bad.json", {"institutions": {}})
    with pytest.raises(InputError) as info:
        load_trust_registry(bad)
    assert str(info.value).startswith(f"{bad}: (top level): ")


def test_a_did_web_anchor_is_resolved_with_the_callers_resolver(tmp_path, registry_data):
    """The anchor's own key is looked up through the resolver the caller trusts (its pinned did.json)."""
    from ecvet_credentials.crypto.dids import DidResolver, did_web_document
    from ecvet_credentials.crypto.keys import KeyPair
    from ecvet_credentials.proofs import sign

    agency, key = "did:web:agency.example", KeyPair.generate("Ed25519")
    signed = sign(registry_data, key, cryptosuite="eddsa-jcs-2022", verification_method=f"{agency}#k1")
    path = write(tmp_path / "signed.json", signed)
    resolver = DidResolver({agency: did_web_document(agency, [{"key": key, "id": "k1"}])})
    loaded = load_trust_registry(path, anchor=agency, resolver=resolver)
    assert loaded.untrusted is None and loaded.signed_by == agency
    assert load_trust_registry(path, anchor=agency).untrusted  # no resolver: the anchor's key is unknown


def test_signing_refuses_what_is_not_a_plain_registry_and_keeps_the_time_given(anchor_key, registry_data):
    for data, why in (([registry_data], "JSON object"), ({**registry_data, "@context": []}, "@context")):
        with pytest.raises(InputError) as info:
            sign_trust_registry(data, anchor_key)
        assert info.value.code == "TRUST_REGISTRY_INVALID" and why in str(info.value)
    signed = sign_trust_registry(registry_data, anchor_key, created="2026-09-01T08:30:00Z")
    assert signed["proof"]["created"] == "2026-09-01T08:30:00Z" and "proof" not in registry_data


def test_an_anchor_proof_must_be_made_for_assertion_and_on_plain_json(anchor_key, registry_data):
    from ecvet_credentials.proofs import sign

    for_login = sign(registry_data, anchor_key, cryptosuite="ecdsa-jcs-2019", purpose="authentication")
    problem = check_anchor_proof(for_login, ANCHOR)
    assert "PURPOSE_MISMATCH" in problem and "'assertionMethod' is required" in problem  # the engine's reason
    assert "changed after signing" not in problem  # signed for another purpose: its content did not change
    with_context = {**sign_trust_registry(registry_data, anchor_key), "@context": ["https://www.w3.org/ns/credentials/v2"]}
    problem = check_anchor_proof(with_context, ANCHOR)
    assert "@context" in problem and "does not verify" not in problem  # refused as such, before any proof check


def test_the_refusal_names_who_signed_instead(anchor_key, registry_data):
    host_key = load_key_file(KEYS / "host.key", passphrase=b"ecvet-example-do-not-use")
    by_host = sign_trust_registry(registry_data, host_key)
    assert f"signed by {HOST}, not by the trust anchor {ANCHOR}" in check_anchor_proof(by_host, ANCHOR)
    del by_host["proof"]["verificationMethod"]   # a proof that names no key: its signer is unknown
    assert f"signed by ?, not by the trust anchor {ANCHOR}" in check_anchor_proof(by_host, ANCHOR)


def test_a_verified_proof_in_another_cryptosuite_is_still_refused(monkeypatch, registry_data):
    """Defence in depth: should the engine ever verify a non-JCS proof of plain JSON, it would cover no
    data (RDFC without @context), so the anchor's registry is not taken as signed."""
    import ecvet_credentials.proofs as proofs
    from ecvet_credentials.proofs.engine import ProofResult, ProofSetResult

    rdfc = ProofResult(index=0, id=None, cryptosuite="ecdsa-rdfc-2019", verification_method=f"{ANCHOR}#k",
                       controller=ANCHOR, purpose="assertionMethod", created=None, verified=True, code="OK")
    monkeypatch.setattr(proofs, "verify_proofs", lambda *a, **k: ProofSetResult([rdfc]))
    problem = check_anchor_proof({**registry_data, "proof": {}}, ANCHOR)
    assert problem is not None and "cryptosuite ecdsa-rdfc-2019 is not accepted" in problem
