"""check_status's rules one by one: the worst outcome wins, clock skew at its exact bounds, the caller's
maximum age (also for a publish directory, counted from validFrom), a proof that could not be checked,
one proof check per fetched list and verifier, and the report's JSON form."""
from __future__ import annotations

from datetime import timedelta

import pytest

from ecvet_credentials.status import StatusListSource, check_status, overall, write_status_list
from ecvet_credentials.net.fetcher import describe_age
from ecvet_credentials.status.check import DEFAULT_SKEW, ProofCheck, StatusCheck

from test_status_check import ISSUER, T0, URL_R, URL_S, credential, fake_verifier, make_list, published, run


def _checks(*outcomes):
    return [StatusCheck("revocation", 1, URL_R, o, "X", "") for o in outcomes]


@pytest.mark.parametrize("outcomes, worst", [
    (("ok", "ok"), "ok"),
    (("ok", "stale"), "stale"),
    (("stale", "unavailable", "ok"), "unavailable"),
    (("unavailable", "invalid"), "invalid"),
    (("invalid", "suspended", "stale"), "suspended"),
    (("suspended", "revoked", "invalid"), "revoked"),
])
def test_overall_is_the_worst_outcome(outcomes, worst):
    assert overall(_checks(*outcomes)) == worst
    assert overall(_checks(*reversed(outcomes))) == worst


def _only(cred, n):
    cred["credentialStatus"] = cred["credentialStatus"][:n]
    return cred


def test_valid_from_tolerates_exactly_the_skew(tmp_path):
    at_bound = published(tmp_path / "a", valid_from=T0 + DEFAULT_SKEW)
    assert run(_only(credential(), 1), StatusListSource(directory=at_bound))[0].outcome == "ok"
    past_bound = published(tmp_path / "b", valid_from=T0 + DEFAULT_SKEW + timedelta(seconds=1))
    assert run(_only(credential(), 1), StatusListSource(directory=past_bound))[0].code == "STATUS_LIST_NOT_YET_VALID"
    # a wider skew accepts it
    wide = run(_only(credential(), 1), StatusListSource(directory=past_bound), skew=timedelta(minutes=6))
    assert wide[0].outcome == "ok"


def test_valid_until_tolerates_exactly_the_skew(tmp_path):
    at_bound = published(tmp_path / "a", valid_until=T0 - DEFAULT_SKEW)
    assert run(_only(credential(), 1), StatusListSource(directory=at_bound))[0].outcome == "ok"
    past_bound = published(tmp_path / "b", valid_until=T0 - DEFAULT_SKEW - timedelta(seconds=1))
    check = run(_only(credential(), 1), StatusListSource(directory=past_bound))[0]
    assert (check.outcome, check.code) == ("unavailable", "STATUS_LIST_EXPIRED")


def test_unreadable_dates_are_never_taken_as_valid(tmp_path):
    d = tmp_path / "pub"
    for field in ("validFrom", "validUntil"):
        doc = make_list(URL_R, "revocation")
        doc[field] = "not a date"
        write_status_list(d, "revocation-1", doc)
        check = run(_only(credential(), 1), StatusListSource(directory=d))[0]
        assert check.outcome != "ok", field


def test_max_age_of_a_publish_directory_counts_from_valid_from(tmp_path):
    d = published(tmp_path, valid_from=T0 - timedelta(hours=2))
    source = StatusListSource(directory=d)
    assert run(_only(credential(), 1), source, max_age=timedelta(hours=3))[0].outcome == "ok"
    assert run(_only(credential(), 1), source, max_age=timedelta(hours=2))[0].outcome == "ok"  # the bound itself
    too_old = run(_only(credential(), 1), source, max_age=timedelta(hours=1))[0]
    assert (too_old.outcome, too_old.code) == ("unavailable", "STATUS_LIST_TOO_OLD")
    assert f"{describe_age(timedelta(hours=2))} old (maximum accepted {describe_age(timedelta(hours=1))})" \
        in too_old.message
    # a revocation stays a revocation however old the list
    assert run(_only(credential(11), 1), StatusListSource(directory=published(tmp_path / "r", rev_bits=[11],
               valid_from=T0 - timedelta(days=3))), max_age=timedelta(hours=1))[0].outcome == "revoked"


def test_max_age_with_no_way_to_tell_the_age_is_not_a_pass(tmp_path):
    d = tmp_path / "pub"
    doc = make_list(URL_R, "revocation")
    del doc["validFrom"]
    write_status_list(d, "revocation-1", doc)
    source = StatusListSource(directory=d)
    assert run(_only(credential(), 1), source)[0].outcome == "ok"  # no max-age policy: fine
    check = run(_only(credential(), 1), source, max_age=timedelta(days=365))[0]
    assert (check.outcome, check.code) == ("unavailable", "STATUS_LIST_TOO_OLD")
    assert "age is unknown" in check.message


def test_a_proof_that_could_not_be_checked_is_unavailable_not_invalid(tmp_path):
    def cannot(doc):
        return ProofCheck(False, (), "STATUS_PROOF_NOT_CHECKED", "no proofs module")

    check = run(_only(credential(), 1), StatusListSource(directory=published(tmp_path)), verifier=cannot)[0]
    assert (check.outcome, check.code) == ("unavailable", "STATUS_PROOF_NOT_CHECKED")
    assert "no proofs module" in check.message


