"""Registry and status-check throughput.

    .venv/bin/python bench/bench_registry.py [--n 1000] [--pg postgresql+psycopg://postgres@127.0.0.1:5432/test]

Measures, in one process: credentials/s through the issuance protocol (allocate_and_record + record_digest,
two transactions per credential) on SQLite (WAL, synchronous=FULL) and PostgreSQL (when --pg or
ECVET_TEST_PG_URL is given and answers), and the cost of check_status on a credential with two entries:
cold (first check: read the list, decode it, verify its Ed25519 proof) and warm (list already verified
and decoded in the source's memory, as in a batch of verifications).
"""
from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path


def bench_registry(url: str, n: int, schema: str | None = None) -> tuple[float, float]:
    from ecvet_credentials.registry import Registry

    reg = Registry.open(url, schema=schema)
    try:
        t = time.perf_counter()
        for i in range(n):
            a = reg.allocate_and_record(credential_type="PT", issuer_did="did:key:zBench",
                                        status_base_url="https://bench.example/status", batch_id="bench",
                                        row_key=str(i))
            reg.record_digest(a.credential_id, secrets.token_hex(32))
        full = n / (time.perf_counter() - t)
        t = time.perf_counter()
        for i in range(n):
            reg.allocate_and_record(credential_type="PT", issuer_did="did:key:zBench",
                                    status_base_url="https://bench.example/status", batch_id="bench2", row_key=str(i))
        alloc_only = n / (time.perf_counter() - t)
        return full, alloc_only
    finally:
        reg.close()


def bench_check(tmp: Path, rounds: int) -> tuple[float, float]:
    from ecvet_credentials.crypto.keys import KeyPair
    from ecvet_credentials.proofs import sign
    from ecvet_credentials.status import (
        BitstringStatusList,
        StatusListSource,
        build_status_list_credential,
        check_status,
        status_entries,
        write_status_list,
    )

    key = KeyPair.generate("Ed25519")
    now = datetime.now(timezone.utc)
    urls = {}
    for purpose in ("revocation", "suspension"):
        bits = BitstringStatusList()
        for _ in range(2000):  # a list with some revocations, so decoding is not trivial
            bits.set(secrets.randbelow(bits.size))
        url = f"https://bench.example/status/{purpose}-1"
        doc = build_status_list_credential(url, key.did, purpose, bits, valid_from=now,
                                           valid_until=now + timedelta(days=1), ttl_ms=3600_000)
        write_status_list(tmp / "site", f"{purpose}-1", sign(doc, key))
        urls[purpose] = url
    cred = {"issuer": key.did, "credentialStatus": status_entries(urls, {"revocation": 5, "suspension": 7}, "x")}
    cold = []
    for _ in range(5):
        source = StatusListSource(directory=tmp / "site")
        t = time.perf_counter()
        check_status(cred, source, now=now)
        cold.append(time.perf_counter() - t)
    source = StatusListSource(directory=tmp / "site")
    check_status(cred, source, now=now)
    t = time.perf_counter()
    for _ in range(rounds):
        check_status(cred, source, now=now)
    warm = (time.perf_counter() - t) / rounds
    return statistics.median(cold) * 1e6, warm * 1e6


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000, help="credentials per backend")
    ap.add_argument("--pg", default=os.environ.get("ECVET_TEST_PG_URL"), help="PostgreSQL URL (optional)")
    ap.add_argument("--rounds", type=int, default=2000, help="warm status checks")
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        full, alloc = bench_registry(str(tmp / "bench.sqlite"), args.n)
        rows.append(("SQLite (WAL, synchronous=FULL)", f"{full:,.0f}/s", f"{alloc:,.0f}/s"))
        if args.pg:
            schema = f"ecvet_bench_{secrets.token_hex(4)}"
            try:
                full, alloc = bench_registry(args.pg, args.n, schema)
                rows.append(("PostgreSQL", f"{full:,.0f}/s", f"{alloc:,.0f}/s"))
            except Exception as exc:  # noqa: BLE001
                rows.append(("PostgreSQL", f"unavailable: {type(exc).__name__}", ""))
            finally:
                _drop_schema(args.pg, schema)
        else:
            rows.append(("PostgreSQL", "skipped (no --pg / ECVET_TEST_PG_URL)", ""))
        cold, warm = bench_check(tmp, args.rounds)
    print(f"\nIssuer registry, {args.n} credentials per backend, one process (Python {sys.version.split()[0]})")
    print(f"{'backend':34} {'issued (reserve+record)':>24} {'allocations only':>18}")
    for name, a, b in rows:
        print(f"{name:34} {a:>24} {b:>18}")
    print("\ncheck_status, credential with 2 entries (revocation + suspension)")
    print(f"{'cold: read, decode, verify proofs':34} {cold:>14,.0f} µs")
    print(f"{'warm: list cached and verified':34} {warm:>14,.1f} µs")
    return 0


def _drop_schema(url: str, schema: str) -> None:
    try:
        from sqlalchemy import create_engine, text

        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()
    except Exception:  # noqa: BLE001 - best effort cleanup
        pass


if __name__ == "__main__":
    sys.exit(main())
