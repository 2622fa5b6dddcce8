"""Differential test: the fast path must give pyld's quads byte for byte, or fall back.

A seeded generator mutates the representative credential (tests/data) with random values and
adversarial shapes. For every document, canonicalize(fast=True) and canonicalize(fast=False)
(the full pyld path) must agree: same canonical N-Quads, or the same error class and code.
Accepted documents are also compared with plain pyld normalize (URDNA2015).
"""
from __future__ import annotations

import copy
import json
import random
from pathlib import Path

import pytest
from pyld import jsonld

from ecvet_credentials.core.errors import EcvetError
from ecvet_credentials.jsonld import fastpath
from ecvet_credentials.jsonld.canon import canonicalize
from ecvet_credentials.jsonld.contexts import ContextRegistry
from ecvet_credentials.jsonld.strict import pyld_options

DATA = Path(__file__).parent / "data"
REGISTRY = ContextRegistry(DATA / "contexts")
BASE = json.loads((DATA / "credential-4k-signed.json").read_text())
ELM = "http://data.europa.eu/snb/model/elm/"

PIECES = ["a", "Zürich", "中文", "😀", '"', "\\", "\n", "\r", "\t", "\b", "\f", "\x00", "\x1f", "\x7f",
          "\u2028", "<b>", "^^", "@en", "_:b0", " ", "", "x" * 40, "\\u0041", "'"]
TERMS_STR = ["title", "legalName", "givenName", "grade", "weeks", "passed", "prefLabel", "name", "description"]
TERMS_NODE = ["specifiedBy", "provenBy", "assessedBy", "location", "temporal", "creditPoint", "eqfLevel"]
TERMS_TYPED = ["point", "dailyHours", "gradeRank", "dateIssued", "birthDate", "workload", "startDate"]
TYPES = ["LearningAchievement", "Person", "Organisation", "LearningAssessment", "CreditPoint", "FakeType",
         ["Person", "Organisation"], ["LearningAssessment", "LearningActivity"], [], ELM + "Person"]
IDS = ["urn:uuid:1", "https://ex.test/a#b", "did:web:x.test", "foo", "elm:thing", ELM + "thing", "_:b7",
       "did:web:a b", "http://data.europa.eu/snb/eqf/4", "urn:x:é"]


def _string(rng):
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 4)))


def _scalar(rng):
    kind = rng.randrange(6)
    if kind == 0:
        return _string(rng)
    if kind == 1:
        return rng.choice([0, 1, -7, 2**31, 2**53 + 1, 10**21, 10**22, -(10**25), 123456789012345678901])
    if kind == 2:
        return rng.choice([0.5, -0.0, 0.0, 3.0, 1e21, 1.5e-7, -2.25, 1e300, 7.1, 0.1 + 0.2])
    if kind == 3:
        return rng.choice([True, False])
    if kind == 4:
        return rng.choice(["2025-01-01T00:00:00Z", "2025-01-01", "PT8H", "1.5", "NaN", "INF", "abc"])
    return rng.choice(IDS)


def _nodes(doc):
    out, stack = [], [doc]
    while stack:
        v = stack.pop()
        if isinstance(v, dict):
            out.append(v)
            stack.extend(val for k, val in v.items() if k != "@context")
        elif isinstance(v, list):
            stack.extend(v)
    return out


def _node(rng, depth=0):
    node = {}
    if rng.random() < 0.7:
        node["id"] = rng.choice(IDS[:3]) + str(rng.randrange(5))
    if rng.random() < 0.6:
        node["type"] = rng.choice(TYPES)
    for _ in range(rng.randint(0, 3)):
        node[rng.choice(TERMS_STR + TERMS_TYPED)] = _scalar(rng)
    if depth < 2 and rng.random() < 0.4:
        node[rng.choice(TERMS_NODE)] = _node(rng, depth + 1)
    return node


# A third-party style inline context with term-level and default @language/@direction (issue 17: these
# run on the fast path; @direction is signed as an i18n-datatype literal, as in jsonld.js).
LANG_TERMS = ["noteAr", "noteEn", "noteLtr", "noteNone", "noteMap", "noteDirNull"]
LANG_CONTEXTS = [
    {"noteAr": {"@id": "https://ex.test/noteAr", "@language": "ar", "@direction": "rtl"},
     "noteEn": {"@id": "https://ex.test/noteEn", "@language": "en-GB"},
     "noteLtr": {"@id": "https://ex.test/noteLtr", "@direction": "ltr"},
     "noteNone": {"@id": "https://ex.test/noteNone", "@language": None},
     "noteDirNull": {"@id": "https://ex.test/noteDirNull", "@direction": None},
     "noteMap": {"@id": "https://ex.test/noteMap", "@container": "@language"}},
    {"@language": "fr", "noteAr": {"@id": "https://ex.test/noteAr", "@language": "ar", "@direction": "rtl"},
     "noteNone": {"@id": "https://ex.test/noteNone", "@language": None},
     "noteMap": {"@id": "https://ex.test/noteMap", "@container": "@language"}},
    {"@direction": "rtl", "@language": "he", "noteLtr": {"@id": "https://ex.test/noteLtr", "@direction": "ltr"},
     "noteDirNull": {"@id": "https://ex.test/noteDirNull", "@direction": None},
     "noteMap": {"@id": "https://ex.test/noteMap", "@container": "@language"}},
]


