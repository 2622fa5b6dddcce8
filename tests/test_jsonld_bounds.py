"""Bounds while canonicalizing: poison graphs, blank-node count, quads, time."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from ecvet_credentials.core.errors import LimitExceededError
from ecvet_credentials.jsonld.canon import canonicalize, canonicalize_nquads
from ecvet_credentials.jsonld.contexts import ContextRegistry
from ecvet_credentials.jsonld.limits import Limits

DATA = Path(__file__).parent / "data"
REGISTRY = ContextRegistry(DATA / "contexts")
BASE = json.loads((DATA / "credential-4k.json").read_text())


def _clique_nquads(n: int) -> str:
    return "".join(
        f"_:n{i} <http://ex.test/p> _:n{j} .\n" for i in range(n) for j in range(n) if i != j
    )


def _clique_credential(n: int) -> dict:
    # n groups of n indistinguishable blank nodes (no ids): the shape that makes RDFC-1.0 factorial.
    doc = json.loads(json.dumps(BASE))
    doc["credentialSubject"]["hasClaim"][0]["hasPart"] = [
        {"type": "LearningAchievement", "hasPart": [{"type": "LearningAchievement"} for _ in range(n)]}
        for _ in range(n)
    ]
    return doc


def test_small_poison_graph_is_computed_within_limits():
    out = canonicalize_nquads(_clique_nquads(4))
    assert out.count("\n") == 12 and "_:c14n3" in out


@pytest.mark.parametrize("n", [7, 10])
def test_poison_clique_is_refused_quickly(n):
    with pytest.raises(LimitExceededError) as info:
        canonicalize_nquads(_clique_nquads(n))
    assert info.value.details["limit"] == "max_work"


def test_poison_json_ld_credential_is_refused_quickly():
    doc = _clique_credential(8)
    for limits in (Limits(), Limits(max_work=2_000)):
        with pytest.raises(LimitExceededError) as info:
            canonicalize(doc, registry=REGISTRY, limits=limits)
        assert info.value.details["limit"] in ("max_work", "max_blank_nodes")


def test_blank_node_count_is_limited():
    doc = json.loads(json.dumps(BASE))
    doc["credentialSubject"]["hasClaim"][0]["hasPart"] = [{"title": f"u{i}"} for i in range(20)]
    assert canonicalize(doc, registry=REGISTRY, limits=Limits(max_blank_nodes=30))
    with pytest.raises(LimitExceededError) as info:
        canonicalize(doc, registry=REGISTRY, limits=Limits(max_blank_nodes=10))
    assert info.value.details["limit"] == "max_blank_nodes"
    assert "blank nodes" in str(info.value)


def test_quad_count_is_limited():
    with pytest.raises(LimitExceededError) as info:
        canonicalize(BASE, registry=REGISTRY, limits=Limits(max_quads=50))
    assert info.value.details["limit"] == "max_quads"
    nq = "".join(f"<urn:s> <urn:p> \"{i}\" .\n" for i in range(60))
    with pytest.raises(LimitExceededError):
        canonicalize_nquads(nq, limits=Limits(max_quads=50))


def test_deadline_is_enforced_even_below_the_work_limit():
    with pytest.raises(LimitExceededError) as info:
        canonicalize_nquads(_clique_nquads(7), limits=Limits(max_work=10**9, max_seconds=0.05))
    assert info.value.details["limit"] == "max_seconds"


def test_document_depth_is_checked_before_json_ld_work():
    doc = {"@context": BASE["@context"], "credentialSubject": {}}
    inner = doc["credentialSubject"]
    for _ in range(100):
        inner["hasClaim"] = {}
        inner = inner["hasClaim"]
    with pytest.raises(LimitExceededError) as info:
        canonicalize(doc, registry=REGISTRY)
    assert info.value.details["limit"] == "max_depth"


def test_nquads_input_errors_are_clear():
    from ecvet_credentials.core.errors import CanonicalizationError

    with pytest.raises(CanonicalizationError) as info:
        canonicalize_nquads("<urn:s> <urn:p> .\n")
    assert "line 1" in str(info.value)
    assert canonicalize_nquads("# comment\n\n<urn:s> <urn:p> \"x\"^^<http://www.w3.org/2001/XMLSchema#string> .\n") == (
        '<urn:s> <urn:p> "x" .\n'
    )


def test_programmer_errors():
    with pytest.raises(TypeError):
        canonicalize([BASE], registry=REGISTRY)
    with pytest.raises(TypeError):
        canonicalize_nquads(b"<urn:s> <urn:p> <urn:o> .")
    with pytest.raises(ValueError):
        canonicalize_nquads("<urn:s> <urn:p> _:b .\n", hash_algorithm="md5")
