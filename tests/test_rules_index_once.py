"""The ECVET rules and the model read from a credential share one walk of the document (issue 17):
verification indexes the nodes once, not once for the rules and again for the model."""
from __future__ import annotations

import json

from ecvet_credentials.model import node_index as nodes
from ecvet_credentials.model import rules, schemas, wire


def _transcript(demo_dir):
    return json.loads((demo_dir / "transcript.json").read_text())


def test_check_rules_walks_the_document_once(demo_dir, monkeypatch):
    walks = []
    real_walk = nodes.node_index

    def counting(doc, *refs):  # the rules also gather their references on the same walk
        index = real_walk(doc, *refs)
        walks.append(index)
        return index

    monkeypatch.setattr(wire, "node_index", counting)  # what the model's Reader calls
    monkeypatch.setattr(rules, "node_index", counting)  # what the rules call
    # count only real walks: a reused index comes back as the very same dict
    issues, model = schemas.check_rules(_transcript(demo_dir))
    assert issues == [] and model is not None
    assert len(walks) == 2 and walks[0] is walks[1]


def test_the_index_is_reused_only_for_the_same_document(demo_dir):
    doc = _transcript(demo_dir)
    other = json.loads(json.dumps(doc))
    index = nodes.node_index(doc)
    with nodes.reusing_index(doc, index):
        assert nodes.node_index(doc) is index
        assert nodes.node_index(other) is not index and nodes.node_index(other) == index
    assert nodes.node_index(doc) is not index  # the block is over


def test_node_index_first_occurrence_wins_and_skips_proof():
    doc = {"id": "urn:x", "type": "T",
           "a": [{"id": "urn:n", "name": "first"}, "urn:n", {"b": {"id": "urn:n", "name": "second"}}],
           "c": "urn:only-a-reference",
           "proof": {"id": "urn:p", "type": "DataIntegrityProof"}}
    index = nodes.node_index(doc)
    assert set(index) == {"urn:x", "urn:n"}
    assert index["urn:n"]["name"] == "first"


def test_a_reference_to_no_node_is_found_by_the_shared_walk(demo_dir):
    doc = _transcript(demo_dir)
    units = doc["credentialSubject"]["hasClaim"]["hasPart"]
    units[-1]["creditReceived"] = "urn:uuid:00000000-0000-4000-8000-000000000000"  # described nowhere
    issues, model = schemas.check_rules(doc)
    assert model is None
    assert [(i.path, i.code) for i in issues] == [
        (f"$.credentialSubject.hasClaim.hasPart[{len(units) - 1}].creditReceived", "RULE_VIOLATION")]
    assert "does not describe" in issues[0].message


def test_references_inside_the_proof_are_not_the_rules_business(demo_dir):
    doc = _transcript(demo_dir)
    proof = doc["proof"] if isinstance(doc["proof"], dict) else doc["proof"][0]
    proof["signer"] = "urn:uuid:00000000-0000-4000-8000-000000000000"
    assert schemas.check_rules(doc)[0] == []


def _first_spec(doc):
    return doc["credentialSubject"]["hasClaim"]["hasPart"][0]["specifiedBy"]


def test_a_learning_outcome_given_twice_is_a_rule_violation(demo_dir):
    doc = _transcript(demo_dir)
    spec = _first_spec(doc)
    outcomes = spec["learningOutcome"]
    outcomes[2]["title"] = dict(reversed(list(outcomes[0]["title"].items())))  # the same text, whatever the order
    issues, model = schemas.check_rules(doc)
    assert model is None
    assert [(i.path, i.message) for i in issues] == [
        (f"$..[{spec['id']}].learningOutcome[2]", "appears twice (each entry must be unique)")]


def test_titles_that_are_not_plain_language_maps_still_compare_as_json(demo_dir):
    doc = _transcript(demo_dir)
    spec = _first_spec(doc)
    outcomes = spec["learningOutcome"]
    outcomes[0]["title"] = outcomes[1]["title"] = {"en": ["not", "a string"]}  # past the schema, as a library caller may
    issues, _ = schemas.check_rules(doc)
    assert [i.path for i in issues] == [f"$..[{spec['id']}].learningOutcome[1]"]
    outcomes[1]["title"] = {"en": ["not", "the same"]}
    assert not [i for i in schemas.check_rules(doc)[0] if i.path.startswith("$..[")]  # (the model refuses such titles)