def test_the_issuer_can_be_given_and_can_be_an_object(tmp_path):
    source = StatusListSource(directory=published(tmp_path))
    cred = _only(credential(), 1)
    cred["issuer"] = {"id": ISSUER, "name": "School"}
    assert run(cred, source)[0].outcome == "ok"
    other = run(cred, source, issuer="did:key:z6MkSomeoneElse")[0]
    assert other.code == "STATUS_LIST_ISSUER_MISMATCH"
    cred["issuer"] = 42  # no issuer at all: nothing to match the list's issuer against
    assert run(cred, source)[0].code == "STATUS_LIST_ISSUER_MISMATCH"


def test_one_proof_check_per_list_and_verifier(tmp_path):
    calls = []

    def counting(doc):
        calls.append(doc["id"])
        return fake_verifier(doc)

    source = StatusListSource(directory=published(tmp_path))
    for _ in range(3):
        assert [c.outcome for c in run(credential(), source, verifier=counting)] == ["ok", "ok"]
    assert sorted(calls) == [URL_R, URL_S]
    calls2 = []

    def another(doc):
        calls2.append(doc["id"])
        return ProofCheck(False, (), "PROOF_INVALID", "no")

    # another verifier is asked again, and its verdict (not the cached one) counts
    assert {c.code for c in run(credential(), source, verifier=another)} == {"STATUS_LIST_PROOF_INVALID"}
    assert sorted(calls2) == [URL_R, URL_S]


def test_status_check_json_leaves_out_what_is_unknown(tmp_path):
    check = run(_only(credential(), 1), StatusListSource(directory=published(tmp_path)))[0]
    data = check.to_json()
    assert data == {"purpose": "revocation", "index": 10, "list_url": URL_R, "outcome": "ok", "code": "OK",
                    "message": "not revoked", "origin": "directory",
                    "reasons": ["list proof verifies", "list issued and signed by the credential's issuer"]}
    bare = StatusCheck(None, None, None, "invalid", "STATUS_ENTRY_INVALID", "bad").to_json()
    assert bare == {"outcome": "invalid", "code": "STATUS_ENTRY_INVALID", "message": "bad"}


def test_ok_messages_name_the_purpose(tmp_path):
    checks = run(credential(), StatusListSource(directory=published(tmp_path)))
    assert [c.message for c in checks] == ["not revoked", "not suspended"]


def test_a_list_file_that_is_not_a_file_is_invalid(tmp_path):
    d = published(tmp_path)
    (d / "revocation-1.json").unlink()
    (d / "revocation-1.json").mkdir()  # listed in the index, but not a readable file
    check = run(_only(credential(), 1), StatusListSource(directory=d))[0]
    assert (check.outcome, check.code) == ("invalid", "NOT_A_REGULAR_FILE")


def test_real_proofs_verifier_names_the_controller():
    from ecvet_credentials import proofs
    from ecvet_credentials.crypto.keys import KeyPair
    from ecvet_credentials.status.check import proofs_verifier

    key = KeyPair.generate("Ed25519")
    unsigned = {k: v for k, v in make_list(URL_R, "revocation", issuer=key.did).items() if k != "proof"}
    signed = proofs.sign(unsigned, key)
    got = proofs_verifier()(signed)
    assert got.verified and got.controllers == (key.did,) and got.code == "OK"
    signed["issuer"] = "did:key:z6MkChanged"
    bad = proofs_verifier()(signed)
    assert not bad.verified and bad.controllers == () and bad.code != "OK"


def test_check_status_uses_the_real_verifier_by_default(tmp_path):
    """Without a verifier, the fake proof of the helpers is refused: nothing passes unchecked."""
    checks = check_status(credential(), StatusListSource(directory=published(tmp_path)), now=T0)
    assert {c.code for c in checks} == {"STATUS_LIST_PROOF_INVALID"}


def test_real_proofs_verifier_asks_its_resolver_and_requires_an_assertion():
    from ecvet_credentials import proofs
    from ecvet_credentials.crypto.dids import DidResolver, did_web_document
    from ecvet_credentials.crypto.keys import KeyPair
    from ecvet_credentials.status.check import proofs_verifier

    did = "did:web:status-issuer.example"
    key = KeyPair.generate("Ed25519")
    doc = did_web_document(did, [{"key": key, "id": "k1"}])
    unsigned = {k: v for k, v in make_list(URL_R, "revocation", issuer=did).items() if k != "proof"}
    signed = proofs.sign(unsigned, key, verification_method=f"{did}#k1")
    got = proofs_verifier(DidResolver({did: doc}))(signed)
    assert (got.verified, got.controllers, got.code) == (True, (did,), "OK")
    unresolved = proofs_verifier()(signed)  # the default resolver knows no did:web document (and fetches none)
    assert (unresolved.verified, unresolved.code) == (False, "VERIFICATION_METHOD_UNRESOLVED")
    assert unresolved.message == proofs.verify_proofs(signed).message != ""
    # a list signed for authentication is not the issuer's assertion, even with a key it controls
    other = KeyPair.generate("Ed25519")
    login = proofs.sign({**unsigned, "issuer": other.did}, other, purpose="authentication")
    refused = proofs_verifier()(login)
    assert (refused.verified, refused.code) == (False, "PURPOSE_MISMATCH")
