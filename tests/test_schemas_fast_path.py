"""The Rust schema validator (fast path) and the Python one (messages) must agree on every decision."""
from __future__ import annotations

import copy
import random
import sys
from pathlib import Path


from ecvet_credentials.model import schemas

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from sample_credential import sample_transcript  # noqa: E402


def _mutations(doc, rng, n):
    """Random single edits: drop a key, add an unknown key, change a value's type, empty a list."""
    paths = []

    def walk(node, path):
        if isinstance(node, dict):
            for k, v in node.items():
                paths.append(path + [k])
                walk(v, path + [k])
        elif isinstance(node, list):
            for i, v in enumerate(node):
                paths.append(path + [i])
                walk(v, path + [i])

    walk(doc, [])
    for _ in range(n):
        mutated = copy.deepcopy(doc)
        path = rng.choice(paths)
        parent = mutated
        for part in path[:-1]:
            parent = parent[part]
        key = path[-1]
        kind = rng.choice(["drop", "extra", "type", "empty"])
        if kind == "drop" and isinstance(parent, dict):
            del parent[key]
        elif kind == "extra" and isinstance(parent, dict):
            parent["unexpectedKey"] = "x"
        elif kind == "type":
            parent[key] = rng.choice([42, None, True, "text", [], {}])
        elif kind == "empty":
            parent[key] = [] if isinstance(parent[key], list) else ""
        yield mutated


def test_fast_and_python_validators_agree_on_mutations():
    fast = schemas._fast_validator("personal-transcript-v1")
    assert fast is not None, "jsonschema-rs is a hard dependency: the fast validator must be there"
    python = schemas.validator("EcvetPersonalTranscript")
    doc = sample_transcript()
    assert fast.is_valid(doc) and python.is_valid(doc)
    rng = random.Random(2026)
    disagreements = []
    for mutated in _mutations(doc, rng, 400):
        if fast.is_valid(mutated) != python.is_valid(mutated):
            disagreements.append(mutated)
    assert not disagreements


def test_invalid_document_still_gets_a_precise_message():
    doc = sample_transcript()
    doc["credentialSubject"]["hasClaim"]["hasPart"][1]["provenBy"]["fakeGrade"] = "A"
    issues = schemas.validate(doc)
    assert issues and issues[0].path.startswith("$.credentialSubject.hasClaim.hasPart[1].provenBy")
    assert "fakeGrade" in issues[0].message
