"""Foundation benchmark: sign and verify ops/s for each cryptosuite on a ~4 KB ECVET transcript,
next to raw Ed25519 verify and a plain-pyld eddsa-rdfc-2022 implementation measured in the same run.

    make bench            # or: .venv/bin/python bench/run.py [--quick]
"""
from __future__ import annotations

import argparse
import copy
import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import Bench  # noqa: E402

from ecvet_credentials.jsonld.contexts import default_registry  # noqa: E402
from ecvet_credentials.crypto.keys import KeyPair  # noqa: E402
from ecvet_credentials.core.multibase import decode as decode_multibase  # noqa: E402
from ecvet_credentials.proofs import sign, verify_proofs  # noqa: E402

from sample_credential import sample_transcript  # noqa: E402

CREATED = "2026-07-01T12:00:00Z"


def plain_pyld_verify_factory():
    """eddsa-rdfc-2022 verify as a straightforward pyld implementation would do it (the baseline)."""
    from pyld import jsonld

    loader = default_registry().document_loader()
    opts = {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": loader}

    def canon(doc):
        return jsonld.normalize(doc, opts)

    def verify(secured: dict, public_key) -> bool:
        doc = dict(secured)
        proof = dict(doc.pop("proof"))
        signature = decode_multibase(proof.pop("proofValue"))
        proof["@context"] = doc["@context"]
        data = hashlib.sha256(canon(proof).encode()).digest() + hashlib.sha256(canon(doc).encode()).digest()
        return public_key.verify(signature, data)

    return verify


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds (a smoke run)")
    args = parser.parse_args()

    credential = sample_transcript()
    size = len(json.dumps(credential, separators=(",", ":")).encode())
    keys = {"Ed25519": KeyPair.generate("Ed25519"), "P-256": KeyPair.generate("P-256"), "P-384": KeyPair.generate("P-384")}

    def issued_by(key):
        doc = copy.deepcopy(credential)
        doc["issuer"]["id"] = key.did
        return doc

    bench = Bench(rounds=5 if args.quick else 15, target_seconds=0.3 if args.quick else 1.0)
    ed = keys["Ed25519"]
    msg = hashlib.sha256(b"x").digest() * 2
    sig = ed.sign(msg)
    bench.add("raw Ed25519 verify (64 B)", lambda: ed.public_key.verify(sig, msg), "cryptography, the floor")

    pyld_verify = plain_pyld_verify_factory()
    ed_signed = sign(issued_by(ed), ed, created=CREATED)
    assert pyld_verify(ed_signed, ed.public_key)
    bench.add("plain pyld eddsa-rdfc-2022 verify", lambda: pyld_verify(ed_signed, ed.public_key), "baseline: pyld normalize, not strict")

    suites = [("eddsa-rdfc-2022", "Ed25519"), ("eddsa-jcs-2022", "Ed25519"),
              ("ecdsa-rdfc-2019", "P-256"), ("ecdsa-jcs-2019", "P-256"), ("ecdsa-rdfc-2019", "P-384")]
    for suite, key_type in suites:
        key = keys[key_type]
        doc = issued_by(key)
        signed = sign(doc, key, cryptosuite=suite, created=CREATED)
        assert verify_proofs(signed).verified, suite
        label = f"{suite} ({key_type})" if suite.startswith("ecdsa") else suite
        bench.add(f"{label} sign", lambda d=doc, k=key, s=suite: sign(d, k, cryptosuite=s, created=CREATED))
        bench.add(f"{label} verify (strict)", lambda s=signed: verify_proofs(s))

    from ecvet_credentials.verify import verify_credential

    bench.add("verify_credential (all checks available)", lambda: verify_credential(ed_signed), "contexts, schema, proof, binding, dates")
    bench.run()
    print(f"Credential: ECVET Personal Transcript, {size:,} bytes of compact JSON\n")
    print(bench.table("raw Ed25519 verify (64 B)", title="ops/s and ratio to a raw Ed25519 verify"))
    base = bench.median("plain pyld eddsa-rdfc-2022 verify")
    ours = bench.median("eddsa-rdfc-2022 verify (strict)")
    print(f"\nstrict eddsa-rdfc-2022 verify: {1 / ours:,.0f}/s, {base / ours:.1f}x the plain-pyld baseline "
          f"(targets: >= 1,000/s and >= 6x)")


if __name__ == "__main__":
    main()
