"""W3C Data Integrity vectors: canonicalize(unsigned / proof config) equals the published canonical N-Quads."""
from __future__ import annotations

import json

import pytest

from ecvet_credentials.jsonld.canon import canonicalize

# (folder under vectors/, unsigned document, canonical doc file, proof config, canonical proof file)
CASES = [
    ("vc-di-eddsa/TestVectors", "unsigned.json", "eddsa-rdfc-2022/canonDocDataInt.txt",
     "eddsa-rdfc-2022/proofConfigDataInt.json", "eddsa-rdfc-2022/proofCanonDataInt.txt"),
    ("vc-di-eddsa/TestVectors", "employmentAuth.json", "eddsa-rdfc-2022/employ/canonDocDataInt.txt",
     "eddsa-rdfc-2022/employ/proofConfigDataInt.json", "eddsa-rdfc-2022/employ/proofCanonDataInt.txt"),
    ("vc-di-ecdsa/TestVectors", "unsigned.json", "ecdsa-rdfc-2019-p256/canonDocECDSAP256.txt",
     "ecdsa-rdfc-2019-p256/proofConfigECDSAP256.json", "ecdsa-rdfc-2019-p256/proofCanonECDSAP256.txt"),
    ("vc-di-ecdsa/TestVectors", "employmentAuth.json", "ecdsa-rdfc-2019-p256/employ/canonDocECDSAP256.txt",
     "ecdsa-rdfc-2019-p256/employ/proofConfigECDSAP256.json", "ecdsa-rdfc-2019-p256/employ/proofCanonECDSAP256.txt"),
    ("vc-di-ecdsa/TestVectors", "unsigned.json", "ecdsa-rdfc-2019-p384/canonDocECDSAP384.txt",
     "ecdsa-rdfc-2019-p384/proofConfigECDSAP384.json", "ecdsa-rdfc-2019-p384/proofCanonECDSAP384.txt"),
    ("vc-di-ecdsa/TestVectors", "employmentAuth.json", "ecdsa-rdfc-2019-p384/employ/canonDocECDSAP384.txt",
     "ecdsa-rdfc-2019-p384/employ/proofConfigECDSAP384.json", "ecdsa-rdfc-2019-p384/employ/proofCanonECDSAP384.txt"),
]


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "pyld"])
@pytest.mark.parametrize("case", CASES, ids=[c[2].split("/")[0] + ("-employ" if "employ" in c[2] else "") for c in CASES])
def test_w3c_vector_canonical_forms(case, fast, shared_dir):
    folder, unsigned, canon_doc, config, canon_proof = case
    base = shared_dir / "vectors" / folder
    # ecdsa-rdfc-2019 with P-384 runs RDFC-1.0 with SHA-384 (it decides the labels in employ/).
    hash_algorithm = "sha384" if "p384" in canon_doc else "sha256"
    doc = json.loads((base / unsigned).read_text())
    assert canonicalize(doc, fast=fast, hash_algorithm=hash_algorithm) == (base / canon_doc).read_text()
    proof_config = json.loads((base / config).read_text())
    assert canonicalize(proof_config, fast=fast, hash_algorithm=hash_algorithm) == (base / canon_proof).read_text()


def test_signed_vector_without_proof_equals_unsigned(shared_dir):
    base = shared_dir / "vectors/vc-di-eddsa/TestVectors"
    signed = json.loads((base / "eddsa-rdfc-2022/signedDataInt.json").read_text())
    signed.pop("proof")
    assert canonicalize(signed) == (base / "eddsa-rdfc-2022/canonDocDataInt.txt").read_text()


def test_p384_employ_vector_needs_sha384_labels(shared_dir):
    base = shared_dir / "vectors/vc-di-ecdsa/TestVectors"
    doc = json.loads((base / "employmentAuth.json").read_text())
    expected = (base / "ecdsa-rdfc-2019-p384/employ/canonDocECDSAP384.txt").read_text()
    assert canonicalize(doc) != expected
    assert canonicalize(doc, hash_algorithm="SHA-384") == expected
