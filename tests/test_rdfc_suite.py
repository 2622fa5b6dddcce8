"""The W3C RDF Dataset Canonicalization (RDFC-1.0) test suite, one case per manifest entry."""
from __future__ import annotations

import json

import pytest

from ecvet_credentials.core.errors import LimitExceededError
from ecvet_credentials.jsonld.canon import canonicalize_nquads, canonical_labels
from inputs import SHARED, skip_or_fail

# Follows ECVET_SHARED_DIR like every other test that reads ../shared.
_MANIFEST = SHARED / "vectors/rdf-canon/tests/manifest.jsonld"


def _entries():
    if not _MANIFEST.is_file():
        return [pytest.param(None, id="manifest-missing")]
    return [pytest.param(e, id=e["id"].lstrip("#")) for e in json.loads(_MANIFEST.read_text())["entries"]]


def _hash(entry):
    return "sha384" if entry.get("hashAlgorithm") == "SHA384" else "sha256"


@pytest.mark.parametrize("entry", _entries())
def test_rdfc10_manifest_entry(entry, shared_dir):
    base = shared_dir / "vectors/rdf-canon/tests"
    if entry is None:
        skip_or_fail(f"rdf-canon manifest not found at {_MANIFEST}")
    source = (base / entry["action"]).read_text(encoding="utf-8")
    kind = entry["type"]
    if kind == "rdfc:RDFC10EvalTest":
        expected = (base / entry["result"]).read_text(encoding="utf-8")
        assert canonicalize_nquads(source, hash_algorithm=_hash(entry)) == expected
    elif kind == "rdfc:RDFC10MapTest":
        expected = json.loads((base / entry["result"]).read_text(encoding="utf-8"))
        assert canonical_labels(source, hash_algorithm=_hash(entry)) == expected
    elif kind == "rdfc:RDFC10NegativeEvalTest":
        with pytest.raises(LimitExceededError) as info:
            canonicalize_nquads(source)
        assert "blank-node" in str(info.value) or "longer than" in str(info.value)
    else:
        pytest.fail(f"unknown test type {kind}")


def test_sha384_changes_labels_only_where_hashes_decide(shared_dir):
    # test075 is test020 with SHA-384: same input, so a wrong hash choice would give the other order.
    base = shared_dir / "vectors/rdf-canon/tests/rdfc10"
    src = (base / "test075-in.nq").read_text()
    assert canonicalize_nquads(src, hash_algorithm="sha384") == (base / "test075-rdfc10.nq").read_text()
    assert canonicalize_nquads(src, hash_algorithm="SHA-256") == (base / "test020-rdfc10.nq").read_text()
