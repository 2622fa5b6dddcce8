"""The project JSON-LD context: pinned, protected, no clash with VC 2.0, and credentials built with it
expand strictly to ELM IRIs with no blank nodes."""
from __future__ import annotations

import copy
import json

import pytest

from ecvet_credentials.core.errors import JsonLdError, StrictJsonLdError
from ecvet_credentials.jsonld.canon import canonicalize, expand
from ecvet_credentials.jsonld.contexts import default_registry
from ecvet_credentials.model import (
    build_agreement_credential,
    build_recognition_credential,
    build_transcript_credential,
)
from ecvet_credentials.model.concepts import CONTEXT_URL, ECVET_FRAMEWORK

from model_samples import la, pt, rec

ELM = "http://data.europa.eu/snb/model/elm/"
CID = "urn:uuid:3f1e6a1c-8b2d-4c55-9f00-1a2b3c4d5e6f"


def _terms(ctx, out: set) -> set:
    """Every term a context defines, including those of type- and property-scoped contexts."""
    if isinstance(ctx, list):
        for item in ctx:
            _terms(item, out)
    elif isinstance(ctx, dict):
        for key, value in ctx.items():
            if key.startswith("@"):
                continue
            out.add(key)
            if isinstance(value, dict) and "@context" in value:
                _terms(value["@context"], out)
    return out


@pytest.fixture(scope="module")
def ours() -> dict:
    return default_registry().get(CONTEXT_URL).document["@context"]


@pytest.fixture(scope="module")
def credentials():
    return {
        "la": build_agreement_credential(la, credential_id=CID, valid_from="2026-09-10T09:00:00Z"),
        "pt": build_transcript_credential(pt, credential_id=CID, valid_from="2026-11-20T12:00:00Z"),
        "rec": build_recognition_credential(rec, credential_id=CID, valid_from="2026-12-10T12:00:00Z"),
    }


def test_context_is_pinned_protected_and_has_no_prefixes_or_vocab(ours):
    assert ours["@protected"] is True and ours["@version"] == 1.1
    assert "@vocab" not in ours and "@base" not in ours
    # No prefix terms: a prefix would let documents mint undefined properties as "elm:anything".
    for term, value in ours.items():
        if not term.startswith("@"):
            iri = value if isinstance(value, str) else value["@id"]
            assert iri.startswith(("http://", "https://")), term


@pytest.mark.parametrize("other", [
    "https://www.w3.org/ns/credentials/v2",
    "https://w3id.org/security/data-integrity/v2",
    "https://w3id.org/security/multikey/v1",
    "https://www.w3.org/ns/credentials/status/v1",
])
def test_no_term_clash_with_w3c_contexts(ours, other):
    theirs = _terms(default_registry().get(other).document["@context"], set())
    assert not (_terms(ours, set()) & theirs)


def test_terms_map_to_elm_where_elm_has_them(ours):
    assert ours["LearningAchievement"] == ELM + "LearningAchievement"
    assert ours["hasPart"] == {"@id": ELM + "hasPart", "@type": "@id"}
    assert ours["eqfLevel"]["@id"] == ELM + "EQFLevel"
    assert ours["title"] == {"@id": "http://purl.org/dc/terms/title", "@container": "@language"}
    assert ours["dailyLearningHours"]["@id"] == "https://w3id.org/ecvet-credentials/vocab#dailyLearningHours"


@pytest.mark.parametrize("kind", ["la", "pt", "rec"])
def test_credentials_expand_strictly_with_no_blank_nodes(credentials, kind):
    doc = credentials[kind]
    nquads = canonicalize(doc)
    assert "_:" not in nquads
    assert f"<{ELM}LearningAchievementSpecification>" in nquads
    assert f"<{ECVET_FRAMEWORK}>" in nquads


def test_transcript_expands_to_elm_classes_and_properties(credentials):
    text = json.dumps(expand(credentials["pt"]))
    for iri in ("LearningAchievement", "LearningActivity", "LearningAssessment", "LearningOutcome",
                "hasClaim", "provenBy", "creditReceived", "gradingScheme", "workload"):
        assert f'"{ELM}{iri}"' in text, iri
    assert ECVET_FRAMEWORK in text
    assert "http://data.europa.eu/snb/eqf/4" in text


def test_proof_context_after_ours_is_accepted(credentials):
    doc = copy.deepcopy(credentials["pt"])
    doc["@context"].append("https://w3id.org/security/data-integrity/v2")
    assert "_:" not in canonicalize(doc)


def test_undefined_property_is_an_error_not_dropped(credentials):
    doc = copy.deepcopy(credentials["pt"])
    doc["credentialSubject"]["hasClaim"]["hasPart"][0]["sneaky"] = "value"
    with pytest.raises(StrictJsonLdError):
        canonicalize(doc)


def test_redefining_a_protected_term_is_an_error(credentials):
    doc = copy.deepcopy(credentials["pt"])
    doc["@context"].append({"title": "https://evil.example/title"})
    with pytest.raises(JsonLdError, match="protected term"):
        canonicalize(doc)
