"""Presentations embed credentials under VC 2.0 `verifiableCredential` (@graph container, scoped
@context null): each embedded credential keeps its own @context. The fast path and the strict pyld
path must agree on them, byte for byte or with the same error, and stay strict everywhere else."""
from __future__ import annotations

import copy
import json
import pytest

from ecvet_credentials.core.errors import EcvetError
from ecvet_credentials.jsonld.canon import canonicalize

VC2 = "https://www.w3.org/ns/credentials/v2"


@pytest.fixture(scope="module")
def credential(demo_dir):
    return json.loads((demo_dir / "transcript.json").read_text())


def vp(*creds):
    return {"@context": [VC2], "type": ["VerifiablePresentation"], "holder": "did:example:holder",
            "verifiableCredential": list(creds)}


def both(doc):
    """(fast result, slow result): canonical N-Quads or (error class, code)."""
    out = []
    for fast in (True, False):
        try:
            out.append(canonicalize(copy.deepcopy(doc), fast=fast))
        except EcvetError as exc:
            out.append((type(exc).__name__, exc.code))
    return out


def test_presentation_fast_path_equals_pyld(credential):
    other = copy.deepcopy(credential)
    other["id"] = "urn:uuid:00000000-0000-4000-8000-000000000001"
    fast, slow = both(vp(credential, other))
    assert isinstance(fast, str) and fast == slow
    # each embedded credential is a named graph of its own
    assert len({q.split(" ")[-2] for q in fast.splitlines() if q.split(" ")[-2].startswith("_:")}) >= 2


def test_presentation_single_credential_object(credential):
    doc = vp(credential)
    doc["verifiableCredential"] = credential
    fast, slow = both(doc)
    assert isinstance(fast, str) and fast == slow


@pytest.mark.parametrize("mutate, code", [
    (lambda c: c["credentialSubject"].__setitem__("undefinedTerm", "x"), "DATA_LOSS_DETECTION"),
    (lambda c: c.pop("@context"), "DATA_LOSS_DETECTION"),
    (lambda c: c["credentialSubject"].__setitem__("@context", [VC2]), "NOT_ROUND_TRIP"),
])
def test_embedded_credential_stays_strict(credential, mutate, code):
    bad = copy.deepcopy(credential)
    mutate(bad)
    fast, slow = both(vp(bad))
    assert fast == slow
    assert isinstance(slow, tuple) and slow[1] == code, slow


def test_embedded_context_elsewhere_is_still_refused(credential):
    doc = vp(credential)
    doc["holder"] = {"@context": [VC2], "id": "did:example:holder"}
    fast, slow = both(doc)
    assert fast == slow and isinstance(slow, tuple) and slow[1] == "NOT_ROUND_TRIP"
