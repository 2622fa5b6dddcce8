"""Strict eddsa-rdfc-2022 verify of a credential whose contexts carry @language/@direction (issue 17),
as a ratio to the raw Ed25519 verify of 64 bytes measured in the same run (the floor).

Run: .venv/bin/python bench/bench_language.py   (best of 5 rounds; ops/s and ratio to the floor)
Rows: the 4 KB test credential as is; with a default @language; with terms mapped to a language and to
a language + direction (the fast path handles all three); the last one forced onto the pyld path
(what every such document cost before).
"""
from __future__ import annotations

import copy
import json
import time
from pathlib import Path

from ecvet_credentials.jsonld import fastpath
from ecvet_credentials.jsonld.contexts import ContextRegistry
from ecvet_credentials.crypto.keys import KeyPair
from ecvet_credentials.proofs import sign, verify_proofs

DATA = Path(__file__).resolve().parents[1] / "tests/data"


def best(fn, n: int) -> float:
    rounds = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(n):
            fn()
        rounds.append((time.perf_counter() - start) / n)
    return min(rounds)


def variant(base: dict, kind: str) -> dict:
    doc = copy.deepcopy(base)
    if kind == "default @language":
        doc["@context"] = doc["@context"] + [{"@language": "en"}]
    elif kind.startswith("term-level"):
        doc["@context"] = doc["@context"] + [{
            "note": {"@id": "https://ex.test/note", "@language": "de"},
            "noteRtl": {"@id": "https://ex.test/noteRtl", "@language": "ar", "@direction": "rtl"}}]
        for i, unit in enumerate(doc["credentialSubject"]["hasClaim"][0]["hasPart"]):
            unit["note"], unit["noteRtl"] = f"Einheit {i}", "وحدة"
    return doc


def main() -> None:
    registry = ContextRegistry(DATA / "contexts")
    base = json.loads((DATA / "credential-4k.json").read_text())
    key = KeyPair.generate("Ed25519")
    message = b"x" * 64
    signature = key.sign(message)
    floor = best(lambda: key.public_key.verify(signature, message), 2000)
    print(f"{'row':46s} {'ops/s':>8s} {'x floor':>8s}")
    print(f"{'raw Ed25519 verify, 64 bytes (floor)':46s} {1 / floor:8.0f} {1.0:8.1f}")
    kinds = ["as is", "default @language", "term-level @language/@direction", "term-level, pyld path (before)"]
    for kind in kinds:
        signed = sign(variant(base, kind), key, registry=registry)
        assert verify_proofs(signed, registry=registry).verified
        if kind.endswith("(before)"):
            saved = fastpath.fast_quads

            def fallback(*_a, **_k):
                raise fastpath.Fallback
            fastpath.fast_quads = fallback
        try:
            t = best(lambda doc=signed: verify_proofs(doc, registry=registry), 20 if kind.endswith("(before)") else 200)
        finally:
            if kind.endswith("(before)"):
                fastpath.fast_quads = saved
        print(f"{'verify: ' + kind:46s} {1 / t:8.0f} {t / floor:8.1f}")


if __name__ == "__main__":
    main()
