"""Garbage for the verifier (seeded): random bytes, truncated and deeply nested JSON, huge arrays,
credentials with wrong types everywhere, odd Unicode, images that are not QR codes.

`garbage(rng, pt_bytes)` yields (kind, bytes) forever; `run_fuzz` is the pool worker that pushes
inputs through what `ecvet verify` does (parse_document, then verify_credential) and collects
anything that escaped as another exception, or a report that does not explain itself.
"""
from __future__ import annotations

import json
import random

from mutations import CHARS, WORDS, mutate

KEYS = WORDS + ["credentialSubject", "issuer", "proof", "credentialStatus", "validFrom", "credentialSchema",
                "verificationMethod", "cryptosuite", "proofPurpose", "statusListIndex", "statusListCredential"]
MAGIC = [b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF8", b"BM"]


def _random_json(rng: random.Random, depth: int = 0):
    roll = rng.random()
    if depth > 4 or roll < 0.4:
        return rng.choice([
            lambda: rng.randint(-10**20, 10**20), lambda: rng.random() * 10 ** rng.randint(-5, 300),
            lambda: rng.choice([True, False, None]),
            lambda: "".join(rng.choice(CHARS) for _ in range(rng.randint(0, 12))),
            lambda: rng.choice(["https://www.w3.org/ns/credentials/v2", "VerifiableCredential", "DataIntegrityProof",
                                "EcvetPersonalTranscript", "did:key:z6Mk", "urn:uuid:x", "eddsa-rdfc-2022"]),
        ])()
    if roll < 0.7:
        return [_random_json(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return {rng.choice(KEYS): _random_json(rng, depth + 1) for _ in range(rng.randint(0, 6))}


def _credential_like(rng: random.Random) -> dict:
    doc = {"@context": rng.choice([["https://www.w3.org/ns/credentials/v2"], "https://www.w3.org/ns/credentials/v2",
                                   _random_json(rng)]),
           "type": rng.choice([["VerifiableCredential"], ["VerifiableCredential", "EcvetPersonalTranscript"],
                               "VerifiablePresentation", _random_json(rng)])}
    for _ in range(rng.randint(0, 6)):
        doc[rng.choice(KEYS)] = _random_json(rng)
    return doc


def _dumps(value) -> bytes:
    return json.dumps(value, ensure_ascii=rng_bool(value)).encode("utf-8", "surrogatepass")


def rng_bool(value) -> bool:  # escape non-ASCII half the time (by a stable property of the value)
    return len(repr(value)) % 2 == 0


def garbage(rng: random.Random, pt_bytes: bytes, pt: dict):
    """Yield (kind, data) forever. Kinds are weighted so that cheap inputs dominate the count."""
    stripped = pt_bytes.rstrip()
    # per input: bytes/json/scalar ~0.05 ms, wrong-types ~12 ms (full verification), huge ~100 ms (parsing)
    weights = {"bytes": 30, "truncated": 20, "json": 17, "credential-like": 16, "wrong-types": 4, "deep": 3,
               "huge": 0.3, "image": 2, "unicode": 2, "scalar": 5.7}
    names, cumulative = list(weights), list(weights.values())
    while True:
        (kind,) = rng.choices(names, weights=cumulative)
        if kind == "bytes":
            data = bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 64)))
        elif kind == "truncated":
            data = stripped[: rng.randrange(len(stripped))]
        elif kind == "json":
            data = _dumps(_random_json(rng))
        elif kind == "credential-like":
            data = _dumps(_credential_like(rng))
        elif kind == "wrong-types":  # the real transcript, with 1 to 6 random changes anywhere
            doc = pt
            for _ in range(rng.randint(1, 6)):
                doc, _ = mutate(doc, rng)
            data = _dumps(doc)
        elif kind == "deep":
            n = rng.choice([50, 200, 1000, 10_000, 100_000])
            opener, closer = rng.choice([("[", "]"), ('{"a":', "}"), ('{"proof":', "}"), ('{"type":["VerifiableCredential"],"x":', "}")])
            data = (opener * n + "1" + closer * (n if rng.random() < 0.7 else n // 2)).encode()
        elif kind == "huge":
            n = rng.choice([10_000, 100_000, 300_000])
            doc = dict(pt)
            doc[rng.choice(["type", "@context", "credentialStatus", "proof", "x"])] = [rng.choice([0, "a", {}])] * n
            data = json.dumps(doc).encode()
        elif kind == "image":
            data = rng.choice(MAGIC) + bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 300)))
        elif kind == "unicode":  # lone surrogates, controls, RTL marks in ids and names
            doc = json.loads(stripped)
            weird = rng.choice(["\ud800", "\udfff", "\u202e", "\x7f", "\u0000", "\ufeff", "\U0010ffff", "a\u0301"])
            target = rng.choice(["id", "issuer", "validFrom", "type"])
            doc[target] = weird if target != "type" else ["VerifiableCredential", weird]
            data = json.dumps(doc).encode()  # ensure_ascii: the surrogate travels as a \\ud800 escape
        else:
            data = rng.choice([b"null", b"1", b'"x"', b"[]", b"true", b"1e400", b"NaN", b"-0", b"[{}]", b"{}", b" ",
                               b"\xef\xbb\xbf{}", b'{"a":1,"a":2}', b"{\"type\": \"VerifiableCredential\"}"])
        yield kind, data


def run_fuzz(args: tuple) -> dict:
    """Pool worker: `count` inputs from `seed` through the `ecvet verify` path (in-process)."""
    import traceback
    from pathlib import Path

    from ecvet_credentials.cli.verify_cmd import parse_document
    from ecvet_credentials.crypto.dids import DidResolver
    from ecvet_credentials.core.errors import InputError
    from ecvet_credentials.status.fetch import StatusListSource
    from ecvet_credentials.trust.signing import load_trust_registry
    from ecvet_credentials.verify import verify_credential
    from ecvet_credentials.verify.render_text import render_text

    pt_path, agreement_path, trust_path, status_dir, seed, count = args
    pt_bytes = Path(pt_path).read_bytes()
    options = dict(trust=load_trust_registry(trust_path), agreement=json.loads(Path(agreement_path).read_text()),
                   status_source=StatusListSource(directory=status_dir), resolver=DidResolver())
    out = {"count": 0, "kinds": {}, "input_errors": 0, "reports": 0, "problems": []}
    inputs = garbage(random.Random(seed), pt_bytes, json.loads(pt_bytes))
    for _ in range(count):
        kind, data = next(inputs)
        out["count"] += 1
        out["kinds"][kind] = out["kinds"].get(kind, 0) + 1
        try:
            try:
                doc = parse_document(data, "fuzz input")
            except InputError as exc:
                out["input_errors"] += 1
                if not (str(exc) and exc.code):
                    out["problems"].append(f"{kind}: InputError without message or code: {data[:120]!r}")
                continue
            report = verify_credential(doc, **options)
            out["reports"] += 1
            failed = report.failed_checks
            if report.verified or not failed:
                out["problems"].append(f"{kind}: verified garbage: {data[:300]!r}")
            elif any(not (c.code and len(c.message) > 15) for c in failed):
                out["problems"].append(f"{kind}: a failed check without a clear message: {[c.to_json() for c in failed]}")
            # what the CLI prints must be printable: JSON and the checklist, as UTF-8
            json.dumps(report.to_json(), indent=2, ensure_ascii=False).encode("utf-8")
            render_text(report, verbose=True).encode("utf-8")
        except Exception:  # noqa: BLE001 - the property under test
            out["problems"].append(f"{kind}: {data[:200]!r}\n{traceback.format_exc(limit=-4)}")
    return out