def _language_mutation(doc, rng):
    contexts = doc["@context"] if isinstance(doc["@context"], list) else [doc["@context"]]
    chosen = rng.choice(LANG_CONTEXTS)
    doc["@context"] = [c for c in contexts if isinstance(c, str)] + [chosen]
    defined = [t for t in LANG_TERMS if t in chosen]
    for node in rng.sample(_nodes(doc), k=min(2, len(_nodes(doc)))):
        term = rng.choice(defined) if rng.random() < 0.9 else rng.choice(LANG_TERMS)
        if term == "noteMap":
            node[term] = rng.choice([{"en": "x", "ar": ["y", "z"]}, {"EN": "x"}, "x"])
        else:
            node[term] = rng.choice([_string(rng) or "نص", _string(rng), ["a", "b"], 5,
                                     {"@value": "x", "@direction": "rtl"}])


def _mutate(doc, rng):
    target = rng.choice(_nodes(doc))
    m = rng.randrange(25)
    if m <= 3:
        target[rng.choice(TERMS_STR + TERMS_TYPED)] = _scalar(rng)
    elif m == 4:
        target["fakeGrade"] = _scalar(rng)
    elif m == 5:
        target["@fakeKey"] = "x"
    elif m == 6:
        keys = [k for k in target if k in ("grade", "title", "givenName", "point")]
        if keys:
            k = keys[0]
            target[{"grade": ELM + "grade", "title": "http://purl.org/dc/terms/title",
                    "givenName": "elm:givenName", "point": ELM + "point"}[k]] = target.pop(k)
    elif m == 7:
        lists = [k for k, v in target.items() if isinstance(v, list) and k != "@context"]
        if lists:
            target[lists[0]] = [target[lists[0]]]
    elif m == 8:
        target.pop("id", None)
    elif m == 9:
        target["id"] = rng.choice(IDS)
    elif m == 10:
        target["steps"] = [rng.choice([_scalar(rng), _node(rng, 1), []]) for _ in range(rng.randint(0, 3))]
    elif m == 11:
        target["@context"] = rng.choice([{"extra": "https://ex.test/extra"}, {"title": None}])
    elif m == 12:
        target["type"] = rng.choice(TYPES)
    elif m == 13:
        target[rng.choice(TERMS_STR)] = rng.choice(
            [{"@value": _string(rng), "@language": rng.choice(["en", "de-AT", "EN"])},
             {"@value": _string(rng), "@type": "http://www.w3.org/2001/XMLSchema#date"}, {"@value": 5}])
    elif m == 14:
        target[rng.choice(TERMS_STR + TERMS_NODE)] = None
    elif m == 15:
        target[rng.choice(TERMS_STR + TERMS_NODE)] = []
    elif m == 16:
        proof = copy.deepcopy(BASE["proof"])
        if rng.random() < 0.5:
            proof["id"] = "urn:uuid:proof-" + str(rng.randrange(3))
        if rng.random() < 0.3:
            proof["previousProof"] = "urn:uuid:proof-0"
        doc["proof"] = rng.choice([proof, [proof, dict(proof, created="2025-01-02T00:00:00Z")], "urn:x"])
    elif m == 17:
        target[rng.choice(["dcType", "method"])] = rng.choice(["Written", "Practical", "Unknown", "tx:Written",
                                                              "https://ecvet.test/ns#Written", 3])
    elif m == 18:
        target[rng.choice(TERMS_NODE)] = rng.choice([_scalar(rng), _node(rng), [_node(rng), _node(rng)]])
    elif m == 19:
        target[rng.choice(TERMS_NODE + TERMS_STR)] = [_scalar(rng) for _ in range(rng.randint(1, 3))]
    elif m == 21:
        target["label"] = rng.choice([
            {"en": _string(rng), "de-at": [_string(rng), "b"]}, {"EN": "x"}, {"@none": "x"}, {"en": []},
            {"en": None}, {}, "plain", {"en": 5}, {"fr": ["a", ["b"]]}])
    elif m == 20:
        target["hasPart"] = [_node(rng) for _ in range(rng.randint(1, 3))]
    elif m in (23, 24):
        _language_mutation(doc, rng)
    elif m == 22:
        doc["@context"] = rng.choice([
            BASE["@context"],
            ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
            BASE["@context"] + [{"extra": "https://ex.test/extra"}],
            ["https://www.w3.org/ns/credentials/v2"],
        ])


