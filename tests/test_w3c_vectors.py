"""W3C vc-di-eddsa / vc-di-ecdsa test vectors, byte for byte, through the library.

For every suite folder: canonical document and proof configuration, both hashes, the signature
and the proofValue are reproduced by `create_verify_data` / `sign` with the vector's key pair,
`created` and verificationMethod; each signed*.json verifies with `verify_proofs`. Sources and
snapshot commits: ../shared/vectors/MANIFEST.md. ecdsa-sd-2023 is out of scope (skipped).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from ecvet_credentials.core import multibase as mb
from ecvet_credentials.crypto.keys import KeyPair
from ecvet_credentials.proofs import SUITES, create_verify_data, sign, verify_proofs

ED = "vc-di-eddsa/TestVectors"
EC = "vc-di-ecdsa/TestVectors"
# (folder, file suffix, unsigned input, key pair file)
CASES = [
    (f"{ED}/eddsa-rdfc-2022", "DataInt", f"{ED}/unsigned.json", f"{ED}/keyPair.json"),
    (f"{ED}/eddsa-rdfc-2022/employ", "DataInt", f"{ED}/employmentAuth.json", f"{ED}/keyPair.json"),
    (f"{ED}/eddsa-jcs-2022", "JCS", f"{ED}/unsigned.json", f"{ED}/keyPair.json"),
    (f"{EC}/ecdsa-rdfc-2019-p256", "ECDSAP256", f"{EC}/unsigned.json", f"{EC}/p256KeyPair.json"),
    (f"{EC}/ecdsa-rdfc-2019-p256/employ", "ECDSAP256", f"{EC}/employmentAuth.json", f"{EC}/p256KeyPair.json"),
    (f"{EC}/ecdsa-rdfc-2019-p384", "ECDSAP384", f"{EC}/unsigned.json", f"{EC}/p384KeyPair.json"),
    (f"{EC}/ecdsa-rdfc-2019-p384/employ", "ECDSAP384", f"{EC}/employmentAuth.json", f"{EC}/p384KeyPair.json"),
    (f"{EC}/ecdsa-jcs-2019-p256", "JCSECDSAP256", f"{EC}/unsigned.json", f"{EC}/p256KeyPair.json"),
    (f"{EC}/ecdsa-jcs-2019-p384", "JCSECDSAP384", f"{EC}/unsigned.json", f"{EC}/p384KeyPair.json"),
]
IDS = [c[0].split("/", 2)[2] for c in CASES]


def _json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.fixture(params=CASES, ids=IDS)
def case(request, shared_dir):
    folder, suffix, unsigned, keypair = request.param
    v = shared_dir / "vectors"
    d = v / folder
    return {
        "dir": d, "s": suffix,
        "unsigned": _json(v / unsigned),
        "key": KeyPair.from_multikey(_json(v / keypair)),
        "config": _json(d / f"proofConfig{suffix}.json"),
        "signed": _json(d / f"signed{suffix}.json"),
    }


def test_canonical_forms_and_hashes(case):
    d, s, config = case["dir"], case["s"], case["config"]
    suite = SUITES[config["cryptosuite"]]
    # RDFC suites add the document's @context to the options; JCS suites take the proof options as
    # they are (the vectors' options already carry the @context, as our `sign` makes them).
    options = dict(config) if suite.canonicalization == "jcs" else {k: v for k, v in config.items() if k != "@context"}
    data = create_verify_data(suite, case["unsigned"], options, case["key"].key_type)
    assert data.canonical_document.decode() == _text(d / f"canonDoc{s}.txt")
    assert data.canonical_proof_config.decode() == _text(d / f"proofCanon{s}.txt")
    assert suite.proof_config(case["unsigned"], options) == config
    assert data.document_hash.hex() == _text(d / f"docHash{s}.txt").strip()
    assert data.proof_hash.hex() == _text(d / f"proofHash{s}.txt").strip()
    assert data.combined.hex() == _text(d / f"combinedHash{s}.txt").strip()
    assert case["key"].sign(data.combined).hex() == _text(d / f"sigHex{s}.txt").strip()


def test_sign_reproduces_signed_vector(case):
    config = case["config"]
    signed = sign(case["unsigned"], case["key"], cryptosuite=config["cryptosuite"], created=config["created"],
                  verification_method=config["verificationMethod"], purpose=config["proofPurpose"])
    assert signed["proof"]["proofValue"] == _text(case["dir"] / f"sigBTC58{case['s']}.txt").strip()
    assert signed == case["signed"]
    assert list(signed["proof"]) == list(case["signed"]["proof"])  # same key order too


def test_signed_vector_verifies(case):
    result = verify_proofs(case["signed"])
    assert result.verified, [(r.code, r.message) for r in result.results]
    assert result.controllers == [case["key"].did]
    assert result.results[0].purpose == "assertionMethod"


def test_tampered_vector_fails(case):
    doc = json.loads(json.dumps(case["signed"]))
    doc["description"] = doc.get("description", "") + "!"
    result = verify_proofs(doc)
    assert not result.verified and result.results[0].code == "INVALID_SIGNATURE"


# --- proof sets and chains ----------------------------------------------------------------------
@pytest.fixture
def psc(shared_dir):
    d = shared_dir / "vectors" / ED / "proof-set-chain"
    keys = {name: KeyPair.from_multikey(pair) for name, pair in _json(d / "multiKeyPairs.json").items()}
    return d, keys


def _sign_with(doc, key, config, **extra):
    return sign(doc, key, cryptosuite=config["cryptosuite"], created=config["created"],
                verification_method=config["verificationMethod"], purpose=config["proofPurpose"],
                proof_id=config.get("id"), previous_proof=config.get("previousProof"), **extra)


def test_proof_set_vectors(psc):
    d, keys = psc
    unsigned = _json(d / "unsigned.json")
    set1 = _sign_with(unsigned, keys["keyPair1"], _json(d / "proofSetConfig1.json"))
    assert set1 == _json(d / "signedProofSet1.json")
    assert set1["proof"] == _json(d / "proofSetConfigSigned1.json")
    set2 = _sign_with(set1, keys["keyPair2"], _json(d / "proofSetConfig2.json"))
    assert set2 == _json(d / "signedProofSet2.json")
    assert set2["proof"][1] == _json(d / "proofSetConfigSigned2.json")
    for name in ("signedProofSet1.json", "signedProofSet2.json"):
        result = verify_proofs(_json(d / name))
        assert result.verified, [(r.code, r.message) for r in result.results]


def test_proof_chain_vectors(psc):
    d, keys = psc
    set2 = _json(d / "signedProofSet2.json")
    chain1 = _sign_with(set2, keys["keyPair3"], _json(d / "proofChainConfig1.json"))
    assert chain1 == _json(d / "signedProofChain1.json")
    assert chain1["proof"][-1] == _json(d / "proofChainConfigSigned1.json")
    chain2 = _sign_with(chain1, keys["keyPair4"], _json(d / "proofChainConfig2.json"))
    assert chain2 == _json(d / "signedProofChain2.json")
    assert chain2["proof"][-1] == _json(d / "proofChainConfigSigned2.json")
    for name in ("signedProofChain1.json", "signedProofChain2.json"):
        result = verify_proofs(_json(d / name))
        assert result.verified, [(r.code, r.message) for r in result.results]
        assert len(result.results) == len(_json(d / name)["proof"])


def test_proof_chain_temp_documents(psc):
    """The document each chained proof signs is the vectors' proofChainTempDoc (previous proofs included)."""
    d, keys = psc
    suite = SUITES["eddsa-rdfc-2022"]
    for n, key_name in ((1, "keyPair3"), (2, "keyPair4")):
        temp = _json(d / f"proofChainTempDoc{n}.json")
        signed = _json(d / f"proofChainConfigSigned{n}.json")
        options = {k: v for k, v in signed.items() if k != "proofValue"}
        data = create_verify_data(suite, temp, options, "Ed25519")
        assert keys[key_name].public_key.verify(mb.decode(signed["proofValue"]), data.combined)


def test_chain_with_missing_previous_proof_fails(psc):
    d, _ = psc
    doc = _json(d / "signedProofChain2.json")
    del doc["proof"][2]  # the proof that the last one chains to
    result = verify_proofs(doc)
    assert not result.verified
    assert [r.code for r in result.results] == ["OK", "OK", "PREVIOUS_PROOF_MISSING"]


def test_ecdsa_sd_is_not_supported(shared_dir):
    # Selective disclosure is out of scope: its proofs must be reported, not half-checked.
    signed = shared_dir / "vectors" / EC / "ecdsa-sd-2023" / "prc" / "addSignedSDBase.json"
    result = verify_proofs(_json(signed))
    assert not result.verified and result.results[0].code == "UNKNOWN_CRYPTOSUITE"
