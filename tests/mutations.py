"""Random single mutations of a JSON document (seeded, deterministic), for the mutation property test.

Each mutation changes the parsed JSON value (never only its formatting or key order) and returns a
short description. Operators: replace a leaf (same or another type), edit a string by one character,
delete/add/rename an object key, delete/insert/replace an array element, wrap/unwrap a value in a list.
Left out as not changing meaning: key order, whitespace, a duplicate member of a JSON-LD set,
`proof` as one object versus a list of one (Data Integrity treats both as the same proof set), and a
key added to the proof with a null or [] value (JSON-LD drops it; the proof has no schema to refuse it).
"""
from __future__ import annotations

import copy
import json
import random

WORDS = ["id", "type", "name", "givenName", "nickname", "grade", "creditPoint", "validUntil", "proofValue",
         "@id", "@type", "@value", "@context", "hasPart", "x", ""]
CHARS = "aZ0 9:#/-_.é\u00a0\u0301\U0001F600\\\"\x00"


def _paths(value, path=()):
    """Every (path, value) in the tree, the root included."""
    yield path, value
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, path + (i,))


def _get(doc, path):
    for p in path:
        doc = doc[p]
    return doc


def _set(doc, path, value):
    if not path:
        return value
    _get(doc, path[:-1])[path[-1]] = value
    return doc


def _random_scalar(rng: random.Random):
    return rng.choice([
        lambda: rng.randint(-5, 10**6),
        lambda: rng.random() * 100,
        lambda: rng.choice([True, False, None]),
        lambda: "".join(rng.choice(CHARS) for _ in range(rng.randint(0, 8))),
        lambda: rng.choice(WORDS),
        lambda: "urn:uuid:00000000-0000-4000-8000-00000000000%d" % rng.randint(0, 9),
        lambda: "2026-11-2%dT00:00:00Z" % rng.randint(0, 9),
        lambda: {},
        lambda: [],
    ])()


def _edit_string(rng: random.Random, s: str) -> str:
    i = rng.randint(0, len(s))
    op = rng.choice(["insert", "delete", "replace", "case", "space"])
    if op == "insert" or not s:
        return s[:i] + rng.choice(CHARS) + s[i:]
    i = min(i, len(s) - 1)
    if op == "delete":
        return s[:i] + s[i + 1:]
    if op == "case" and s[i].swapcase() != s[i]:
        return s[:i] + s[i].swapcase() + s[i + 1:]
    if op == "space":
        return s + " " if rng.random() < 0.5 else " " + s
    return s[:i] + rng.choice(CHARS) + s[i + 1:]


def _mutate_leaf(rng: random.Random, value):
    if isinstance(value, bool):
        return rng.choice([not value, None, int(value), str(value).lower()])
    if isinstance(value, int):
        return rng.choice([value + 1, value - 1, -value if value else 1, value * 2 + 1, str(value), float(value) + 0.5])
    if isinstance(value, float):
        return rng.choice([value + 1, -value if value else 1.0, str(value), int(value) + 1])
    if isinstance(value, str):
        return rng.choice([lambda: _edit_string(rng, value), lambda: _random_scalar(rng), lambda: [value] + [value + "x"]])()
    return _random_scalar(rng)