def _documents(seed, count):
    rng = random.Random(seed)
    for _ in range(count):
        doc = copy.deepcopy(BASE)
        if rng.random() < 0.3:
            doc.pop("proof")
        if rng.random() < 0.2:  # a small document, so many blank-node shapes stay cheap
            doc = {"@context": doc["@context"], "type": "VerifiableCredential",
                   "credentialSubject": _node(rng)}
        language_only = rng.random() < 0.15  # term-level @language/@direction alone, mostly valid
        if language_only:
            _language_mutation(doc, rng)
        for _ in range(rng.randint(0, 4) if not language_only else 0):
            _mutate(doc, rng)
        yield doc


def _outcome(doc, fast):
    try:
        return "ok", canonicalize(copy.deepcopy(doc), registry=REGISTRY, fast=fast)
    except EcvetError as exc:
        return "error", type(exc).__name__, exc.code


_EXOTIC = set(chr(c) for c in list(range(0x20)) + [0x7F]) - {"\n", "\r", "\t"}


def _has_exotic(value) -> bool:
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            if _EXOTIC.intersection(v):
                return True
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return False


def _plain_pyld(doc):
    opts = {**pyld_options(REGISTRY), "algorithm": "URDNA2015", "format": "application/n-quads",
            "rdfDirection": "i18n-datatype"}
    return jsonld.JsonLdProcessor().normalize(copy.deepcopy(doc), opts)


def _run(seed, count):
    stats = {"fast": 0, "fallback": 0, "ok": 0, "error": 0, "pyld_compared": 0, "lang_fast": 0}
    for i, doc in enumerate(_documents(seed, count)):
        try:
            fastpath.fast_quads(copy.deepcopy(doc), REGISTRY)
            stats["fast"] += 1
            stats["lang_fast"] += any(isinstance(c, dict) and c in LANG_CONTEXTS for c in doc["@context"])
        except fastpath.Fallback:
            stats["fallback"] += 1
        except EcvetError:
            stats["fallback"] += 1
        fast, slow = _outcome(doc, True), _outcome(doc, False)
        assert fast == slow, f"document {i} (seed {seed}) differs: {json.dumps(doc, ensure_ascii=False)[:3000]}"
        stats[fast[0]] += 1
        # pyld's own serializer escapes only \\ " \n \r \t (RDFC-1.0 also wants \b \f \uXXXX).
        if fast[0] == "ok" and not _has_exotic(doc):
            assert fast[1] == _plain_pyld(doc), f"document {i} (seed {seed}) differs from pyld normalize"
            stats["pyld_compared"] += 1
    return stats


def test_differential_quick():
    stats = _run(seed=20250701, count=150)
    # The corpus must exercise both paths and both outcomes, or the test proves nothing.
    assert stats["fast"] >= 30 and stats["fallback"] >= 30, stats
    assert stats["ok"] >= 30 and stats["error"] >= 30, stats
    assert stats["pyld_compared"] >= 20, stats
    assert stats["lang_fast"] >= 5, stats  # term-level @language/@direction stay on the fast path


@pytest.mark.slow
def test_differential_large():
    total = {"fast": 0, "ok": 0, "error": 0}
    for seed in range(6):
        stats = _run(seed=seed, count=400)
        for key in total:
            total[key] += stats[key]
    assert total["fast"] >= 500 and total["ok"] >= 500 and total["error"] >= 500, total


@pytest.mark.parametrize("context", LANG_CONTEXTS, ids=["term-level", "default-language", "default-direction"])
def test_language_contexts_stay_on_the_fast_path(context):
    """Issue 17: a context with term-level or default @language/@direction no longer sends the whole
    document to pyld; the fast path gives pyld's bytes (i18n-datatype literals for directions)."""
    doc = copy.deepcopy(BASE)
    doc.pop("proof")
    doc["@context"] = doc["@context"] + [context]
    for i, unit in enumerate(doc["credentialSubject"]["hasClaim"][0]["hasPart"]):
        for term in LANG_TERMS:
            if term in context:
                unit[term] = {"en": f"unit {i}"} if term == "noteMap" else f"unit {i} نص"
    fastpath.fast_quads(copy.deepcopy(doc), REGISTRY)  # no Fallback
    fast = canonicalize(copy.deepcopy(doc), registry=REGISTRY)
    assert fast == canonicalize(copy.deepcopy(doc), registry=REGISTRY, fast=False) == _plain_pyld(doc)
    if context.get("@direction") or any(isinstance(d, dict) and d.get("@direction") for d in context.values()):
        assert "^^<https://www.w3.org/ns/i18n#" in fast
