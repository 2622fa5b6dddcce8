"""Presentations: signing them, what each holder-binding outcome says, the domains of every proof, and the
verifier's options reaching the credentials inside (written for `make mutation` in verify/presentation.py)."""
from __future__ import annotations

import pytest

from ecvet_credentials.crypto.keys import KeyPair
from ecvet_credentials.proofs import sign
from ecvet_credentials.verify import verify_credential
from ecvet_credentials.verify.report import VerificationReport
from verify_samples import CHALLENGE, CREATED, NOW, V2, generic, signed, trust_in


@pytest.fixture(scope="module")
def issuer():
    return KeyPair.generate("Ed25519")


@pytest.fixture(scope="module")
def holder():
    return KeyPair.generate("Ed25519")


@pytest.mark.parametrize("challenge", ["", None, 7])
def test_signing_a_presentation_needs_a_challenge_string(holder, issuer, challenge):
    from ecvet_credentials.verify.presentation import sign_presentation

    with pytest.raises(ValueError):
        sign_presentation([signed(issuer, holder.did)], holder, challenge=challenge)


def test_a_generic_presentation_signed_by_another_names_the_holder(issuer, holder):
    from ecvet_credentials.verify.presentation import build_presentation

    thief = KeyPair.generate("Ed25519")
    vp = build_presentation([signed(issuer, "did:example:someone")], holder=holder.did)
    vp = sign(vp, thief, purpose="authentication", created=CREATED)
    check = verify_credential(vp, now=NOW, generic_presentations=True).get("holder-binding")
    assert (check.code, check.details) == ("HOLDER_KEY_MISMATCH", {"holder": holder.did})


def test_a_presentation_of_an_ecvet_credential_is_bound_by_the_ecvet_rules(issuer, holder):
    from ecvet_credentials.verify.presentation import build_presentation, carries_ecvet

    ecvet = signed(issuer, holder.did, credentialSchema={"id": "https://w3id.org/ecvet-credentials/schemas/x.json",
                                                         "type": "JsonSchema"})
    vp = sign(build_presentation([ecvet], holder=holder.did), holder, purpose="authentication", created=CREATED)
    check = verify_credential(vp, now=NOW, generic_presentations=True).get("holder-binding")
    assert check.code == "CHALLENGE_REQUIRED"
    assert carries_ecvet(vp) and not carries_ecvet(build_presentation([signed(issuer)], holder=holder.did))
    # an ECVET presentation (its own context) of a generic credential
    own = dict(build_presentation([signed(issuer)], holder=holder.did),
               **{"@context": [V2, "https://w3id.org/ecvet-credentials/v1"]})
    assert carries_ecvet(own)


def test_a_signed_presentation_has_its_own_id_and_the_given_creation_time(issuer, holder):
    from ecvet_credentials.verify.presentation import sign_presentation

    vp = sign_presentation([signed(issuer, holder.did)], holder, challenge=CHALLENGE, created=CREATED)
    again = sign_presentation([signed(issuer, holder.did)], holder, challenge=CHALLENGE, created=CREATED)
    assert vp["id"].startswith("urn:uuid:") and vp["id"] != again["id"]
    assert (vp["proof"]["created"], vp["proof"]["challenge"], vp["proof"]["proofPurpose"]) == (CREATED, CHALLENGE, "authentication")
    bound = sign_presentation([signed(issuer, holder.did)], holder, challenge=CHALLENGE, domain="school.example")
    assert bound["proof"]["domain"] == "school.example" and "domain" not in vp["proof"]


def test_a_presentation_needs_credential_objects():
    from ecvet_credentials.verify.presentation import build_presentation

    for credentials in ([], [{"type": ["VerifiableCredential"]}, "urn:x:1"], ["urn:x:1"]):
        with pytest.raises(ValueError):
            build_presentation(credentials, holder="did:example:h")


def test_every_domain_a_proof_of_the_presentation_is_bound_to_is_seen(issuer, holder):
    from ecvet_credentials.verify.presentation import build_presentation

    vp = sign(build_presentation([signed(issuer, holder.did)], holder=holder.did), holder, purpose="authentication",
              challenge=CHALLENGE, domain="school.example", created=CREATED)
    as_set = dict(vp, proof=[vp["proof"], "not a proof"])  # a proof set, with an entry that is no proof at all
    check = verify_credential(as_set, now=NOW, challenge=CHALLENGE).get("holder-binding")
    assert (check.code, check.details) == ("DOMAIN_NOT_CHECKED", {"holder": holder.did}) and "'school.example'" in check.message
    listed = sign(build_presentation([signed(issuer, holder.did)], holder=holder.did), holder, purpose="authentication",
                  challenge=CHALLENGE, domain=["school.example", "other.example"], created=CREATED)
    assert verify_credential(listed, now=NOW, challenge=CHALLENGE).get("holder-binding").code == "DOMAIN_NOT_CHECKED"


