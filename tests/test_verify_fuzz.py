"""Garbage fuzz of the `ecvet verify` path, in-process (parse_document + verify_credential, as the CLI):
50,000 seeded inputs (random bytes, truncated JSON, deep nesting, huge arrays, wrong types everywhere,
odd Unicode, images that are no QR code). Each gives an InputError (exit 2) or a report with a failed
check and a clear message, and the report prints as JSON and as a checklist; nothing else escapes."""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import pytest

from fuzz_inputs import run_fuzz
from verify_corpus import REPO, build_corpus

TOTAL = int(os.environ.get("ECVET_FUZZ_INPUTS", "50000"))
SEED = int(os.environ.get("ECVET_FUZZ_SEED", "5"))


def _jobs(tmp_path, total, seed):
    valid = build_corpus(tmp_path / "corpus")["valid"]
    args = valid.args
    workers = max(1, min(2, os.cpu_count() or 1))
    share = -(-total // workers)
    return [(str(valid.file), args[args.index("--agreement") + 1], str(REPO / "keys-example" / "trust-registry.json"),
             args[args.index("--status-dir") + 1], seed + n, min(share, total - n * share)) for n in range(workers)]


@pytest.mark.slow
def test_garbage_never_escapes_as_an_exception(tmp_path):
    with ProcessPoolExecutor(len(jobs := _jobs(tmp_path, TOTAL, SEED)), mp_context=get_context("spawn")) as pool:
        results = list(pool.map(run_fuzz, jobs))
    problems = [p for r in results for p in r["problems"]]
    assert not problems, "\n\n".join(problems[:5])
    assert sum(r["count"] for r in results) == TOTAL
    kinds = {}
    for r in results:
        for k, n in r["kinds"].items():
            kinds[k] = kinds.get(k, 0) + n
    assert len(kinds) == 10 and min(kinds.values()) > TOTAL // 1000, kinds   # every kind was exercised
    # both ways out were taken often: exit 2 for unreadable input, a report for readable garbage
    assert sum(r["input_errors"] for r in results) > TOTAL // 4
    assert sum(r["reports"] for r in results) > TOTAL // 10


def test_a_small_fuzz_sample_in_the_fast_suite(tmp_path):
    """500 inputs in one process: the same property, cheap enough for every run."""
    (job,) = _jobs(tmp_path, 500, SEED + 100)[:1]
    result = run_fuzz((*job[:5], 500))
    assert not result["problems"], "\n\n".join(result["problems"][:5])