def mutate(doc: dict, rng: random.Random) -> tuple[dict, str]:
    """One random change to a deep copy of `doc`: (mutated, description). Always changes the JSON value."""
    before = json.dumps(doc, sort_keys=True)
    for _ in range(100):
        out = copy.deepcopy(doc)
        paths = list(_paths(out))
        path, node = rng.choice(paths)
        where = "/".join(map(str, path)) or "(root)"
        kind = rng.random()
        if isinstance(node, dict) and (kind < 0.35 or not path or not node):  # the root stays an object
            key = rng.choice(list(node)) if node else None
            choice = rng.choice(["delete", "rename", "add"]) if node else "add"
            if choice == "delete":
                del node[key]
                desc = f"delete {where}/{key}"
            elif choice == "rename":
                new = rng.choice([_edit_string(rng, key), rng.choice(WORDS)])
                if new in node:
                    continue
                node[new] = node.pop(key)
                desc = f"rename {where}/{key} -> {new!r}"
            else:
                new = rng.choice(WORDS + [_edit_string(rng, key or "")])
                if new in node:
                    continue
                node[new] = _random_scalar(rng) if key is None or rng.random() < 0.7 else copy.deepcopy(node[key])
                if path[:1] == ("proof",) and node[new] in (None, []):
                    continue  # JSON-LD drops a null or [] value: the same proof (in the body, the schema refuses it)
                desc = f"add {where}/{new!r}"
        elif isinstance(node, list) and node and kind < 0.35:
            i = rng.randrange(len(node))
            choice = rng.choice(["delete", "insert", "replace"])
            if choice == "delete":
                del node[i]
                desc = f"delete {where}/{i}"
            elif choice == "insert":
                new = _random_scalar(rng)
                if new in node:  # a duplicate of a set member is the same JSON-LD set: not a change of meaning
                    continue
                node.insert(i, new)
                desc = f"insert at {where}/{i}"
            else:
                node[i] = _mutate_leaf(rng, node[i])
                desc = f"replace {where}/{i}"
        elif kind < 0.45 and path and path != ("proof",):  # one proof or a set of one: the same (VC DI)
            wrapped = [node] if not (isinstance(node, list) and len(node) == 1) else node[0]
            out = _set(out, path, wrapped)
            desc = f"{'wrap' if not isinstance(node, list) else 'unwrap'} {where}"
        else:
            out = _set(out, path, _mutate_leaf(rng, node))
            desc = f"change {where}"
        if isinstance(out, dict) and json.dumps(out, sort_keys=True) != before:
            return out, desc
    raise RuntimeError("no mutation found")  # pragma: no cover - 100 tries always find one


def run_mutations(args: tuple) -> dict:
    """Worker (top-level, so a process pool can run it): verify `count` mutations from `seed`.

    Returns counts and the problems: mutations that verified, that raised, or that neither the
    input, proof nor schema check refused (what the signature cannot see, the strict schema must).
    """
    import traceback

    from ecvet_credentials.crypto.dids import DidResolver
    from ecvet_credentials.status.fetch import StatusListSource
    from ecvet_credentials.trust.signing import load_trust_registry
    from ecvet_credentials.verify import verify_credential
    from ecvet_credentials.core.timeutil import parse_datetime

    doc_path, agreement_path, trust_path, status_dir, now, seed, count = args
    doc = json.loads(open(doc_path, encoding="utf-8").read())
    options = dict(trust=load_trust_registry(trust_path), agreement=json.loads(open(agreement_path, encoding="utf-8").read()),
                   status_source=StatusListSource(directory=status_dir), now=parse_datetime(now), resolver=DidResolver())
    assert verify_credential(doc, **options).verified, "the unmutated credential must verify"
    rng = random.Random(seed)
    out = {"count": 0, "proof_failed": 0, "verified": [], "raised": [], "unguarded": []}
    for _ in range(count):
        mutated, desc = mutate(doc, rng)
        out["count"] += 1
        try:
            report = verify_credential(mutated, **options)
        except Exception:  # noqa: BLE001 - the property under test: nothing raises
            out["raised"].append(f"{desc}: {traceback.format_exc(limit=-3)}")
            continue
        failed = {c.id for c in report.checks if c.outcome.value == "failed" or (c.required and c.outcome.value == "not_checked")}
        out["proof_failed"] += "proof" in failed
        if report.verified:
            out["verified"].append(desc)
        elif not failed & {"input", "proof", "schema"}:  # input: the pipeline stops at an unreadable document
            out["unguarded"].append(f"{desc}: failed {sorted(failed)}")
    return out
