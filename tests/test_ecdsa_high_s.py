"""ECDSA high-S (issue 12, class 7): accepted, on purpose (README, "Security").

VC DI ECDSA signs with plain ECDSA and does not require low-S; RFC 6979 signing gives either form,
and half of the W3C vectors carry a high S. Refusing high S would refuse the W3C vectors and
conforming issuers; normalizing would break byte-for-byte reproduction. What follows, and is tested
here: (r, n - s) is a second valid proof for the same document, and it changes no signed claim.
"""
from __future__ import annotations

import copy
import json

import pytest

from ecvet_credentials.core import multibase as mb
from ecvet_credentials.crypto.keys import KeyPair
from ecvet_credentials.proofs import sign, verify_proofs

ORDER = {"P-256": 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
         "P-384": int("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973", 16)}
SUITES = {"P-256": ("ecdsa-rdfc-2019", "ecdsa-jcs-2019"), "P-384": ("ecdsa-rdfc-2019", "ecdsa-jcs-2019")}


def twin(proof_value: str, curve: str) -> tuple[str, bool]:
    """The other valid signature (r, n - s) and whether the original had a high S."""
    sig = mb.decode(proof_value)
    size = len(sig) // 2
    s = int.from_bytes(sig[size:], "big")
    other = sig[:size] + (ORDER[curve] - s).to_bytes(size, "big")
    return mb.encode(other), s > ORDER[curve] // 2


@pytest.fixture(scope="module")
def credential(demo_dir):
    doc = json.loads((demo_dir / "transcript.json").read_text())
    return {k: v for k, v in doc.items() if k != "proof"}


@pytest.mark.parametrize("curve", ["P-256", "P-384"])
def test_both_s_forms_verify_and_neither_changes_a_claim(credential, curve):
    key = KeyPair.generate(curve)
    for suite in SUITES[curve]:
        signed = sign(copy.deepcopy(credential), key, cryptosuite=suite, created="2026-11-20T15:00:00Z")
        assert verify_proofs(signed).verified
        other = copy.deepcopy(signed)
        other["proof"]["proofValue"], _ = twin(signed["proof"]["proofValue"], curve)
        assert other["proof"]["proofValue"] != signed["proof"]["proofValue"]
        assert verify_proofs(other).verified  # the malleated twin: same document, same claims
        changed = copy.deepcopy(other)
        changed["validFrom"] = "2020-01-01T00:00:00Z"
        assert not verify_proofs(changed).verified  # a twin signature still covers every claim


def test_w3c_vectors_carry_high_s(shared_dir):
    """Why high S cannot be refused: the W3C's own vectors (which this project reproduces byte for
    byte, test_w3c_vectors.py) include high-S signatures."""
    high = 0
    for path in sorted((shared_dir / "vectors" / "vc-di-ecdsa" / "TestVectors").glob("ecdsa-*-2019-*/**/signed*.json")):
        proof = json.loads(path.read_text())["proof"]
        curve = "P-384" if "p384" in str(path) else "P-256"
        high += twin(proof["proofValue"], curve)[1]
    assert high >= 1
