"""Strict mode: every unsigned change that plain pyld lets through (peer-performance.md §5) is refused."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from ecvet_credentials.core.errors import StrictJsonLdError, UnknownContextError
from ecvet_credentials.jsonld.canon import canonicalize, expand
from ecvet_credentials.jsonld.contexts import ContextRegistry

DATA = Path(__file__).parent / "data"
REGISTRY = ContextRegistry(DATA / "contexts")
SIGNED = json.loads((DATA / "credential-4k-signed.json").read_text())
ELM = "http://data.europa.eu/snb/model/elm/"


def _doc():
    return copy.deepcopy(SIGNED)


def _assessment(doc):
    return doc["credentialSubject"]["hasClaim"][0]["hasPart"][0]["provenBy"]


def _set(path_fn, key, value):
    def change(doc):
        path_fn(doc)[key] = value
    return change


def _respell_grade(doc):
    a = _assessment(doc)
    a[ELM + "grade"] = a.pop("grade")


def _wrap_units(doc):
    claim = doc["credentialSubject"]["hasClaim"][0]
    claim["hasPart"] = [claim["hasPart"]]


def _add_type(doc):
    doc["type"] = doc["type"] + ["FakeType"]


# (row of peer-performance.md §5, change, expected code, words the message must contain)
ROWS = [
    ("credentialSubject.fakeGrade", _set(lambda d: d["credentialSubject"], "fakeGrade", "A"),
     "DATA_LOSS_DETECTION", ["'fakeGrade'", "$.credentialSubject.fakeGrade"]),
    ("fakeGrade inside an assessment", _set(_assessment, "fakeGrade", "A"),
     "DATA_LOSS_DETECTION", ["'fakeGrade'", "$.credentialSubject.hasClaim[0].hasPart[0].provenBy.fakeGrade"]),
    ("proof.fakeExpires", _set(lambda d: d["proof"], "fakeExpires", "2099-01-01T00:00:00Z"),
     "DATA_LOSS_DETECTION", ["'fakeExpires'", "$.proof.fakeExpires"]),
    ("key @fakeGrade", _set(lambda d: d["credentialSubject"], "@fakeGrade", "A"),
     "DATA_LOSS_DETECTION", ["'@fakeGrade'", "not a JSON-LD keyword"]),
    ("undefined type value", _add_type, "UNDEFINED_TYPE", ["'FakeType'", "$.type"]),
    ("grade re-spelled as its full IRI", _respell_grade, "NOT_ROUND_TRIP", [ELM + "grade", "provenBy"]),
    ("units wrapped as [[...]]", _wrap_units, "NOT_ROUND_TRIP", ["hasPart"]),
    ("relative id", _set(lambda d: d["credentialSubject"], "id", "foo"), "RELATIVE_IRI", ["'foo'", "$.credentialSubject.id"]),
    ("relative IRI value", _set(lambda d: d, "issuer", "host"), "RELATIVE_IRI", ["'host'", "$.issuer"]),
    ("IRI with a space", _set(lambda d: d, "issuer", "did:web:a b"), "INVALID_IRI", ["'did:web:a b'", "$.issuer"]),
    ("null value", _set(_assessment, "grade", None), "NOT_ROUND_TRIP", ["grade"]),
    ("embedded nested @context", _set(_assessment, "@context", {"fakeGrade": "https://evil.example/g"}),
     "NOT_ROUND_TRIP", ["@context", "provenBy"]),
]


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "pyld"])
def test_unchanged_credential_is_accepted_by_both_paths(fast):
    out = canonicalize(_doc(), registry=REGISTRY, fast=fast)
    assert "<" + ELM + "grade> \"B\"" in out
    assert out == canonicalize(_doc(), registry=REGISTRY, fast=not fast)


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "pyld"])
@pytest.mark.parametrize("name, change, code, words", ROWS, ids=[r[0] for r in ROWS])
def test_strict_mode_rejects(name, change, code, words, fast):
    doc = _doc()
    change(doc)
    with pytest.raises(StrictJsonLdError) as info:
        canonicalize(doc, registry=REGISTRY, fast=fast)
    err = info.value
    assert err.code == code, str(err)
    message = str(err)
    for word in words:
        assert word in message, message
    assert "\n" not in message and message.endswith(".")


def test_plain_mode_silently_drops_what_strict_mode_refuses():
    # Documents why strict is the default: without it the forged field does not change the signed bytes.
    doc = _doc()
    doc["credentialSubject"]["fakeGrade"] = "A"
    assert canonicalize(doc, registry=REGISTRY, strict=False) == canonicalize(_doc(), registry=REGISTRY)


def test_unknown_context_is_refused_without_fetching():
    doc = _doc()
    doc["@context"] = doc["@context"] + ["https://evil.example/context.jsonld"]
    with pytest.raises(UnknownContextError) as info:
        canonicalize(doc, registry=REGISTRY)
    assert "https://evil.example/context.jsonld" in str(info.value)


def test_expand_is_strict_and_shows_elm_iris():
    expanded = expand(_doc(), registry=REGISTRY)
    subject = expanded[0]["https://www.w3.org/2018/credentials#credentialSubject"][0]
    assert subject[ELM + "givenName"] == [{"@value": "Ana"}]
    doc = _doc()
    doc["credentialSubject"]["fakeGrade"] = "A"
    with pytest.raises(StrictJsonLdError):
        expand(doc, registry=REGISTRY)


def test_single_item_arrays_and_id_only_objects_are_accepted():
    # Compaction writes these differently, but they mean the same and read the same in JSON.
    doc = _doc()
    doc["type"] = ["VerifiableCredential", "ECVETTranscript"]
    doc["credentialSubject"]["hasClaim"][0]["eqfLevel"] = {"id": "http://data.europa.eu/snb/eqf/4"}
    doc["credentialSubject"]["hasClaim"] = doc["credentialSubject"]["hasClaim"][0]
    for fast in (True, False):
        assert canonicalize(doc, registry=REGISTRY, fast=fast) == canonicalize(_doc(), registry=REGISTRY)


def test_language_maps_take_the_fast_path_and_match_pyld():
    from ecvet_credentials.jsonld.fastpath import fast_quads

    doc = _doc()
    doc["credentialSubject"]["label"] = {"en": "Heating \"installer\"\n", "de-at": ["Heizung", "Installateur"]}
    quads = fast_quads(copy.deepcopy(doc), REGISTRY)  # raises Fallback if outside the fast subset
    assert ("<did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK>", "<https://ecvet.test/ns#label>",
            '"Heizung"@de-at', "") in quads
    assert canonicalize(doc, registry=REGISTRY) == canonicalize(doc, registry=REGISTRY, fast=False)


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "pyld"])
def test_upper_case_language_map_key_is_not_round_trip(fast):
    doc = _doc()
    doc["credentialSubject"]["label"] = {"EN": "x"}
    with pytest.raises(StrictJsonLdError) as info:
        canonicalize(doc, registry=REGISTRY, fast=fast)
    assert info.value.code == "NOT_ROUND_TRIP"
