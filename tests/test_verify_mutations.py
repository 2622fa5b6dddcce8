"""Property: 10,000 random single mutations of a signed transcript (seeded, so a failure reproduces)
are all rejected by the full verifier, and none raises. Every mutation changes the parsed JSON (see
tests/mutations.py for what is left out as meaning-preserving). What the signature cannot see
(JSON-LD-equivalent forms such as "x" vs ["x"], or a key with a null value) the strict schema refuses,
so each mutation must fail the proof or the schema check (or the input check, which stops the run).

Runs in a process pool (about 12 ms a mutation: explaining a schema-invalid document with Python
jsonschema and canonicalizing an unusual one with pyld dominate).
"""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import pytest

from mutations import run_mutations
from verify_corpus import NOW, REPO, build_corpus

TOTAL = int(os.environ.get("ECVET_MUTATIONS", "10000"))
SEED = int(os.environ.get("ECVET_MUTATION_SEED", "20261125"))


@pytest.mark.slow
def test_every_single_mutation_of_a_signed_transcript_is_rejected(tmp_path):
    cases = build_corpus(tmp_path / "corpus")
    valid = cases["valid"]
    args = valid.args
    workers = max(1, min(2, os.cpu_count() or 1))
    share = -(-TOTAL // workers)
    jobs = [(str(valid.file), args[args.index("--agreement") + 1], str(REPO / "keys-example" / "trust-registry.json"),
             args[args.index("--status-dir") + 1], NOW, SEED + n, min(share, TOTAL - n * share)) for n in range(workers)]
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        results = list(pool.map(run_mutations, jobs))
    count = sum(r["count"] for r in results)
    raised = [x for r in results for x in r["raised"]]
    verified = [x for r in results for x in r["verified"]]
    unguarded = [x for r in results for x in r["unguarded"]]
    assert count == TOTAL
    assert not raised, raised[:5]
    assert not verified, verified[:20]
    assert not unguarded, unguarded[:20]
    # most mutations change the signed RDF and are caught by the signature itself
    assert sum(r["proof_failed"] for r in results) > 0.6 * TOTAL


def test_an_rdfc_proof_with_a_foreign_context_is_rejected(tmp_path):
    """Found by the mutation test: an RDFC proof's @context was ignored, so anything could be put there."""
    import copy
    import json

    from ecvet_credentials.proofs import verify_proofs

    doc = json.loads(build_corpus(tmp_path / "corpus")["valid"].file.read_text())
    assert verify_proofs(doc).verified
    for foreign in (7, "https://example.org/ctx", doc["@context"][:1], [*doc["@context"], "https://example.org/x"]):
        changed = copy.deepcopy(doc)
        changed["proof"]["@context"] = foreign
        assert verify_proofs(changed).code in ("INVALID_SIGNATURE", "DATA_LOSS_DETECTION"), foreign
    same = copy.deepcopy(doc)
    same["proof"]["@context"] = doc["@context"]  # the document's own contexts: the same proof configuration
    assert verify_proofs(same).verified
