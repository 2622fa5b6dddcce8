"""Micro-benchmark: canonicalize (fast path) vs the strict pyld path vs plain pyld normalize.

Run: .venv/bin/python bench/bench_canon.py   (prints ms/op, best of 5 rounds)
"""
from __future__ import annotations

import copy
import json
import time
from pathlib import Path

from pyld import jsonld

from ecvet_credentials.jsonld.canon import canonicalize
from ecvet_credentials.jsonld.contexts import ContextRegistry
from ecvet_credentials.jsonld.strict import pyld_options

DATA = Path(__file__).resolve().parents[1] / "tests/data"


def best(fn, n):
    rounds = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(n):
            fn()
        rounds.append((time.perf_counter() - start) / n * 1e3)
    return min(rounds)


def main():
    registry = ContextRegistry(DATA / "contexts")
    signed = json.loads((DATA / "credential-4k-signed.json").read_text())
    proof = signed.pop("proof")
    doc = signed
    config = {k: v for k, v in proof.items() if k != "proofValue"}
    config["@context"] = doc["@context"]
    opts = {**pyld_options(registry), "algorithm": "URDNA2015", "format": "application/n-quads"}

    def plain_pyld(d):
        return jsonld.JsonLdProcessor().normalize(copy.deepcopy(d), dict(opts))

    assert canonicalize(doc, registry=registry) == canonicalize(doc, registry=registry, fast=False)
    print(f"document: {len(json.dumps(doc))} bytes, {canonicalize(doc, registry=registry).count(chr(10))} quads")
    rows = [
        ("canonicalize(doc) fast path", lambda: canonicalize(doc, registry=registry), 500),
        ("canonicalize(proof config) fast path", lambda: canonicalize(config, registry=registry), 2000),
        ("canonicalize(doc, fast=False) strict pyld path", lambda: canonicalize(doc, registry=registry, fast=False), 20),
        ("plain pyld normalize(doc)", lambda: plain_pyld(doc), 20),
        ("plain pyld normalize(proof config)", lambda: plain_pyld(config), 50),
    ]
    for name, fn, n in rows:
        print(f"{name:50s} {best(fn, n):8.3f} ms/op")


if __name__ == "__main__":
    main()
