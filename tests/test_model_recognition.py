"""Recognition: references by id and digest, totals, round trip."""
from __future__ import annotations

import copy
import dataclasses

import pytest

from ecvet_credentials.core.errors import AuthoringError, SchemaError
from ecvet_credentials.model import (
    CredentialRef,
    build_recognition_credential,
    build_transcript_credential,
    digest_multibase,
    recognition_from_credential,
    reference_to,
)

from model_samples import pt, rec


def test_digest_is_stable_under_key_order_and_changes_with_content():
    doc = build_transcript_credential(pt, credential_id="urn:uuid:3f1e6a1c-8b2d-4c55-9f00-1a2b3c4d5e6f",
                                      valid_from="2026-11-20")
    reordered = dict(reversed(list(doc.items())))
    assert digest_multibase(doc) == digest_multibase(reordered)
    assert digest_multibase(doc).startswith("uEi")  # base64url multihash sha2-256
    changed = copy.deepcopy(doc)
    changed["validFrom"] = "2026-11-21T00:00:00Z"
    assert digest_multibase(changed) != digest_multibase(doc)
    assert reference_to(doc) == CredentialRef(doc["id"], digest_multibase(doc))


def test_references_need_digests():
    with pytest.raises(AuthoringError, match="transcript.digest"):
        dataclasses.replace(rec, transcript=CredentialRef(rec.transcript.id))


def test_unit_not_recognised_has_no_points():
    with pytest.raises(AuthoringError, match="points"):
        dataclasses.replace(rec.units[0], recognised=False)
    unit = dataclasses.replace(rec.units[0], recognised=False, points=0)
    assert dataclasses.replace(rec, units=(unit,) + rec.units[1:]).total_points == 6


def test_round_trip_and_total():
    doc = build_recognition_credential(rec, valid_from="2026-12-10")
    claim = doc["credentialSubject"]["hasClaim"]
    assert claim["creditReceived"]["point"] == "10"
    assert claim["basedOnTranscript"] == {"id": rec.transcript.id, "digestMultibase": "uEiAbc"}
    assert claim["hasPart"][0]["provenBy"].endswith("#u1")
    assert recognition_from_credential(doc) == rec
    claim["creditReceived"]["point"] = "12"
    with pytest.raises(SchemaError, match="not the sum"):
        recognition_from_credential(doc)
