"""Presentations that must not verify: too many credentials, a presentation inside a presentation,
none at all, no holder. Each is refused with its named code, never raised."""
from __future__ import annotations

import json

import pytest

from ecvet_credentials.crypto.keys import KeyPair
from ecvet_credentials.proofs import sign
from ecvet_credentials.verify import verify_credential
from ecvet_credentials.verify.presentation import MAX_CREDENTIALS, build_presentation, sign_presentation

CHALLENGE = "c-123"


@pytest.fixture(scope="module")
def learner():
    return KeyPair.generate("Ed25519")


@pytest.fixture(scope="module")
def transcript(demo_dir):
    return json.loads((demo_dir / "transcript.json").read_text())


def _codes(report, check_id):
    return [c.code for c in report.checks if c.id == check_id]


def test_too_many_credentials_are_refused_before_any_is_verified(learner, transcript):
    # unsigned: the count is refused whatever the proofs say (and 51 copies of one credential cannot be signed)
    vp = build_presentation([transcript] * (MAX_CREDENTIALS + 1), holder=learner.did)
    report = verify_credential(vp, challenge=CHALLENGE)
    assert not report.verified
    assert _codes(report, "credentials") == ["TOO_MANY_CREDENTIALS"]
    assert "credentials" not in report.extra  # nothing nested was verified


def test_at_the_maximum_every_credential_is_verified_one_by_one(learner, transcript):
    vp = build_presentation([transcript] * MAX_CREDENTIALS, holder=learner.did)
    report = verify_credential(vp, challenge=CHALLENGE)
    assert len(report.extra["credentials"]) == MAX_CREDENTIALS
    assert "TOO_MANY_CREDENTIALS" not in _codes(report, "credentials")


def test_a_presentation_inside_a_presentation_is_refused(learner, transcript):
    inner = sign_presentation([transcript], learner, challenge=CHALLENGE)
    outer = sign_presentation([inner], learner, challenge=CHALLENGE)
    report = verify_credential(outer, challenge=CHALLENGE)
    assert not report.verified and _codes(report, "credentials") == ["CREDENTIAL_NOT_VERIFIED"]
    nested = report.extra["credentials"][0]
    assert nested["checks"][0]["code"] == "NESTED_PRESENTATION" and nested["verified"] is False


def test_no_credential_is_refused(learner):
    vp = build_presentation([{"type": ["VerifiableCredential"]}], holder=learner.did)
    vp["verifiableCredential"] = []
    report = verify_credential(vp, challenge=CHALLENGE)
    assert not report.verified and _codes(report, "credentials") == ["NO_CREDENTIALS"]


def test_no_holder_cannot_be_bound(learner, transcript):
    vp = build_presentation([transcript], holder=learner.did)
    del vp["holder"]
    signed = sign(vp, learner, purpose="authentication", challenge=CHALLENGE)
    report = verify_credential(signed, challenge=CHALLENGE)
    assert not report.verified and "NO_HOLDER" in _codes(report, "holder-binding")


def test_build_presentation_refuses_what_is_not_a_credential_list(learner):
    with pytest.raises(ValueError):
        build_presentation([], holder=learner.did)
    with pytest.raises(ValueError):
        build_presentation(["not a credential"], holder=learner.did)
    with pytest.raises(ValueError):
        sign_presentation([{}], learner, challenge="")