def test_the_credentials_inside_are_verified_with_the_verifiers_options(holder):
    from datetime import timedelta

    from ecvet_credentials.verify.context import VerifyContext, VerifyOptions
    from ecvet_credentials.verify.presentation import _nested_credentials, build_presentation

    calls = []

    def nested(document, **options):
        calls.append((document, options))
        report = VerificationReport()
        report.passed("input", "ok")
        return report

    options = VerifyOptions(checks=frozenset({"input", "proof"}), now=NOW, clock_skew=60, offline=False, resolver="R",
                            trust="T", agreement={"la": 1}, mou={"mou": 1}, status_source="S", status_optional=True,
                            status_max_age=timedelta(days=2), challenge=CHALLENGE, domain="school.example",
                            registry="C", limits="L", inline_contexts=True, generic_presentations=True)
    credential = generic()
    report = VerificationReport()
    _nested_credentials(VerifyContext(build_presentation([credential], holder=holder.did), options, verify_nested=nested), report)
    assert calls == [(credential, {
        "checks": frozenset({"input", "proof"}), "now": NOW, "clock_skew": 60, "offline": False, "resolver": "R",
        "trust": "T", "agreement": {"la": 1}, "mou": {"mou": 1}, "status_source": "S", "status_optional": True,
        "registry": "C", "limits": "L", "status_max_age": timedelta(days=2), "inline_contexts": True})]
    assert report.get("credentials").code == "OK"


def test_every_holder_binding_outcome_says_what_it_found(issuer, holder):
    from ecvet_credentials.verify.presentation import build_presentation

    def check(vp, **options):
        options.setdefault("challenge", CHALLENGE)
        return verify_credential(vp, now=NOW, **options).get("holder-binding")

    def signed_vp(creds, key=holder, **extra):
        return sign(build_presentation(creds, holder=holder.did), key, purpose="authentication", challenge=CHALLENGE,
                    created=CREATED, **extra)

    mine = signed(issuer, holder.did)
    nameless = dict(build_presentation([mine], holder=holder.did))
    del nameless["holder"]
    assert check(nameless).message.startswith("The presentation names no holder")
    assert check(build_presentation([mine], holder=holder.did)).message.startswith("Without a valid presentation proof")
    thief = KeyPair.generate("Ed25519")
    stolen = check(signed_vp([mine], thief))
    assert stolen.message == f"The presentation says its holder is {holder.did}, but it was signed by {thief.did}."
    other = check(signed_vp([mine, signed(issuer, "did:example:someone", 2)]))
    assert other.code == "HOLDER_NOT_SUBJECT" and other.message.startswith(
        f"The holder {holder.did} is not the subject of credential(s) 2;")
    unchecked = check(signed_vp([mine], domain="school.example"))
    assert unchecked.code == "DOMAIN_NOT_CHECKED" and holder.did in unchecked.message
    ok = check(signed_vp([mine]))
    assert ok.message == f"Presented by {holder.did}, the subject of every credential, for your challenge."
    bound = check(signed_vp([mine], domain="school.example"), domain="school.example")
    assert bound.message == f"Presented by {holder.did}, the subject of every credential, for your challenge and domain 'school.example'."


def test_a_presentation_inside_a_presentation_fails_the_inner_input_check(issuer, holder):
    from ecvet_credentials.verify.presentation import build_presentation

    mine = signed(issuer, holder.did)
    vp = sign(build_presentation([mine, build_presentation([mine], holder=holder.did)], holder=holder.did), holder,
              purpose="authentication", challenge=CHALLENGE, created=CREATED)
    report = verify_credential(vp, now=NOW, challenge=CHALLENGE, trust=trust_in(issuer))
    inner = report.extra["credentials"][1]["checks"]
    assert [(c["id"], c["outcome"], c["code"]) for c in inner] == [("input", "failed", "NESTED_PRESENTATION")]
    assert inner[0]["message"] == "A presentation inside a presentation is not accepted."
    assert report.get("credentials").message.startswith("Credential(s) 2 of 2 did not verify (credential 2: input)")
